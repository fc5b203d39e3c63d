package io.voltspike.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@link ThresholdSweep} as {@code evaluate --threshold-sweep} reports it: a row per threshold
 * and the best F1 within a false-positive budget, as a table or JSON.
 */
public record SweepReport(
    double toleranceMs, double fpBudgetPerS, List<ThresholdSweep.Point> points) {

  public Optional<ThresholdSweep.Point> best() {
    return ThresholdSweep.bestWithin(points, fpBudgetPerS);
  }

  /** A fixed-width table in the layout of {@link EvaluationReport#table}. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "detector unet, the rule alone (operating point fixed), tolerance +-%.1f ms: every"
                + " probability threshold from one run%n",
            toleranceMs));
    sb.append(String.format(Locale.ROOT, "%-9s %s%n", "threshold", EvaluationReport.COUNT_HEADER));
    for (ThresholdSweep.Point p : points) {
      sb.append(
          String.format(
              Locale.ROOT, "%-9.3f %s%n", p.threshold(), EvaluationReport.countCells(p.counts())));
    }
    sb.append(
        best()
            .map(
                p ->
                    String.format(
                        Locale.ROOT,
                        "best F1 within %.2f false positives per second per neuron: %.3f at"
                            + " threshold %.3f (%.3f fp/s)%n",
                        fpBudgetPerS,
                        p.counts().f1(),
                        p.threshold(),
                        p.counts().fpPerSecond()))
            .orElse(
                String.format(
                    Locale.ROOT,
                    "no threshold keeps within %.2f false positives per second per neuron%n",
                    fpBudgetPerS)));
    return sb.toString();
  }

  /** The rows and the best point ({@code null} when none is within the budget). */
  public void writeJson(Path file) throws IOException {
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = om.createObjectNode();
    root.put("detector", "unet");
    root.put("operating_point", "fixed");
    root.put("tolerance_ms", toleranceMs);
    root.put("fp_budget_per_s", fpBudgetPerS);
    ArrayNode rows = root.putArray("thresholds");
    for (ThresholdSweep.Point p : points) {
      rows.add(row(om, p));
    }
    Optional<ThresholdSweep.Point> b = best();
    if (b.isPresent()) {
      root.set("best", row(om, b.get()));
    } else {
      root.putNull("best");
    }
    om.writeValue(file.toFile(), root);
  }

  private static ObjectNode row(ObjectMapper om, ThresholdSweep.Point p) {
    Counts c = p.counts();
    ObjectNode n = om.createObjectNode();
    n.put("threshold", p.threshold());
    n.put("tp", c.tp());
    n.put("fp", c.fp());
    n.put("fn", c.fn());
    n.put("precision", c.precision());
    n.put("recall", c.recall());
    n.put("f1", c.f1());
    n.put("accuracy", c.accuracy());
    n.put("fp_per_s", c.fpPerSecond());
    return n;
  }
}
