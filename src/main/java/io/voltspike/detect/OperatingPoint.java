package io.voltspike.detect;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a detector trades missed spikes for invented ones, named for what the user does with the
 * spikes and defined as false positives per second per neuron. A named point is calibrated per
 * neuron from that neuron's own noise ({@link FalseAlarmCalibration}), so it means the same
 * false-alarm rate on a quiet and on a noisy neuron; {@code fixed} uses {@code detect_threshold} as
 * it is.
 *
 * <p>{@code matched} calibrates its threshold on the filter output; {@code unet} keeps its fixed
 * rule and raises the probability a candidate needs where this neuron's own noise, read through the
 * sign-flipped windows, would pass that rule more often than the target (it never lowers it).
 */
public enum OperatingPoint {
  /**
   * Each detector's own default: {@link #CLOSED_LOOP} for {@code matched} (a fixed threshold on its
   * filter output has no other bar against a noisy neuron), {@link #BALANCED} for {@code unet} (it
   * only raises the bar on neurons whose noise the network mistakes for spikes: within 0.01 F1 of
   * {@link #FIXED} on every simulated set, with up to a third fewer false positives;
   * docs/evaluation.md).
   */
  AUTO(Double.NaN),
  /**
   * No per-neuron calibration: {@code matched} thresholds at {@code detect_threshold}, {@code unet}
   * at its probability threshold and height floor, the same for every neuron.
   */
  FIXED(Double.NaN),
  /** A closed loop stimulates on every spike: 0.1 false positives per second per neuron. */
  CLOSED_LOOP(0.1),
  /** 0.3 false positives per second per neuron. */
  BALANCED(0.3),
  /** Offline analysis that will look at every spike: 1 false positive per second per neuron. */
  ANALYSIS(1.0);

  private final double falsePositivesPerS;

  OperatingPoint(double falsePositivesPerS) {
    this.falsePositivesPerS = falsePositivesPerS;
  }

  /** This point, or {@code detectorDefault} for {@link #AUTO}. */
  public OperatingPoint or(OperatingPoint detectorDefault) {
    return this == AUTO ? detectorDefault : this;
  }

  /** The target false-alarm rate per neuron; NaN for {@link #FIXED} and {@link #AUTO}. */
  public double falsePositivesPerS() {
    return falsePositivesPerS;
  }

  /** The name users write: auto, fixed, closed-loop, balanced, analysis. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static OperatingPoint parse(String s) {
    for (OperatingPoint p : values()) {
      if (p.label().equalsIgnoreCase(s.strip())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown operating point '"
            + s
            + "'; valid values: "
            + Arrays.stream(values()).map(OperatingPoint::label).collect(Collectors.joining(", ")));
  }
}
