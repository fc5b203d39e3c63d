package io.voltspike.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The best F1 any detector could expect on a simulated set: a ceiling that says how much of a
 * detector's shortfall is the data's and how much is the detector's.
 *
 * <p>The ideal observer is told each spike's exact waveform and every nuisance, and faces white
 * Gaussian shot noise only. Testing every sample with a matched filter at threshold {@code theta}
 * (in noise sigmas), it detects a spike of detectability d' with probability {@code Phi(d' -
 * theta)} and raises a false alarm at each of the {@code samples} noise-only positions with
 * probability {@code Q(theta)}. Expected counts give expected precision, recall and F1. Counting
 * every exceeding sample as a false positive (rather than one per cluster) errs on the side of more
 * false positives; leaving out coloured noise, subthreshold activity, artefacts, waveform
 * uncertainty and overlapping spikes errs the other way, by more (see the README).
 */
public final class IdealObserver {
  private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

  /** One trace: its band (e.g. SNR band), the d' of each true spike, and its length. */
  public record Trace(String band, double[] dPrime, long samples, double sampleRateHz) {
    double seconds() {
      return samples / sampleRateHz;
    }
  }

  /** Expected scores of one band at one threshold. */
  public record Row(
      String band,
      int traces,
      long spikes,
      double thresholdSigma,
      double tp,
      double fp,
      double fn,
      double seconds) {
    public double precision() {
      return tp + fp > 0 ? tp / (tp + fp) : Double.NaN;
    }

    public double recall() {
      return tp + fn > 0 ? tp / (tp + fn) : Double.NaN;
    }

    public double f1() {
      return 2 * tp + fp + fn > 0 ? 2 * tp / (2 * tp + fp + fn) : Double.NaN;
    }

    public double fpPerSecond() {
      return seconds > 0 ? fp / seconds : Double.NaN;
    }
  }

  private IdealObserver() {}

  /** Expected counts of all traces together at threshold theta (noise sigmas). */
  public static Row at(String band, List<Trace> traces, double theta) {
    double tp = 0;
    double fp = 0;
    long spikes = 0;
    double seconds = 0;
    double falseAlarm = 1 - NORMAL.cumulativeProbability(theta);
    for (Trace t : traces) {
      for (double d : t.dPrime()) {
        tp += NORMAL.cumulativeProbability(d - theta);
      }
      spikes += t.dPrime().length;
      fp += Math.max(0, t.samples() - t.dPrime().length) * falseAlarm;
      seconds += t.seconds();
    }
    return new Row(band, traces.size(), spikes, theta, tp, fp, spikes - tp, seconds);
  }

  /** The threshold (0-10 sigmas, 0.01 steps) that maximises the expected F1 of all traces. */
  public static double bestThreshold(List<Trace> traces) {
    double best = 0;
    double bestF1 = -1;
    for (int i = 0; i <= 1000; i++) {
      double theta = i / 100.0;
      double f1 = at("all", traces, theta).f1();
      if (f1 > bestF1) {
        bestF1 = f1;
        best = theta;
      }
    }
    return best;
  }

  /** The threshold at which noise alone gives {@code fpPerSecond} false positives per second. */
  public static double thresholdForFalsePositives(double fpPerSecond, double sampleRateHz) {
    if (!(fpPerSecond > 0) || fpPerSecond >= sampleRateHz) {
      throw new IllegalArgumentException(
          "false positives per second must be in (0, sample rate), was " + fpPerSecond);
    }
    return NORMAL.inverseCumulativeProbability(1 - fpPerSecond / sampleRateHz);
  }

  /**
   * One row per band (in first-seen order) and a last row "overall", all at the same threshold: a
   * detector has one setting for every trace.
   */
  public static List<Row> byBand(List<Trace> traces, double theta) {
    Map<String, List<Trace>> bands = new LinkedHashMap<>();
    for (Trace t : traces) {
      bands.computeIfAbsent(t.band(), k -> new ArrayList<>()).add(t);
    }
    List<Row> rows = new ArrayList<>();
    bands.forEach((band, ts) -> rows.add(at(band, ts, theta)));
    rows.add(at("overall", traces, theta));
    return rows;
  }
}
