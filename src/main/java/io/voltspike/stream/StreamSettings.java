package io.voltspike.stream;

import io.voltspike.detect.DetectorOptions;
import java.util.Properties;

/**
 * What the detector topology needs to know.
 *
 * @param samplesTopic input: VoltageChunk records keyed by neuron
 * @param spikesTopic output: SpikeEvent records keyed by neuron
 * @param deadLetterTopic output: DeadLetter records
 * @param detector detector name (unet, threshold, volpy)
 * @param options detector options (the sample rate is taken from each neuron's chunks)
 * @param batchWaitMs longest a cut window waits for the batched inference
 * @param detectorVersion stamped on every spike event
 */
public record StreamSettings(
    String samplesTopic,
    String spikesTopic,
    String deadLetterTopic,
    String detector,
    DetectorOptions options,
    long batchWaitMs,
    String detectorVersion) {

  public static StreamSettings defaults() {
    return new StreamSettings(
        Topics.SAMPLES,
        Topics.SPIKES,
        Topics.DEAD_LETTER,
        "unet",
        DetectorOptions.defaults(),
        5,
        "voltspike");
  }

  /** The frame-block input topic, named after the samples topic ("...samples" -> "...frames"). */
  public String framesTopic() {
    return samplesTopic.endsWith("samples")
        ? samplesTopic.substring(0, samplesTopic.length() - "samples".length()) + "frames"
        : samplesTopic + ".frames";
  }

  public StreamSettings withDetector(String name, DetectorOptions o) {
    return new StreamSettings(
        samplesTopic, spikesTopic, deadLetterTopic, name, o, batchWaitMs, detectorVersion);
  }

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
    switch (profile) {
      case "eos" -> {
        p.put("processing.guarantee", "exactly_once_v2");
        p.put("commit.interval.ms", "100");
      }
      case "low-latency" -> {
        p.put("processing.guarantee", "at_least_once");
        p.put("commit.interval.ms", "50");
      }
      default ->
          throw new IllegalArgumentException(
              "unknown processing profile '" + profile + "'; valid values: eos, low-latency");
    }
    if (extra != null) {
      p.putAll(extra);
    }
    return p;
  }
}
