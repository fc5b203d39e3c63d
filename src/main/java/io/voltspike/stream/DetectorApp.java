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

/**
 * The streaming detector: creates its topics when missing and runs the topology. A stream thread
 * that dies on a retriable error is replaced (and counted); any other error, or retriable ones
 * coming faster than {@link #MAX_REPLACEMENTS} a minute, stops the job, and {@link #failure()} says
 * why in one line: never a loop of thread replacements.
 */
public final class DetectorApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorApp.class);

  /** Retriable thread failures tolerated within {@link #REPLACEMENT_WINDOW_MS}. */
  public static final int MAX_REPLACEMENTS = 5;

  public static final long REPLACEMENT_WINDOW_MS = 60_000;

  private final KafkaStreams streams;
  private final Failures failures;

  private DetectorApp(KafkaStreams streams, Failures failures) {
    this.streams = streams;
    this.failures = failures;
  }

  /** What decides, thread by thread, whether the job goes on; remembers the fatal error. */
  static final class Failures implements StreamsUncaughtExceptionHandler {
    private final StreamStats stats;
    private final java.util.ArrayDeque<Long> recent = new java.util.ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicReference<String> fatal =
        new java.util.concurrent.atomic.AtomicReference<>();

    Failures(StreamStats stats) {
      this.stats = stats;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
      long now = System.currentTimeMillis();
      while (!recent.isEmpty() && now - recent.peekFirst() > REPLACEMENT_WINDOW_MS) {
        recent.removeFirst();
      }
      String why = StreamFailures.oneLine(e);
      boolean retriable = StreamFailures.retriable(e);
      if (retriable && recent.size() < MAX_REPLACEMENTS) {
        recent.addLast(now);
        stats.threadReplacements.increment();
        LOG.warn("stream thread failed on a retriable error; replacing it: {}", why);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      String msg =
          retriable
              ? "the stream thread failed "
                  + (MAX_REPLACEMENTS + 1)
                  + " times within "
                  + REPLACEMENT_WINDOW_MS / 1000
                  + " s, last: "
                  + why
              : why;
      fatal.compareAndSet(null, msg);
      LOG.error("stream thread failed; stopping the detector: {}", msg, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    String fatal() {
      return fatal.get();
    }
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
    return start(s, topology, streamsProps, stateDir, partitions, timeout, new StreamStats());
  }

  /**
   * @param stats where thread replacements are counted (the topology's own counters)
   * @throws IllegalStateException with the cause in one line when the job stops before running
   */
  public static DetectorApp start(
      StreamSettings s,
      Topology topology,
      Properties streamsProps,
      Path stateDir,
      int partitions,
      Duration timeout,
      StreamStats stats) {
    ensureTopics(streamsProps, s, partitions);
    Properties p = new Properties();
    p.putAll(streamsProps);
    p.put("state.dir", stateDir.toAbsolutePath().toString());
    KafkaStreams streams = new KafkaStreams(topology, p);
    Failures failures = new Failures(stats);
    streams.setUncaughtExceptionHandler(failures);
    streams.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline
          || !streams.state().isRunningOrRebalancing()
              && streams.state() != KafkaStreams.State.CREATED) {
        KafkaStreams.State st = streams.state();
        streams.close(Duration.ofSeconds(5));
        String why = failures.fatal();
        throw new IllegalStateException(
            why != null
                ? "the detector stopped: " + why
                : "the detector did not reach RUNNING within "
                    + timeout.toSeconds()
                    + " s (state "
                    + st
                    + ")");
      }
      sleep(20);
    }
    return new DetectorApp(streams, failures);
  }

  /**
   * Why the job stopped, in one line, once a stream thread failed in a way that is not retried;
   * null while it runs (or after a requested stop).
   */
  public String failure() {
    String f = failures.fatal();
    if (f == null && streams.state() == KafkaStreams.State.ERROR) {
      return "every stream thread stopped (state ERROR)";
    }
    return f;
  }

  /** Kafka Admin client properties from Kafka Streams properties (no Streams-only keys). */
  public static Properties adminProperties(Properties props) {
    Properties ap = new Properties();
    for (String k : props.stringPropertyNames()) {
      if (!k.startsWith("producer.")
          && !k.startsWith("consumer.")
          && !k.startsWith("main.consumer.")
          && !k.startsWith("restore.consumer.")
          && !k.startsWith("global.consumer.")
          && !isStreamsOnly(k)) {
        ap.put(k, props.getProperty(k));
      }
    }
    ap.put("request.timeout.ms", "10000");
    ap.put("default.api.timeout.ms", "15000");
    return ap;
  }

  /** Creates the input, output and dead-letter topics unless they exist. */
  public static void ensureTopics(Properties props, StreamSettings s, int partitions) {
    Properties ap = adminProperties(props);
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
            "state.dir",
            "num.standby.replicas",
            "group.instance.id")
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
