package io.voltspike.eval;

import io.voltspike.detect.Spike;
import io.voltspike.io.AtomicFiles;
import io.voltspike.io.Recording;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The evaluation as an HTML page with PNG charts (XChart): F1 against SNR for each detector, and
 * example traces with true and detected spikes.
 */
public final class HtmlReport {
  private static final int EXAMPLE_WINDOW_MS = 2000;

  private HtmlReport() {}

  public static void write(Path dir, EvaluationReport report, Map<String, Recording> recordings)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>VoltSpike evaluation")
        .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:auto}")
        .append("pre{background:#f6f6f6;padding:8px}</style></head><body>")
        .append("<h1>VoltSpike evaluation</h1>");
    html.append(
        String.format(
            Locale.ROOT,
            "<p>Matching: one-to-one within &plusmn;%.1f ms.</p>",
            report.toleranceMs()));
    writeF1VsSnr(dir.resolve("f1_vs_snr.png"), report);
    html.append("<h2>F1 against SNR</h2><img src=\"f1_vs_snr.png\" alt=\"F1 vs SNR\">");
    html.append("<h2>Scores</h2><pre>").append(escape(report.table(false))).append("</pre>");
    html.append("<h2>Example traces</h2>");
    for (String name : examples(report)) {
      Recording r = recordings.get(name);
      if (r == null) {
        continue;
      }
      String file = "trace_" + name.replaceAll("[^A-Za-z0-9_-]", "_") + ".png";
      writeExample(dir.resolve(file), r, report);
      html.append("<h3>")
          .append(escape(name))
          .append("</h3><img src=\"")
          .append(file)
          .append("\" alt=\"")
          .append(escape(name))
          .append("\">");
    }
    html.append("</body></html>\n");
    AtomicFiles.writeText(dir.resolve("index.html"), w -> w.write(html.toString()));
  }

  /** The lowest-, middle- and highest-SNR traces of the first detector's results. */
  static List<String> examples(EvaluationReport report) {
    List<TraceResult> first = report.byDetector().values().iterator().next();
    List<TraceResult> sorted = new ArrayList<>(first);
    sorted.sort(Comparator.comparingDouble(t -> Double.isNaN(t.snr()) ? 0 : t.snr()));
    List<String> out = new ArrayList<>();
    if (sorted.isEmpty()) {
      return out;
    }
    for (int i : new int[] {0, sorted.size() / 2, sorted.size() - 1}) {
      String n = sorted.get(i).name();
      if (!out.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  private static void writeF1VsSnr(Path png, EvaluationReport report) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(450)
            .title("F1 against SNR")
            .xAxisTitle("SNR (spike height / noise sigma)")
            .yAxisTitle("F1")
            .build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
    for (var e : report.byDetector().entrySet()) {
      Map<String, Counts> bySnr =
          Evaluator.groupBy(e.getValue(), t -> String.format(Locale.ROOT, "%08.3f", t.snr()));
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (var b : bySnr.entrySet()) {
        double snr = Double.parseDouble(b.getKey());
        double f1 = b.getValue().f1();
        if (!Double.isNaN(snr) && !Double.isNaN(f1)) {
          x.add(snr);
          y.add(f1);
        }
      }
      if (!x.isEmpty()) {
        chart.addSeries(e.getKey(), x, y);
      }
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("no simulated SNR", new double[] {0}, new double[] {0});
    }
    save(chart, png);
  }

  private static void writeExample(Path png, Recording r, EvaluationReport report)
      throws IOException {
    int n = (int) Math.min(r.length(), Math.round(EXAMPLE_WINDOW_MS * r.sampleRateHz() / 1000.0));
    double[] t = new double[n];
    double[] v = new double[n];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      t[i] = i * 1000.0 / r.sampleRateHz();
      v[i] = r.voltage()[i];
      if (Double.isFinite(v[i])) {
        lo = Math.min(lo, v[i]);
        hi = Math.max(hi, v[i]);
      }
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(350)
            .title(r.name() + " (first " + EXAMPLE_WINDOW_MS + " ms)")
            .xAxisTitle("time (ms)")
            .yAxisTitle("fluorescence")
            .build();
    XYSeries trace = chart.addSeries("trace", t, v);
    trace.setMarker(SeriesMarkers.NONE);
    trace.setLineColor(Color.GRAY);
    double span = Math.max(hi - lo, 1e-9);
    addMarks(chart, "truth", markTimes(r.truth(), n, r.sampleRateHz()), hi + 0.05 * span);
    int row = 2;
    for (var e : report.byDetector().entrySet()) {
      for (TraceResult tr : e.getValue()) {
        if (tr.name().equals(r.name())) {
          List<Spike> s = tr.spikes();
          int[] samples = new int[s.size()];
          for (int i = 0; i < samples.length; i++) {
            samples[i] = (int) s.get(i).sample();
          }
          addMarks(
              chart, e.getKey(), markTimes(samples, n, r.sampleRateHz()), hi + 0.05 * row * span);
          row++;
        }
      }
    }
    save(chart, png);
  }

  private static double[] markTimes(int[] samples, int n, double fs) {
    if (samples == null) {
      return new double[0];
    }
    return java.util.Arrays.stream(samples)
        .filter(s -> s >= 0 && s < n)
        .mapToDouble(s -> s * 1000.0 / fs)
        .toArray();
  }

  private static void addMarks(XYChart chart, String name, double[] times, double level) {
    if (times.length == 0) {
      return;
    }
    double[] y = new double[times.length];
    java.util.Arrays.fill(y, level);
    XYSeries s = chart.addSeries(name, times, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
  }

  private static void save(XYChart chart, Path png) throws IOException {
    String base = png.toString().replaceAll("\\.png$", "");
    BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
