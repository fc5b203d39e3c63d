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

  @Option(
      names = "--stock-settings",
      description =
          "Leave every consumer-group and transaction setting at Kafka's default (a 6 s minimum"
              + " session timeout, 10 s transaction abort checks), as on a cluster someone else"
              + " runs. Default: false (settings for fast failover).")
  boolean stockSettings;

  @Override
  public Integer call() throws Exception {
    EmbeddedBroker broker =
        stockSettings ? EmbeddedBroker.startStock(data, port) : EmbeddedBroker.start(data, port);
    CountDownLatch done = new CountDownLatch(1);
    ShutdownSequence.register("latch", done::countDown);
    ShutdownSequence.register("embedded broker", broker);
    spec.commandLine().getOut().println("broker listening on " + broker.bootstrapServers());
    spec.commandLine().getOut().flush();
    done.await();
    return 0;
  }
}
