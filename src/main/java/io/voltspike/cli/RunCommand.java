package io.voltspike.cli;

import io.voltspike.stream.DetectorApp;
import io.voltspike.stream.EmbeddedBroker;
import io.voltspike.stream.StreamSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voltspike run}: the production streaming detector, until Ctrl-C. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the streaming detector against a Kafka cluster (the embedded broker when no",
      "bootstrap servers are configured). SASL/SSL client settings pass through from --config",
      "as kafka.* keys."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KafkaMixin kafka;
  @Mixin StreamMixin stream;
  @Mixin DetectorMixin detector;

  @Option(
      names = "--broker-data",
      defaultValue = "target/voltspike-broker",
      description = "Embedded broker data directory. Default: ${DEFAULT-VALUE}.")
  Path brokerData;

  @Override
  public Integer call() throws Exception {
    EmbeddedBroker broker = kafka.embedded() ? EmbeddedBroker.start(brokerData, 9092) : null;
    String bootstrap = broker != null ? broker.bootstrapServers() : kafka.bootstrapServers;
    StreamSettings s = stream.settings(detector.options(), detector.explicitPeakSign());
    Properties p =
        StreamSettings.streamsProperties(
            bootstrap, stream.applicationId, stream.profile, kafka.clientProperties());
    DetectorApp app =
        DetectorApp.start(s, p, stream.stateDir, stream.partitions, Duration.ofSeconds(60));
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  if (broker != null) {
                    broker.close();
                  }
                  done.countDown();
                }));
    spec.commandLine()
        .getOut()
        .printf(
            "detector running (%s, %s) on %s: %s -> %s%n",
            s.detector(), stream.profile, bootstrap, s.samplesTopic(), s.spikesTopic());
    spec.commandLine().getOut().flush();
    done.await();
    return 0;
  }
}
