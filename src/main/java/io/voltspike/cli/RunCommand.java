package io.voltspike.cli;

import io.voltspike.detect.Detectors;
import io.voltspike.metrics.MetricsServer;
import io.voltspike.stream.ClientSettings;
import io.voltspike.stream.DetectorApp;
import io.voltspike.stream.DetectorInfo;
import io.voltspike.stream.DetectorTopology;
import io.voltspike.stream.EmbeddedBroker;
import io.voltspike.stream.GroupTimeouts;
import io.voltspike.stream.StreamSettings;
import io.voltspike.stream.StreamStats;
import java.io.PrintWriter;
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
  @Mixin MetricsMixin metricsOptions;

  @Option(
      names = "--broker-data",
      defaultValue = "target/voltspike-broker",
      description = "Embedded broker data directory. Default: ${DEFAULT-VALUE}.")
  Path brokerData;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    // everything that can be checked before touching Kafka: options, model, metrics port
    StreamSettings s = stream.settings(detector.options(), detector.explicitPeakSign());
    Properties clientProps = kafka.clientProperties();
    Properties p =
        StreamSettings.streamsProperties(
            kafka.embedded() ? "localhost:9092" : kafka.bootstrapServers,
            stream.applicationId,
            stream.profile,
            clientProps);
    p.put("num.stream.threads", Integer.toString(stream.streamThreads));
    if (!clientProps.containsKey("num.standby.replicas")) {
      p.put("num.standby.replicas", StreamSettings.STANDBYS);
    }
    String instance = stream.groupInstanceId();
    if (instance != null && !clientProps.containsKey("group.instance.id")) {
      p.put("group.instance.id", instance);
    }
    StreamSettings.validate(p);
    Detectors detectors = ShutdownSequence.detectors();
    DetectorInfo info = DetectorInfo.of(s, detectors);
    StreamStats stats = new StreamStats();
    MetricsServer metrics = metricsOptions.start(info, stats, out);
    EmbeddedBroker broker = kafka.embedded() ? EmbeddedBroker.start(brokerData, 9092) : null;
    String bootstrap = broker != null ? broker.bootstrapServers() : kafka.bootstrapServers;
    p.put("bootstrap.servers", bootstrap);
    DetectorApp app;
    try {
      GroupTimeouts timeouts =
          GroupTimeouts.fit(
              GroupTimeouts.BrokerLimits.describe(DetectorApp.adminProperties(p)), clientProps);
      timeouts.applyTo(p);
      out.println(timeouts.describe());
      out.flush();
      app =
          DetectorApp.start(
              s,
              DetectorTopology.build(s, detectors, stats),
              p,
              stream.stateDir,
              stream.partitions,
              Duration.ofSeconds(60),
              stats);
    } catch (RuntimeException e) {
      if (metrics != null) {
        metrics.close();
      }
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
    if (metrics != null) {
      metrics.bind(app.streams());
    }
    CountDownLatch done = new CountDownLatch(1);
    // closed in reverse: the streams first, then metrics, then the broker; models after all
    ShutdownSequence.register("latch", done::countDown);
    if (broker != null) {
      ShutdownSequence.register("embedded broker", broker);
    }
    if (metrics != null) {
      ShutdownSequence.register("metrics", metrics);
    }
    ShutdownSequence.register("detector streams", app);
    out.printf(
        "detector running (%s, model %s on %s, %s) on %s: %s -> %s%n",
        info.detector(),
        info.modelVersion(),
        info.provider(),
        stream.profile,
        bootstrap,
        s.samplesTopic(),
        s.spikesTopic());
    if (!clientProps.isEmpty()) {
      out.println("kafka client settings: " + ClientSettings.describe(clientProps));
    }
    out.flush();
    // until a signal (the latch) or a failure the job does not retry
    while (!done.await(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      String failure = app.failure();
      if (failure != null) {
        throw new IllegalStateException("the detector stopped: " + failure);
      }
    }
    return 0;
  }
}
