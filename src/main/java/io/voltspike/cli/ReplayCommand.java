package io.voltspike.cli;

import io.voltspike.io.Recording;
import io.voltspike.io.Recordings;
import io.voltspike.stream.Replayer;
import io.voltspike.stream.StreamSettings;
import io.voltspike.stream.Topics;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voltspike replay}: archived recordings through the input topic. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Publish recordings (every supported format) to the input topic as 10 ms chunks keyed by",
      "neuron, keeping sample indices; the last chunk of each neuron ends its session. With",
      "--group-neurons N, as frame blocks of N neurons to the frames topic instead."
    })
public final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin InputMixin input;
  @Mixin KafkaMixin kafka;

  @Option(
      names = "--topic",
      defaultValue = Topics.SAMPLES,
      description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(
      names = "--speed",
      defaultValue = "1.0",
      description = "Playback speed (1.0 = real time) or 'max'. Default: ${DEFAULT-VALUE}.")
  String speed;

  @Option(
      names = "--session",
      defaultValue = "replay",
      description = "Session id. Default: ${DEFAULT-VALUE}.")
  String session;

  @Option(
      names = "--chunk-samples",
      defaultValue = "10",
      description = "Samples per chunk. Default: ${DEFAULT-VALUE}.")
  int chunkSamples;

  @Option(
      names = "--group-neurons",
      defaultValue = "0",
      description =
          "0: per-neuron chunks to --topic; N: frame blocks of N consecutive recordings (of one"
              + " length) to the frames topic named after it (voltspike.samples ->"
              + " voltspike.frames), keyed group-0000, group-0001..., group k on partition k"
              + " modulo the partitions. Default: ${DEFAULT-VALUE}.")
  int groupNeurons;

  @Override
  public Integer call() throws Exception {
    if (kafka.embedded()) {
      throw new IllegalArgumentException(
          "replay needs --bootstrap-servers (start one with 'voltspike broker')");
    }
    double sp = speed.equalsIgnoreCase("max") ? 0 : Double.parseDouble(speed);
    if (sp < 0 || chunkSamples < 1 || groupNeurons < 0) {
      throw new IllegalArgumentException(
          "--speed must be > 0 or max; --chunk-samples >= 1; --group-neurons >= 0");
    }
    String to = groupNeurons > 0 ? StreamSettings.framesTopicOf(topic) : topic;
    List<Recording> recs = Recordings.readAll(input.input, input.readOptions());
    long chunks =
        recs.stream().mapToLong(r -> (r.length() + chunkSamples - 1) / chunkSamples).sum();
    long sent;
    try (Replayer rp =
            groupNeurons > 0
                ? Replayer.grouped(
                    kafka.bootstrapServers, to, kafka.clientProperties(), groupNeurons)
                : new Replayer(kafka.bootstrapServers, to, kafka.clientProperties());
        Progress bar = Progress.start("replay", chunks)) {
      long[] last = {0};
      // the line a driver (bench --rig-process) times the replay from: chunk k leaves k + 1 chunk
      // lengths after it
      spec.commandLine()
          .getErr()
          .printf(Locale.ROOT, "replaying %d traces to %s at speed %s%n", recs.size(), to, speed);
      spec.commandLine().getErr().flush();
      sent =
          rp.replay(
              session,
              recs,
              chunkSamples,
              sp,
              System.currentTimeMillis() * 1000,
              true,
              n -> {
                for (long i = last[0]; i < n; i++) {
                  bar.step();
                }
                last[0] = n;
              });
    }
    spec.commandLine()
        .getOut()
        .printf(Locale.ROOT, "replayed %d chunks of %d traces to %s%n", sent, recs.size(), to);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
