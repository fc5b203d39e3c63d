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
  private final double toleranceMs;

  public Evaluator(double toleranceMs) {
    if (!(toleranceMs >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0 ms, was " + toleranceMs);
    }
    this.toleranceMs = toleranceMs;
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
      String detector, DetectorOptions options, PeakSign explicitSign, Recording r) {
    DetectorOptions o =
        options.withSampleRate(r.sampleRateHz()).withPeakSign(peakSignFor(r, explicitSign));
    SpikeDetector d = Detectors.create(detector, o);
    return OfflineDetection.run(d, r.voltage());
  }

  public TraceResult evaluate(
      String detector, DetectorOptions options, PeakSign explicitSign, Recording r) {
    if (!r.hasTruth()) {
      throw new IllegalArgumentException(r.name() + ": has no ground-truth spikes to compare with");
    }
    List<Spike> spikes = detect(detector, options, explicitSign, r);
    Counts c =
        Matcher.counts(
            r.truth(),
            OfflineDetection.samples(spikes),
            toleranceSamples(r.sampleRateHz()),
            r.length(),
            r.durationS());
    double snr = r.meta("snr").map(Double::parseDouble).orElse(Double.NaN);
    String family = r.meta("family").orElse("unknown");
    return new TraceResult(r.name(), detector, snr, family, c, spikes);
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

  public static Counts total(List<TraceResult> results) {
    Counts c = Counts.ZERO;
    for (TraceResult t : results) {
      c = c.plus(t.counts());
    }
    return c;
  }
}
