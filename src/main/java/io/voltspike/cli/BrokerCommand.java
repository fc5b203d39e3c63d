package io.voltspike.cli;

import io.voltspike.stream.EmbeddedBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voltspike broker}: the embedded Kafka broker on its own, until Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Run the embedded single-node Kafka broker (KRaft) until interrupted, so replay, run and",
      "spikes can be used in separate terminals without installing Kafka."
    })
public final class BrokerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "9092", description = "Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(
      names = "--data",
      defaultValue = "target/voltspike-broker",
      description = "Data directory (formatted when new). Default: ${DEFAULT-VALUE}.")
  Path data;

  @Override
  public Integer call() throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start(data, port);
    CountDownLatch done = new CountDownLatch(1);
    ShutdownSequence.register("latch", done::countDown);
    ShutdownSequence.register("embedded broker", broker);
    spec.commandLine().getOut().println("broker listening on " + broker.bootstrapServers());
    spec.commandLine().getOut().flush();
    done.await();
    return 0;
  }
}
