package io.voltspike.eval;

import io.voltspike.detect.Spike;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The U-Net's whole trade between missed and invented spikes, from one run. A spike is a local
 * maximum of the averaged probability above the threshold ({@link io.voltspike.detect.PeakPicker}),
 * and neither the height floor nor the oscillation veto depends on the threshold, so the spikes at
 * a higher threshold are exactly those of a lower one whose score exceeds it: one run at the lowest
 * threshold scores every threshold (at recording rates where two model-grid spikes cannot share a
 * frame: above 333 Hz for a 1 kHz model). Training chooses its operating point this way; {@code
 * evaluate --threshold-sweep} shows users the curve on their own labelled data.
 */
public final class ThresholdSweep {
  /** Thresholds scored: 0.05, 0.075, ..., 0.975. */
  public static final double[] THRESHOLDS =
      IntStream.rangeClosed(2, 39).mapToDouble(i -> i * 0.025).toArray();

  private ThresholdSweep() {}

  /**
   * One trace: its true spikes and what the detector found at the lowest threshold, both already
   * restricted to the scored stretch.
   *
   * @param samples samples compared (for sample-level true negatives)
   * @param durationS seconds compared (for false positives per second)
   */
  public record Trace(
      int[] truth, List<Spike> spikes, int toleranceSamples, long samples, double durationS) {}

  /** The counts over every trace at one threshold. */
  public record Point(double threshold, Counts counts) {}

  /** Counts at each threshold: a spike counts when its score exceeds it. */
  public static List<Point> sweep(List<Trace> traces, double[] thresholds) {
    List<Point> out = new ArrayList<>(thresholds.length);
    for (double t : thresholds) {
      Counts total = Counts.ZERO;
      for (Trace tr : traces) {
        long[] s =
            tr.spikes().stream().filter(x -> x.score() > t).mapToLong(Spike::sample).toArray();
        total =
            total.plus(
                Matcher.counts(tr.truth(), s, tr.toleranceSamples(), tr.samples(), tr.durationS()));
      }
      out.add(new Point(t, total));
    }
    return out;
  }

  /**
   * The point with the best F1 among those with at most {@code fpBudgetPerS} false positives per
   * second (the lowest threshold on ties); empty when none is within it.
   */
  public static Optional<Point> bestWithin(List<Point> points, double fpBudgetPerS) {
    Point best = null;
    for (Point p : points) {
      if (p.counts().fpPerSecond() <= fpBudgetPerS
          && (best == null || p.counts().f1() > best.counts().f1())) {
        best = p;
      }
    }
    return Optional.ofNullable(best);
  }
}
