package io.voltspike.stream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The streaming detector: creates its topics when missing and runs the topology. */
public final class DetectorApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorApp.class);
  private final KafkaStreams streams;

  private DetectorApp(KafkaStreams streams) {
    this.streams = streams;
  }

  /**
   * @param streamsProps Kafka Streams properties (see {@link StreamSettings#streamsProperties})
   * @param topology the topology to run ({@link DetectorTopology#build})
   * @param partitions partitions of topics this app creates
   */
  public static DetectorApp start(
      StreamSettings s,
      Topology topology,
      Properties streamsProps,
      Path stateDir,
      int partitions,
      Duration timeout) {
    ensureTopics(streamsProps, s, partitions);
    Properties p = new Properties();
    p.putAll(streamsProps);
    p.put("state.dir", stateDir.toAbsolutePath().toString());
    KafkaStreams streams = new KafkaStreams(topology, p);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline
          || !streams.state().isRunningOrRebalancing()
              && streams.state() != KafkaStreams.State.CREATED) {
        KafkaStreams.State st = streams.state();
        streams.close(Duration.ofSeconds(5));
        throw new IllegalStateException("the detector did not reach RUNNING (state " + st + ")");
      }
      sleep(20);
    }
    return new DetectorApp(streams);
  }

  /** Creates the input, output and dead-letter topics unless they exist. */
  public static void ensureTopics(Properties props, StreamSettings s, int partitions) {
    Properties ap = new Properties();
    for (String k : props.stringPropertyNames()) {
      if (!k.startsWith("producer.") && !k.startsWith("consumer.") && !isStreamsOnly(k)) {
        ap.put(k, props.getProperty(k));
      }
    }
    ap.put("request.timeout.ms", "10000");
    ap.put("default.api.timeout.ms", "15000");
    try (Admin admin = Admin.create(ap)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> create = new ArrayList<>();
      for (String t :
          List.of(s.samplesTopic(), s.framesTopic(), s.spikesTopic(), s.deadLetterTopic())) {
        if (!existing.contains(t)) {
          // replication: the cluster's default.replication.factor
          create.add(
              new NewTopic(t, java.util.Optional.of(partitions), java.util.Optional.empty()));
        }
      }
      if (!create.isEmpty()) {
        admin.createTopics(create).all().get();
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
        throw new IllegalStateException(
            "cannot reach the Kafka cluster at "
                + props.getProperty("bootstrap.servers")
                + ": "
                + e.getCause().getMessage(),
            e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private static boolean isStreamsOnly(String k) {
    return Set.of(
            "application.id",
            "num.stream.threads",
            "poll.ms",
            "processing.guarantee",
            "commit.interval.ms",
            "state.dir")
        .contains(k);
  }

  public KafkaStreams streams() {
    return streams;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(20));
  }
}
