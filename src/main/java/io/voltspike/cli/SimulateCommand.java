package io.voltspike.cli;

import io.voltspike.sim.Preset;
import io.voltspike.sim.SimulationWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voltspike simulate}: realistic traces with exact ground truth. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate 1 kHz voltage-imaging traces with exact ground truth (deterministic by seed).",
      "Writes one file per neuron plus manifest.json (SNR, family, polarity, every parameter).",
      "Presets: default (random SNR 2-12, family, polarity); bench (the standard benchmark:",
      "100 traces x 30 s, every family at 20 SNR levels over 2-10, seed 20251018)."
    })
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--neurons", description = "Number of traces (bench: 100, default: 8).")
  Integer neurons;

  @Option(names = "--duration-s", description = "Seconds per trace (default 30).")
  Double durationS;

  @Option(names = "--seed", description = "Random seed (bench: 20251018, default: 1).")
  Long seed;

  @Option(
      names = "--preset",
      defaultValue = "default",
      description =
          "default, bench (the standard benchmark), train (domain randomisation), unseen"
              + " (families training never shows), holdout (what real neurons do, outside every"
              + " training range) or silent (spike-free)."
              + " Default: ${DEFAULT-VALUE}.")
  String preset;

  @Option(
      names = "--format",
      defaultValue = "csv",
      description =
          "csv (time_ms,voltage,spike) or npy (the poster's [3,T]). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--sample-rate-hz",
      defaultValue = "1000",
      description = "Sample rate. Default: ${DEFAULT-VALUE}.")
  double sampleRateHz;

  @Option(
      names = "--set",
      description =
          "Override a trace parameter for every trace, e.g. --set bleach_fraction=0.6"
              + " (names as in manifest.json).")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (neurons != null && neurons < 1) {
      throw new IllegalArgumentException("--neurons must be >= 1, was " + neurons);
    }
    if (durationS != null && !(durationS > 0)) {
      throw new IllegalArgumentException("--duration-s must be > 0, was " + durationS);
    }
    Preset p = Preset.parse(preset);
    SimulationWriter.Format f = SimulationWriter.Format.parse(format);
    List<Preset.Spec> specs = p.specs(neurons, durationS, seed, sampleRateHz);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("generator", "voltspike simulate");
    header.put("preset", p.toString());
    header.put("seed", seed);
    header.put("sample_rate_hz", sampleRateHz);
    header.put("overrides", overrides);
    long[] spikes = {0};
    try (Progress bar = Progress.start("simulate", specs.size())) {
      SimulationWriter.write(
          out,
          specs,
          f,
          overrides,
          header,
          r -> {
            spikes[0] += r.truth().length;
            bar.step();
          });
    }
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "simulated %d traces (%s preset, %s) with %d spikes into %s%n",
        specs.size(),
        p,
        f.name().toLowerCase(Locale.ROOT),
        spikes[0],
        out);
    w.flush();
    return 0;
  }
}
