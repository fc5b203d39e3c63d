package io.voltspike.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.voltspike.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text tables and JSON of an evaluation: overall, per SNR band, per family, per file. */
public final class EvaluationReport {
  private final double toleranceMs;
  private final Map<String, List<TraceResult>> byDetector;

  public EvaluationReport(double toleranceMs, Map<String, List<TraceResult>> byDetector) {
    this.toleranceMs = toleranceMs;
    this.byDetector = byDetector;
  }

  public Map<String, List<TraceResult>> byDetector() {
    return byDetector;
  }

  public double toleranceMs() {
    return toleranceMs;
  }

  /** A score to three decimals, "n/a" for NaN: as every table prints it. */
  public static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }

  /** The header of the count columns every table prints (tp to fp/s), in {@link #countCells}. */
  public static final String COUNT_HEADER =
      String.format(
          Locale.ROOT,
          "%6s %6s %6s %9s %9s %7s %9s %7s",
          "tp",
          "fp",
          "fn",
          "precision",
          "recall",
          "f1",
          "accuracy",
          "fp/s");

  /** Counts and their scores as the columns of {@link #COUNT_HEADER}. */
  public static String countCells(Counts c) {
    return String.format(
        Locale.ROOT,
        "%6d %6d %6d %9s %9s %7s %9s %7s",
        c.tp(),
        c.fp(),
        c.fn(),
        fmt(c.precision()),
        fmt(c.recall()),
        fmt(c.f1()),
        fmt(c.accuracy()),
        fmt(c.fpPerSecond()));
  }

  /** A fixed-width table: one row per group, for each detector. */
  public String table(boolean perFile) {
    StringBuilder sb = new StringBuilder();
    for (var e : byDetector.entrySet()) {
      List<TraceResult> rs = e.getValue();
      sb.append(
          String.format(
              Locale.ROOT,
              "detector %s, tolerance +-%.1f ms (+-%d samples at 1 kHz)%n",
              e.getKey(),
              toleranceMs,
              Math.round(toleranceMs)));
      sb.append(
          String.format(
              Locale.ROOT, "%-16s %s %9s %8s%n", "group", COUNT_HEADER, "samp.acc", "<2.5sd"));
      List<Map.Entry<String, List<TraceResult>>> rows = new ArrayList<>();
      if (perFile) {
        for (TraceResult t : rs) {
          rows.add(Map.entry(t.name(), List.of(t)));
        }
      }
      rows.addAll(Evaluator.partition(rs, t -> "snr " + SnrBand.of(t.snr())).entrySet());
      rows.addAll(Evaluator.partition(rs, t -> "family " + t.family()).entrySet());
      rows.add(Map.entry("overall", rs));
      for (var r : rows) {
        Counts c = Evaluator.total(r.getValue());
        double low = Evaluator.lowSdShare(r.getValue());
        sb.append(
            String.format(
                Locale.ROOT,
                "%-16s %s %9s %8s%n",
                r.getKey(),
                countCells(c),
                String.format(Locale.ROOT, "%.5f", c.sampleAccuracy()),
                Double.isNaN(low) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * low)));
      }
      BurstRecall b = bursts(rs);
      if (b.burstSpikes() > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "bursts (previous spike <= %.0f ms): %d spikes, recall %s; isolated spikes of the"
                    + " same heights: recall %s (all %d isolated: %s)%n",
                BurstRecall.BURST_MS,
                b.burstSpikes(),
                fmt(b.burstRecallComparable()),
                fmt(b.isolatedRecallAtBurstHeights()),
                b.isolatedSpikes(),
                fmt(b.isolatedRecall())));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** A Markdown table of F1 per SNR band, one column per detector (the README's table). */
  public String markdownF1BySnr() {
    List<String> dets = new ArrayList<>(byDetector.keySet());
    Map<String, Map<String, Counts>> bands = new LinkedHashMap<>();
    for (String d : dets) {
      bands.put(d, Evaluator.groupBy(byDetector.get(d), t -> SnrBand.of(t.snr())));
    }
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(SnrBand.ORDER);
    bands.values().forEach(m -> keys.addAll(m.keySet()));
    StringBuilder sb = new StringBuilder("| SNR band |");
    for (String d : dets) {
      sb.append(' ').append(d).append(" F1 |");
    }
    sb.append("\n|---|");
    sb.append("---|".repeat(dets.size())).append('\n');
    for (String k : keys) {
      sb.append("| ").append(k).append(" |");
      for (String d : dets) {
        Counts c = bands.get(d).get(k);
        sb.append(' ').append(c == null ? "" : fmt(c.f1())).append(" |");
      }
      sb.append('\n');
    }
    sb.append("| overall |");
    for (String d : dets) {
      sb.append(' ').append(fmt(Evaluator.total(byDetector.get(d)).f1())).append(" |");
    }
    sb.append('\n');
    return sb.toString();
  }

  /** The burst and isolated recall of all traces together. */
  static BurstRecall bursts(List<TraceResult> rs) {
    BurstRecall b = BurstRecall.empty();
    for (TraceResult t : rs) {
      b = b.plus(t.bursts());
    }
    return b;
  }

  public void writeJson(Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("tolerance_ms", toleranceMs);
    Map<String, Object> dets = new LinkedHashMap<>();
    for (var e : byDetector.entrySet()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("overall", counts(Evaluator.total(e.getValue())));
      d.put("low_sd_share", nan(Evaluator.lowSdShare(e.getValue())));
      BurstRecall b = bursts(e.getValue());
      Map<String, Object> burst = new LinkedHashMap<>();
      burst.put("burst_ms", BurstRecall.BURST_MS);
      burst.put("burst_spikes", b.burstSpikes());
      burst.put("burst_recall", nan(b.burstRecallComparable()));
      burst.put("isolated_recall_at_burst_heights", nan(b.isolatedRecallAtBurstHeights()));
      burst.put("isolated_spikes", b.isolatedSpikes());
      burst.put("isolated_recall", nan(b.isolatedRecall()));
      d.put("bursts", burst);
      Map<String, Object> bands = new LinkedHashMap<>();
      Evaluator.groupBy(e.getValue(), t -> SnrBand.of(t.snr()))
          .forEach((k, v) -> bands.put(k, counts(v)));
      d.put("by_snr_band", bands);
      Map<String, Object> fams = new LinkedHashMap<>();
      Evaluator.partition(e.getValue(), TraceResult::family)
          .forEach(
              (k, v) -> {
                Map<String, Object> m = counts(Evaluator.total(v));
                m.put("low_sd_share", nan(Evaluator.lowSdShare(v)));
                fams.put(k, m);
              });
      d.put("by_family", fams);
      List<Object> files = new ArrayList<>();
      for (TraceResult t : e.getValue()) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", t.name());
        f.put("snr", Double.isNaN(t.snr()) ? null : t.snr());
        f.put("family", t.family());
        f.putAll(counts(t.counts()));
        f.put("spikes", t.spikes().size());
        f.put("low_sd_spikes", t.lowSd());
        files.add(f);
      }
      d.put("files", files);
      dets.put(e.getKey(), d);
    }
    root.put("detectors", dets);
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    AtomicFiles.writeText(file, w -> om.writeValue(w, root));
  }

  static Map<String, Object> counts(Counts c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tp", c.tp());
    m.put("fp", c.fp());
    m.put("fn", c.fn());
    m.put("tn_samples", c.tn());
    m.put("precision", nan(c.precision()));
    m.put("recall", nan(c.recall()));
    m.put("f1", nan(c.f1()));
    m.put("accuracy", nan(c.accuracy()));
    m.put("miss_rate", nan(c.missRate()));
    m.put("fp_per_s", nan(c.fpPerSecond()));
    m.put("sample_accuracy", nan(c.sampleAccuracy()));
    return m;
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
