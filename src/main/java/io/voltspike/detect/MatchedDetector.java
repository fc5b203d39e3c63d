package io.voltspike.detect;

import io.voltspike.avro.state.MatchedState;
import io.voltspike.io.StateArrays;
import io.voltspike.io.StateCodec;

/**
 * The classical detector that reads a spike's evidence in the neuron's own noise: VolPy's
 * SpikePursuit idea (whiten the trace, correlate it with a spike template, threshold the result)
 * made causal. The normalized channel's {@link WhitenedEvidence}, in robust standard deviations of
 * the matched filter's output, is a spike where it is a local maximum above {@code
 * detect_threshold} with no larger value within {@code refractory_ms}. A spike whose evidence
 * reaches {@link #LEARN_SD} teaches the neuron's template. Needs no model; decisions are final
 * after the feature delay, the template's 3 ms after the peak and the refractory period (9 ms at 1
 * kHz with the defaults).
 */
public final class MatchedDetector extends FeatureDetector {
  public static final String NAME = "matched";

  /** Evidence (robust sd) from which a spike teaches the template. */
  public static final double LEARN_SD = 6.0;

  private final WhitenedEvidence evidence;
  private final PeakPicker picker;
  private final double threshold;
  private final boolean both;
  private final SpikeSink learner = this::onSpike;
  private final FalseAlarmCalibration calibration;
  private final int exclusion;
  private final double[] recentEvidence;

  /** The calibrated threshold is never below this (robust sd). */
  public static final double CALIBRATED_FLOOR = 3.0;

  /** Seconds of a neuron's noise before its calibrated threshold replaces detect_threshold. */
  public static final double CALIBRATION_WARMUP_S = 10;

  /** Time constant of the calibration's memory, seconds. */
  public static final double CALIBRATION_MEMORY_S = 30;

  public MatchedDetector(DetectorOptions options) {
    super(options);
    this.picker = new PeakPicker(options.refractorySamples());
    this.evidence = new WhitenedEvidence(options.features().sampleRateHz(), picker.delaySamples());
    this.threshold = options.detectThreshold();
    this.both = options.peakSign() == PeakSign.BOTH;
    double rate = options.features().sampleRateHz();
    OperatingPoint point = options.operatingPoint().or(OperatingPoint.CLOSED_LOOP);
    this.calibration =
        point == OperatingPoint.FIXED || both
            ? null
            : new FalseAlarmCalibration(
                point.falsePositivesPerS(),
                rate,
                CALIBRATED_FLOOR,
                Math.max(threshold, warmupThreshold(point)),
                CALIBRATION_WARMUP_S,
                CALIBRATION_MEMORY_S,
                picker.delaySamples());
    this.exclusion = (int) Math.max(2, Math.round(5 * rate / 1000.0));
    this.recentEvidence = new double[2 * exclusion + 1];
    java.util.Arrays.fill(recentEvidence, Double.NaN);
  }

  /**
   * The threshold of an operating point while its calibration warms up: about its false-alarm rate
   * on spike-free traces (docs/evaluation.md).
   */
  static double warmupThreshold(OperatingPoint p) {
    return switch (p) {
      case CLOSED_LOOP -> 4.5;
      case BALANCED -> 4.0;
      default -> 3.5;
    };
  }

  /** The threshold in force: detect_threshold, or the operating point's calibrated one. */
  public double threshold() {
    return calibration == null ? threshold : calibration.threshold();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int decisionLatencySamples() {
    return features.delaySamples() + evidence.delayFrames() + picker.delaySamples();
  }

  /** The evidence this detector thresholds (its template, noise model, lessons). */
  public WhitenedEvidence evidence() {
    return evidence;
  }

  @Override
  protected void endOfData(SpikeSink sink) {
    endSegment();
  }

  /** Decides the segment's last frames, whose evidence needs frames that will not come. */
  private void endSegment() {
    long from = Math.max(evidence.segmentStart(), evidence.nextFrame() - evidence.delayFrames());
    for (long c = from; c < evidence.nextFrame(); c++) {
      picker.push(Double.NEGATIVE_INFINITY, threshold(), learner);
    }
    picker.flush(learner);
    java.util.Arrays.fill(recentEvidence, Double.NaN);
  }

  @Override
  protected void onFrame(long index, float[] frame, boolean imputed) {
    if (index != evidence.nextFrame()) {
      endSegment();
      picker.reset(index);
    }
    double z = evidence.push(index, frame[0], imputed);
    if (!Double.isNaN(z)) {
      calibrate(z);
      picker.push(both ? Math.abs(z) : z, threshold(), learner);
    }
  }

  /**
   * Shows the calibration the flipped evidence of the frame {@code exclusion} frames back, or
   * nothing there when a spike-sized value lies within {@code exclusion} frames of it (a spike's
   * side lobes are not noise).
   */
  private void calibrate(double z) {
    if (calibration == null) {
      return;
    }
    System.arraycopy(recentEvidence, 1, recentEvidence, 0, recentEvidence.length - 1);
    recentEvidence[recentEvidence.length - 1] = z;
    double centre = recentEvidence[exclusion];
    if (Double.isNaN(centre)) {
      return;
    }
    double bar = calibration.threshold();
    boolean nearSpike = false;
    for (double v : recentEvidence) {
      nearSpike |= v > bar;
    }
    calibration.observe(nearSpike || !Double.isFinite(centre) ? Double.NEGATIVE_INFINITY : -centre);
  }

  /** Reports a spike and lets a confident one teach the template. */
  private void onSpike(long c, double z) {
    current.onSpike(c, z);
    if (z >= LEARN_SD) {
      evidence.learn(c);
    }
  }

  /** The codec of {@link MatchedState}, this detector's durable state. */
  public static final StateCodec<MatchedState> STATE =
      new StateCodec<>(MatchedState.getClassSchema(), "MatchedState");

  @Override
  public byte[] snapshot() {
    return STATE.encode(
        new MatchedState(
            features.state(),
            evidence.state(),
            picker.state(),
            calibration == null ? null : calibration.state(),
            calibration == null ? java.util.List.of() : StateArrays.doubles(recentEvidence)));
  }

  @Override
  public void restore(byte[] state) {
    MatchedState s = STATE.decode(state);
    features.restore(s.getFeatures());
    evidence.restore(s.getEvidence());
    picker.restore(s.getPicker());
    if ((s.getCalibration() == null) != (calibration == null)) {
      throw new IllegalArgumentException(
          "stored matched state has "
              + (calibration == null ? "an operating point" : "a fixed threshold")
              + ", this detector the other: another configuration");
    }
    if (calibration != null) {
      calibration.restore(s.getCalibration());
      StateArrays.fill(s.getRecentEvidence(), recentEvidence, "matched recent evidence");
    }
  }
}
