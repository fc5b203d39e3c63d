package io.voltspike.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka 4 broker in KRaft mode, in this process: the default when no bootstrap
 * servers are configured, and what the tests run against. Its storage is formatted only when the
 * data directory is new, so a restart on the same directory keeps topics, offsets and state.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private final KafkaRaftServer server;
  private final int port;
  private final int controllerPort;
  private final Path dataDir;

  private EmbeddedBroker(KafkaRaftServer server, int port, int controllerPort, Path dataDir) {
    this.server = server;
    this.port = port;
    this.controllerPort = controllerPort;
    this.dataDir = dataDir;
  }

  /**
   * @param port listener port on 127.0.0.1; 0 picks a free one
   */
  public static EmbeddedBroker start(Path dataDir, int port) {
    return start(dataDir, port, 0);
  }

  /**
   * @param controllerPort the KRaft controller's port; 0 picks a free one (a restart on the same
   *     data directory may reuse both ports, as a real broker would)
   */
  public static EmbeddedBroker start(Path dataDir, int port, int controllerPort) {
    return start(dataDir, port, controllerPort, false);
  }

  /**
   * A broker whose consumer-group and transaction settings are all Kafka's defaults (replication
   * factors of one aside, a single node needs them): what a cluster someone else runs looks like to
   * the detector, {@code group.min.session.timeout.ms} of 6 s included.
   */
  public static EmbeddedBroker startStock(Path dataDir, int port) {
    return start(dataDir, port, 0, true);
  }

  private static EmbeddedBroker start(Path dataDir, int port, int controllerPort, boolean stock) {
    try {
      Files.createDirectories(dataDir);
      int p = port > 0 ? port : freePort();
      int controller = controllerPort > 0 ? controllerPort : freePort();
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
      props.put(
          "listeners", "PLAINTEXT://127.0.0.1:" + p + ",CONTROLLER://127.0.0.1:" + controller);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + p);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("log.dirs", dataDir.toAbsolutePath().toString());
      props.put("offsets.topic.replication.factor", "1");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      if (!stock) {
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("group.min.session.timeout.ms", "1000"); // the detector's 3 s session timeout
        // a dead instance's transaction is aborted within 0.5 s of its 3 s timeout (failover)
        props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "500");
      }
      props.put("num.partitions", "4");
      props.put("auto.create.topics.enable", "false");
      props.put("log.flush.interval.messages", "1000000");
      KafkaConfig config = KafkaConfig.fromProps(props, false);
      if (!Files.exists(dataDir.resolve("meta.properties"))) {
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(1)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(dataDir.toAbsolutePath().toString()))
            .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
            .setControllerListenerName("CONTROLLER")
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .run();
      }
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return new EmbeddedBroker(server, p, controller, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embedded broker in " + dataDir, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded broker: " + e.getMessage(), e);
    }
  }

  /** A loopback port nothing listened on a moment ago (tests use it for closed ports too). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
