package io.voltspike.eval;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.OfflineDetection;
import io.voltspike.detect.PeakSign;
import io.voltspike.detect.Spike;
import io.voltspike.detect.SpikeDetector;
import io.voltspike.io.Recording;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Runs detectors over labelled recordings and compares them with ground truth, per trace and
 * grouped by SNR band and family.
 */
public final class Evaluator {
  private final Detectors detectors;
  private final double toleranceMs;
  private final double scoreFromMs;

  /**
   * @param detectors builds the detectors to evaluate
   * @param scoreFromMs only spikes (true and detected) from this time on are scored; detection
   *     still runs on the whole trace (for a reference that covers only part of a recording)
   */
  public Evaluator(Detectors detectors, double toleranceMs, double scoreFromMs) {
    if (!(toleranceMs >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0 ms, was " + toleranceMs);
    }
    if (!(scoreFromMs >= 0)) {
      throw new IllegalArgumentException("score_from_ms must be >= 0, was " + scoreFromMs);
    }
    this.detectors = detectors;
    this.toleranceMs = toleranceMs;
    this.scoreFromMs = scoreFromMs;
  }

  public double toleranceMs() {
    return toleranceMs;
  }

  public int toleranceSamples(double sampleRateHz) {
    return (int) Math.round(toleranceMs * sampleRateHz / 1000.0);
  }

  /**
   * The peak sign to use for a recording: the explicit one, or (when null, "auto") the recording's
   * {@code peak_sign} metadata, else pos.
   */
  public static PeakSign peakSignFor(Recording r, PeakSign explicit) {
    if (explicit != null) {
      return explicit;
    }
    return r.meta("peak_sign").map(PeakSign::parse).orElse(PeakSign.POS);
  }

  /** Detects on one recording with options adapted to its sample rate and polarity. */
  public static List<Spike> detect(
      Detectors detectors,
      String detector,
      DetectorOptions options,
      PeakSign explicitSign,
      Recording r) {
    DetectorOptions o =
        options.withSampleRate(r.sampleRateHz()).withPeakSign(peakSignFor(r, explicitSign));
    SpikeDetector d = detectors.create(detector, o);
    return OfflineDetection.run(d, r.voltage());
  }

  public TraceResult evaluate(
      String detector, DetectorOptions options, PeakSign explicitSign, Recording r) {
    if (!r.hasTruth()) {
      throw new IllegalArgumentException(r.name() + ": has no ground-truth spikes to compare with");
    }
    List<Spike> spikes = detect(detectors, detector, options, explicitSign, r);
    long from = scoreFrom(r);
    List<Spike> scored = spikes.stream().filter(s -> s.sample() >= from).toList();
    int[] truth = scoredTruth(r, from);
    Matcher.Result m =
        Matcher.match(truth, OfflineDetection.samples(scored), toleranceSamples(r.sampleRateHz()));
    Counts c =
        new Counts(
            m.tp(), m.fp(), m.fn(), r.length() - from, (r.length() - from) / r.sampleRateHz());
    // the detected spikes' heights, then the true spikes': one pass over the trace's features
    long[] detected = OfflineDetection.samples(scored);
    long[] both = java.util.Arrays.copyOf(detected, detected.length + truth.length);
    for (int i = 0; i < truth.length; i++) {
      both[detected.length + i] = truth[i];
    }
    double[] heights = Plausibility.heights(r, peakSignFor(r, explicitSign), both);
    BurstRecall bursts =
        BurstRecall.of(
            truth,
            m.matchOfTruth(),
            java.util.Arrays.copyOfRange(heights, detected.length, heights.length),
            r.sampleRateHz());
    double snr = r.meta("snr").map(Double::parseDouble).orElse(Double.NaN);
    String family = r.meta("family").orElse("unknown");
    int low = Plausibility.low(java.util.Arrays.copyOf(heights, detected.length));
    return new TraceResult(r.name(), detector, snr, family, c, scored, low, bursts);
  }

  /**
   * One recording detected for {@link ThresholdSweep}: its spikes and true spikes from {@code
   * score_from_ms} on, scored as {@link #evaluate} scores them.
   */
  public ThresholdSweep.Trace sweepTrace(
      String detector, DetectorOptions options, PeakSign explicitSign, Recording r) {
    if (!r.hasTruth()) {
      throw new IllegalArgumentException(r.name() + ": has no ground-truth spikes to compare with");
    }
    long from = scoreFrom(r);
    List<Spike> spikes =
        detect(detectors, detector, options, explicitSign, r).stream()
            .filter(s -> s.sample() >= from)
            .toList();
    int[] truth = scoredTruth(r, from);
    return new ThresholdSweep.Trace(
        truth,
        spikes,
        toleranceSamples(r.sampleRateHz()),
        r.length() - from,
        (r.length() - from) / r.sampleRateHz());
  }

  /** The true spikes from sample {@code from} on. */
  private static int[] scoredTruth(Recording r, long from) {
    return java.util.Arrays.stream(r.truth()).filter(t -> t >= from).toArray();
  }

  /** The first scored sample of a recording ({@code score_from_ms}). */
  private long scoreFrom(Recording r) {
    return Math.min(r.length(), Math.round(scoreFromMs * r.sampleRateHz() / 1000.0));
  }

  /** Sums counts by a grouping key, in key order. */
  public static Map<String, Counts> groupBy(
      List<TraceResult> results, Function<TraceResult, String> key) {
    Map<String, Counts> out = new TreeMap<>();
    for (TraceResult t : results) {
      out.merge(key.apply(t), t.counts(), Counts::plus);
    }
    return out;
  }

  /** Share of the reported spikes below {@link Plausibility#LOW_SD}; NaN when none. */
  public static double lowSdShare(List<TraceResult> results) {
    long spikes = 0;
    long low = 0;
    for (TraceResult t : results) {
      spikes += t.spikes().size();
      low += t.lowSd();
    }
    return spikes == 0 ? Double.NaN : (double) low / spikes;
  }

  /** Results grouped by a key, in key order. */
  public static Map<String, List<TraceResult>> partition(
      List<TraceResult> results, Function<TraceResult, String> key) {
    Map<String, List<TraceResult>> out = new TreeMap<>();
    for (TraceResult t : results) {
      out.computeIfAbsent(key.apply(t), k -> new java.util.ArrayList<>()).add(t);
    }
    return out;
  }

  public static Counts total(List<TraceResult> results) {
    Counts c = Counts.ZERO;
    for (TraceResult t : results) {
      c = c.plus(t.counts());
    }
    return c;
  }
}
