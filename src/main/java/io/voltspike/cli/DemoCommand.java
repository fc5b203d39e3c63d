package io.voltspike.cli;

import io.voltspike.avro.SpikeEvent;
import io.voltspike.bench.LiveRun;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.PeakSign;
import io.voltspike.eval.Counts;
import io.voltspike.eval.Matcher;
import io.voltspike.io.Recording;
import io.voltspike.metrics.MetricsServer;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.Preset;
import io.voltspike.sim.TraceParams;
import io.voltspike.stream.DetectorInfo;
import io.voltspike.stream.EmbeddedBroker;
import io.voltspike.stream.StreamSettings;
import io.voltspike.stream.StreamStats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code voltspike demo}: everything in one process: the embedded broker, the streaming detector,
 * and a simulated rig publishing N neurons at real-time 1 kHz in 10 ms chunks. A live status line,
 * then a summary with end-to-end latency and F1 against the simulator's ground truth.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the embedded broker, the streaming detector and a simulated rig (N neurons, real",
      "time, 10 ms chunks); print a live status line and a summary with latency and F1."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DetectorMixin detector;

  @Option(names = "--neurons", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
  int neurons;

  @Option(names = "--duration-s", defaultValue = "30", description = "Default: ${DEFAULT-VALUE}.")
  double durationS;

  @Option(
      names = "--profile",
      defaultValue = "eos",
      description = "eos or low-latency. Default: ${DEFAULT-VALUE}.")
  String profile;

  @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Mixin MetricsMixin metricsOptions;

  @Option(
      names = "--config",
      description = "Option defaults from this properties file (e.g. config/demo.properties).")
  Path config;

  @Override
  public Integer call() throws Exception {
    if (neurons < 1 || !(durationS > 0)) {
      throw new IllegalArgumentException("--neurons must be >= 1 and --duration-s > 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    // positive-polarity neurons (the job's peak_sign), every family, SNR 2-12
    List<Recording> recs = new ArrayList<>();
    for (Preset.Spec s : Preset.DEFAULT.specs(neurons, durationS, seed, 1000)) {
      TraceParams p = s.params().with(Map.of("polarity", "1"));
      recs.add(NeuronSimulator.simulate(s.name(), p, s.seed()));
    }
    Path dir = Files.createTempDirectory("voltspike-demo");
    out.printf(Locale.ROOT, "starting the embedded broker in %s ...%n", dir);
    out.flush();
    StreamSettings s =
        StreamSettings.defaults()
            .withDetector("unet", detector.options().withPeakSign(PeakSign.POS));
    StreamStats stats = new StreamStats();
    Detectors detectors = ShutdownSequence.detectors();
    MetricsServer metrics = metricsOptions.start(DetectorInfo.of(s, detectors), stats, out);
    EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    try (ShutdownSequence.Registration brokerStop =
        ShutdownSequence.register("embedded broker", broker)) {
      Properties props =
          StreamSettings.streamsProperties(
              broker.bootstrapServers(), "voltspike-demo", profile, null);
      try (LiveRun run =
              LiveRun.start(
                  broker.bootstrapServers(),
                  s,
                  detectors,
                  stats,
                  props,
                  dir.resolve("state"),
                  recs,
                  "demo",
                  true,
                  profile.equals("low-latency"),
                  null,
                  0,
                  false);
          // at SIGTERM the hook stops the streams (then the broker, then the models); the rig and
          // the reader belong to this thread and end with it
          ShutdownSequence.Registration appStop =
              ShutdownSequence.register("detector streams", run.app())) {
        if (metrics != null) {
          metrics.bind(run.app().streams());
        }
        Recorder latency = new Recorder(3);
        Histogram total = new Histogram(3);
        Histogram steady = new Histogram(3); // after the first 5 s (start-up excluded)
        Map<String, List<Long>> found = new HashMap<>();
        run.startRig();
        long start = System.nanoTime();
        long lastStatus = start;
        long lastSamples = 0;
        long lastSpikes = 0;
        long quietSince = 0;
        while (true) {
          run.poll(
              Duration.ofMillis(20),
              (SpikeEvent e) -> {
                long us = LiveRun.latencyUs(e);
                latency.recordValue(us);
                if (metrics != null) {
                  metrics.observeLatencySeconds(us / 1e6);
                }
                found.computeIfAbsent(e.getNeuron(), k -> new ArrayList<>()).add(e.getSample());
              });
          long now = System.nanoTime();
          if (now - lastStatus >= 1_000_000_000L) {
            Histogram h = latency.getIntervalHistogram();
            total.add(h);
            if (now - start > 5_000_000_000L) {
              steady.add(h);
            }
            long samples = stats.samples.sum();
            long spikes = stats.spikes.sum();
            double dt = (now - lastStatus) / 1e9;
            out.printf(
                Locale.ROOT,
                "\r%5.0f s  samples/s %8.0f  spikes/s %6.1f  latency p50 %6.1f ms p99 %6.1f ms"
                    + "  lag %4d chunks  bad %d   ",
                (now - start) / 1e9,
                (samples - lastSamples) / dt,
                (spikes - lastSpikes) / dt,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0,
                run.lagChunks(),
                stats.badTotal());
            out.flush();
            lastStatus = now;
            lastSamples = samples;
            lastSpikes = spikes;
          }
          if (!run.rigRunning() && run.lagChunks() == 0) {
            if (quietSince == 0) {
              quietSince = now;
            } else if (now - quietSince > 3_000_000_000L) {
              break;
            }
          }
        }
        total.add(latency.getIntervalHistogram());
        Counts c = Counts.ZERO;
        for (Recording r : recs) {
          List<Long> got = found.getOrDefault(r.name(), List.of());
          long[] det = got.stream().mapToLong(Long::longValue).sorted().toArray();
          c = c.plus(Matcher.counts(r.truth(), det, 2, r.length(), r.durationS()));
        }
        out.println();
        out.printf(
            Locale.ROOT,
            "summary: %d neurons x %.0f s, profile %s; %d spikes; end-to-end latency (acquisition"
                + " -> readable event) p50 %.1f ms, p99 %.1f ms, max %.1f ms; after the first 5 s:"
                + " p50 %.1f ms, p99 %.1f ms; F1 %.3f (precision %.3f, recall %.3f, +-2 samples);"
                + " bad records %d%n",
            neurons,
            durationS,
            profile,
            total.getTotalCount(),
            total.getValueAtPercentile(50) / 1000.0,
            total.getValueAtPercentile(99) / 1000.0,
            total.getMaxValue() / 1000.0,
            steady.getValueAtPercentile(50) / 1000.0,
            steady.getValueAtPercentile(99) / 1000.0,
            c.f1(),
            c.precision(),
            c.recall(),
            stats.badTotal());
        out.flush();
      }
    } finally {
      if (metrics != null) {
        metrics.close();
      }
    }
    return 0;
  }
}
