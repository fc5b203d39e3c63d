package io.voltspike.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.voltspike.eval.IdealObserver;
import io.voltspike.eval.SnrBand;
import io.voltspike.io.AtomicFiles;
import io.voltspike.io.Recordings;
import io.voltspike.sim.Family;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.TraceParams;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code voltspike ceiling}: the ideal observer's F1 on a simulated set, per SNR band, so a
 * detector's figures can be read against what the data allow.
 */
@Command(
    name = "ceiling",
    mixinStandardHelpOptions = true,
    description = {
      "Expected F1 of an ideal observer on a simulated set (from its manifest.json): told each",
      "spike's exact waveform and every nuisance, facing white shot noise only. An upper bound",
      "in practice: no detector should beat it. One threshold for all traces: the one that",
      "maximises overall F1, and the one that meets --fp-per-s."
    })
public final class CeilingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--input",
      required = true,
      description = "Directory written by voltspike simulate.")
  Path input;

  @Option(
      names = "--fp-per-s",
      defaultValue = "0.2",
      description = "False-positive budget per second per neuron. Default: ${DEFAULT-VALUE}.")
  double fpPerS;

  @Option(names = "--json", description = "Also write the results as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    List<IdealObserver.Trace> traces = traces(input);
    double sampleRateHz = traces.get(0).sampleRateHz();
    double best = IdealObserver.bestThreshold(traces);
    double budget = IdealObserver.thresholdForFalsePositives(fpPerS, sampleRateHz);
    List<IdealObserver.Row> atBest = IdealObserver.byBand(traces, best);
    List<IdealObserver.Row> atBudget = IdealObserver.byBand(traces, budget);
    PrintWriter w = spec.commandLine().getOut();
    w.printf(
        Locale.ROOT,
        "ideal observer on %s: %d traces, %d spikes%n",
        input,
        traces.size(),
        atBest.get(atBest.size() - 1).spikes());
    table(w, "best F1", atBest);
    table(w, String.format(Locale.ROOT, "%.2f false positives/s", fpPerS), atBudget);
    w.flush();
    if (json != null) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("input", input.toString());
      root.put("best_f1", rows(atBest));
      root.put("fp_budget_per_s", fpPerS);
      root.put("at_fp_budget", rows(atBudget));
      ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      AtomicFiles.writeText(json, out -> om.writeValue(out, root));
    }
    return 0;
  }

  private static void table(PrintWriter w, String title, List<IdealObserver.Row> rows) {
    w.printf(
        Locale.ROOT,
        "%n%s (threshold %.2f sigma)%n%-10s %7s %7s %9s %7s %8s%n",
        title,
        rows.get(0).thresholdSigma(),
        "snr_band",
        "spikes",
        "f1",
        "precision",
        "recall",
        "fp_per_s");
    for (IdealObserver.Row r : rows) {
      w.printf(
          Locale.ROOT,
          "%-10s %7d %7.3f %9.3f %7.3f %8.3f%n",
          r.band(),
          r.spikes(),
          r.f1(),
          r.precision(),
          r.recall(),
          r.fpPerSecond());
    }
  }

  private static List<Map<String, Object>> rows(List<IdealObserver.Row> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (IdealObserver.Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("snr_band", r.band());
      m.put("threshold_sigma", r.thresholdSigma());
      m.put("spikes", r.spikes());
      m.put("f1", r.f1());
      m.put("precision", r.precision());
      m.put("recall", r.recall());
      m.put("fp_per_s", r.fpPerSecond());
      out.add(m);
    }
    return out;
  }

  /** Rebuilds every trace's parameters from the manifest and checks its spike count. */
  static List<IdealObserver.Trace> traces(Path dir) throws Exception {
    if (!Files.isRegularFile(dir.resolve(Recordings.MANIFEST))) {
      throw new IllegalArgumentException(
          dir + ": no " + Recordings.MANIFEST + " (the ceiling needs a simulated set)");
    }
    Map<String, Map<String, String>> manifest = Recordings.manifest(dir);
    TraceParams base = TraceParams.of(Family.REGULAR, 1, 1, 1, 1000);
    Set<String> names = base.asMap().keySet();
    List<IdealObserver.Trace> out = new ArrayList<>();
    for (var e : manifest.entrySet()) {
      Map<String, String> m = e.getValue();
      Map<String, String> fields = new LinkedHashMap<>();
      m.forEach(
          (k, v) -> {
            if (names.contains(k)) {
              fields.put(k, v);
            }
          });
      TraceParams p = base.with(fields);
      double[] d = NeuronSimulator.detectability(p, Long.parseLong(m.get("seed")));
      String spikes = m.get("spikes");
      if (spikes != null && Integer.parseInt(spikes) != d.length) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s: manifest lists %s spikes but the simulator makes %d from its parameters"
                    + " (written by another simulator version?)",
                e.getKey(),
                spikes,
                d.length));
      }
      long samples = Math.round(p.durationS() * p.sampleRateHz());
      out.add(new IdealObserver.Trace(SnrBand.of(p.snr()), d, samples, p.sampleRateHz()));
    }
    out.sort(java.util.Comparator.comparing(IdealObserver.Trace::band, SnrBand.ORDER));
    return out;
  }
}
