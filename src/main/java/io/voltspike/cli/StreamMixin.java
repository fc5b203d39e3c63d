package io.voltspike.cli;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.PeakSign;
import io.voltspike.stream.StreamSettings;
import io.voltspike.stream.Topics;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the streaming detector job. */
public final class StreamMixin {
  @Option(
      names = "--profile",
      defaultValue = "eos",
      description =
          "eos (exactly_once_v2, 100 ms commits) or low-latency (exactly_once_v2, 1 s commits,"
              + " consumers read uncommitted)."
              + " Default: ${DEFAULT-VALUE}.")
  String profile;

  @Option(
      names = "--application-id",
      defaultValue = "voltspike-detector",
      description = "Kafka Streams application id. Default: ${DEFAULT-VALUE}.")
  String applicationId;

  @Option(
      names = "--samples-topic",
      defaultValue = Topics.SAMPLES,
      description = "Default: ${DEFAULT-VALUE}.")
  String samplesTopic;

  @Option(
      names = "--spikes-topic",
      defaultValue = Topics.SPIKES,
      description = "Default: ${DEFAULT-VALUE}.")
  String spikesTopic;

  @Option(
      names = "--dead-letter-topic",
      defaultValue = Topics.DEAD_LETTER,
      description = "Default: ${DEFAULT-VALUE}.")
  String deadLetterTopic;

  @Option(
      names = "--state-dir",
      defaultValue = "target/voltspike-state",
      description = "Kafka Streams state directory. Default: ${DEFAULT-VALUE}.")
  Path stateDir;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions of topics the job creates. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Option(
      names = "--batch-wait-ms",
      description = "Longest a window waits for batched inference. Default: ${DEFAULT-VALUE}.")
  long batchWaitMs;

  @Option(
      names = "--stream-threads",
      defaultValue = "1",
      description =
          "Kafka Streams threads of this instance (tasks are spread over them; the ONNX session is"
              + " shared). Default: ${DEFAULT-VALUE}.")
  int streamThreads;

  @Option(
      names = "--instance-id",
      defaultValue = "",
      description =
          "Static group membership id of this instance (group.instance.id); empty: derived from"
              + " the host and the state directory, so a restart rejoins as the same member."
              + " 'none' turns static membership off. Default: '${DEFAULT-VALUE}'.")
  String instanceId;

  /** The group.instance.id to use, or null for none. */
  public String groupInstanceId() {
    if (instanceId == null || instanceId.isBlank()) {
      return io.voltspike.stream.StreamSettings.instanceId(applicationId, stateDir);
    }
    return instanceId.equalsIgnoreCase("none") ? null : instanceId.strip();
  }

  @Option(
      names = "--session-idle-s",
      description =
          "A session with no chunk for this long ends: its last spikes are decided and published"
              + " and its state deleted. Default: ${DEFAULT-VALUE}.")
  double sessionIdleS;

  @Option(
      names = "--detector",
      description =
          "Detector the job runs: unet, matched, threshold or volpy. Default: ${DEFAULT-VALUE}.")
  String detector;

  public StreamSettings settings(DetectorOptions base, PeakSign sign) {
    return new StreamSettings(
        samplesTopic,
        spikesTopic,
        deadLetterTopic,
        detector,
        base.withPeakSign(sign == null ? PeakSign.POS : sign),
        batchWaitMs,
        "voltspike",
        Math.round(sessionIdleS * 1000));
  }
}
