package io.voltspike.stream;

import io.voltspike.detect.DetectorOptions;
import java.util.Properties;

/**
 * What the detector topology needs to know.
 *
 * @param samplesTopic input: VoltageChunk records keyed by neuron
 * @param spikesTopic output: SpikeEvent records keyed by neuron
 * @param deadLetterTopic output: DeadLetter records
 * @param detector detector name (unet, matched, threshold, volpy)
 * @param options detector options (the sample rate is taken from each neuron's chunks)
 * @param batchWaitMs longest a cut window waits for the batched inference
 * @param detectorVersion stamped on every spike event
 * @param sessionIdleMs a session with no chunk for this long (wall clock) is ended: its last spikes
 *     are decided and published and its state deleted
 */
public record StreamSettings(
    String samplesTopic,
    String spikesTopic,
    String deadLetterTopic,
    String detector,
    DetectorOptions options,
    long batchWaitMs,
    String detectorVersion,
    long sessionIdleMs) {

  /** The default idle timeout of a session: 30 minutes. */
  public static final long DEFAULT_SESSION_IDLE_MS = 30 * 60_000L;

  public static StreamSettings defaults() {
    return new StreamSettings(
        Topics.SAMPLES,
        Topics.SPIKES,
        Topics.DEAD_LETTER,
        "unet",
        DetectorOptions.defaults(),
        5,
        "voltspike",
        DEFAULT_SESSION_IDLE_MS);
  }

  /** The frame-block input topic, named after the samples topic ("...samples" -> "...frames"). */
  public String framesTopic() {
    return framesTopicOf(samplesTopic);
  }

  /** The frame-block topic that goes with a samples topic ("...samples" -> "...frames"). */
  public static String framesTopicOf(String samplesTopic) {
    return samplesTopic.endsWith("samples")
        ? samplesTopic.substring(0, samplesTopic.length() - "samples".length()) + "frames"
        : samplesTopic + ".frames";
  }

  public StreamSettings withDetector(String name, DetectorOptions o) {
    return new StreamSettings(
        samplesTopic,
        spikesTopic,
        deadLetterTopic,
        name,
        o,
        batchWaitMs,
        detectorVersion,
        sessionIdleMs);
  }

  public StreamSettings withSessionIdleMs(long ms) {
    return new StreamSettings(
        samplesTopic,
        spikesTopic,
        deadLetterTopic,
        detector,
        options,
        batchWaitMs,
        detectorVersion,
        ms);
  }

  /**
   * The static-membership id of an instance: stable across restarts of the same instance (the same
   * state directory on the same host) and different between instances, so a restarted instance
   * rejoins as itself at once instead of waiting for its old membership to time out.
   */
  public static String instanceId(String applicationId, java.nio.file.Path stateDir) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    String path = stateDir.toAbsolutePath().normalize().toString();
    return applicationId + "-" + host + "-" + Integer.toHexString(path.hashCode());
  }

  /**
   * Standby replicas a deployed job ({@code run}) keeps: with two or more instances each task's
   * state stays warm on another one, so a failover restores only the last records. (A single
   * instance cannot place them and says so at every rebalance: {@code kafka.num.standby.replicas=0}
   * turns them off.)
   */
  public static final String STANDBYS = "1";

  /**
   * Requests in flight per connection for every VoltSpike producer (the detector's and the
   * replayer's). Kafka 4.1 (KIP-890, KAFKA-18202): a partition joins a transaction with its first
   * produce, and until the broker has verified it only sequence 0 is accepted; a batch pipelined
   * behind the first (or behind a retried one on a partition whose leader just changed) is refused
   * with OUT_OF_ORDER_SEQUENCE_NUMBER, logged as an ERROR by the broker, and chunks were lost that
   * way. One request in flight per connection keeps each partition's batches in order.
   */
  public static final String MAX_IN_FLIGHT = "1";

  /** Kafka Streams properties for a processing profile: "eos" (default) or "low-latency". */
  public static Properties streamsProperties(
      String bootstrap, String applicationId, String profile, Properties extra) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("application.id", applicationId);
    p.put("num.stream.threads", "1");
    p.put("poll.ms", "5");
    p.put("producer.linger.ms", "0");
    p.put("consumer.fetch.max.wait.ms", "10");
    // Recovery in seconds. A dead instance is noticed after the session timeout (3 s, heartbeats
    // every second; the brokers' group.min.session.timeout.ms must allow it: the embedded broker
    // does, Kafka's default of 6 s does not). A restarted instance with the same group.instance.id
    // (static membership, see instanceId) takes its tasks back without waiting for the timeout at
    // all; `run` also keeps a standby replica of every task on another instance (STANDBYS).
    p.put("consumer.session.timeout.ms", "3000");
    p.put("consumer.heartbeat.interval.ms", "1000");
    // A dead instance's open transaction blocks read_committed readers of its partitions (the
    // spike consumers, and the survivor restoring the changelog) until the coordinator aborts it:
    // after transaction.timeout.ms, checked every transaction.abort.timed.out.transaction.cleanup
    // .interval.ms on the brokers (10 s by default; the embedded broker checks every 0.5 s). A
    // restarted instance fences it at once (same state directory, same transactional id).
    p.put("producer.transaction.timeout.ms", "3000");
    switch (profile) {
      case "eos" -> p.put("commit.interval.ms", "100");
      case "low-latency" ->
          // Exactly-once too (nothing is lost or published twice, even across a crash), but with
          // 1 s transactions: each commit stalls the stream thread, and closed-loop consumers do
          // not wait for it, they read uncommitted (spikes --read-uncommitted). At-least-once
          // cannot be exact here: a published-spike mark in the changelog and the spike event are
          // separate partitions, and a crash between them loses or repeats a spike.
          p.put("commit.interval.ms", "1000");
      default ->
          throw new IllegalArgumentException(
              "unknown processing profile '" + profile + "'; valid values: eos, low-latency");
    }
    p.put("processing.guarantee", "exactly_once_v2");
    p.put("producer.max.in.flight.requests.per.connection", MAX_IN_FLIGHT);
    if (extra != null) {
      p.putAll(extra);
    }
    return p;
  }

  /**
   * Checks Kafka Streams and client settings the way the clients will, before anything connects, so
   * a typo fails at start-up with Kafka's own message (secrets are never part of it).
   */
  public static void validate(Properties streamsProps) {
    Properties p = new Properties();
    p.putAll(streamsProps);
    p.putIfAbsent("bootstrap.servers", "localhost:9092");
    // the serdes Kafka Streams sets on its clients itself
    String ser = org.apache.kafka.common.serialization.ByteArraySerializer.class.getName();
    String de = org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName();
    p.put("key.serializer", ser);
    p.put("value.serializer", ser);
    p.put("key.deserializer", de);
    p.put("value.deserializer", de);
    try {
      org.apache.kafka.streams.StreamsConfig c = new org.apache.kafka.streams.StreamsConfig(p);
      new org.apache.kafka.clients.producer.ProducerConfig(c.getProducerConfigs("validate"));
      new org.apache.kafka.clients.consumer.ConsumerConfig(
          c.getMainConsumerConfigs("validate", "validate", 0));
      new org.apache.kafka.clients.admin.AdminClientConfig(c.getAdminConfigs("validate"));
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IllegalArgumentException("invalid Kafka setting: " + e.getMessage(), e);
    }
  }
}
