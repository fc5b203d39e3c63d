package io.voltspike.detect;

import io.voltspike.avro.state.CalibrationState;
import io.voltspike.io.StateArrays;

/**
 * A per-neuron threshold for a target false-alarm rate, learned from the neuron's own noise. The
 * decision statistic is a whitened matched-filter output, symmetric about zero where there is only
 * noise, while spikes push it one way; so the sign-flipped statistic is a sample of what noise
 * alone does (VolPy's mirrored noise model, here online). Its peaks are picked exactly as the
 * detector picks spikes (local maxima, the same dead time) and, for each level from 2 to 8 robust
 * sd in steps of 0.05, the peaks above it are counted with exponential forgetting (time constant
 * {@code memoryS}): the false alarms the detector would raise at that level. The threshold is the
 * higher of two estimates: the lowest level whose rate is at most the target, and the level where
 * the rate at ten times the target, extrapolated along a Gaussian tail, reaches the target (it
 * rests on many more peaks); never below {@code floor}. Until {@code warmupS} have been seen the
 * warm-up threshold holds. Callers pass negative infinity for samples near a detected spike (its
 * side lobes are not noise). The threshold is recomputed every tenth of a second of samples, by
 * sample count, so chunking cannot change it.
 */
public final class FalseAlarmCalibration {
  static final double LOWEST = 2.0;
  static final double STEP = 0.05;
  static final int LEVELS = 121;

  /**
   * The level whose rate is this many times the target anchors the Gaussian-tail estimate: many
   * more peaks than at the target itself.
   */
  static final double ANCHOR = 10;

  private final double targetPerS;
  private final double sampleRateHz;
  private final double floor;
  private final double warmupThreshold;
  private final long warmupSamples;
  private final int updateEvery;
  private final double decay;
  private final double[] crossings = new double[LEVELS];
  private double timeSamples;
  private long samples;
  private final PeakPicker peaks;
  private final SpikeSink counter = this::count;
  private double threshold;

  /**
   * @param targetPerS false alarms per second the threshold aims at
   * @param floor the threshold is never lower
   * @param warmupThreshold the threshold until {@code warmupS} of samples have been observed
   */
  public FalseAlarmCalibration(
      double targetPerS,
      double sampleRateHz,
      double floor,
      double warmupThreshold,
      double warmupS,
      double memoryS,
      int deadSamples) {
    this.targetPerS = targetPerS;
    this.sampleRateHz = sampleRateHz;
    this.floor = floor;
    this.warmupThreshold = warmupThreshold;
    this.warmupSamples = Math.round(warmupS * sampleRateHz);
    this.updateEvery = (int) Math.max(1, Math.round(sampleRateHz / 10));
    this.decay = Math.exp(-updateEvery / (memoryS * sampleRateHz));
    this.threshold = warmupThreshold;
    this.peaks = new PeakPicker(deadSamples);
  }

  /** The threshold in force. */
  public double threshold() {
    return threshold;
  }

  /** Observes the next sample's flipped statistic (negative infinity: not counted). */
  public void observe(double flipped) {
    peaks.push(flipped, LOWEST, counter);
    timeSamples++;
    samples++;
    if (samples % updateEvery == 0) {
      update();
    }
  }

  /** A peak of the flipped statistic: a false alarm at every level up to its height. */
  private void count(long index, double height) {
    int to = (int) Math.min(LEVELS - 1, Math.floor((height - LOWEST) / STEP));
    for (int b = 0; b <= to; b++) {
      crossings[b]++;
    }
  }

  private void update() {
    if (samples >= warmupSamples) {
      double seconds = timeSamples / sampleRateHz;
      double level = LOWEST + LEVELS * STEP;
      for (int b = 0; b < LEVELS; b++) {
        if (crossings[b] / seconds <= targetPerS) {
          level = LOWEST + b * STEP;
          break;
        }
      }
      // The rate at the target level rests on few peaks; the rate at an anchor level, ten times
      // the target, on many more. Extrapolated to the target with a Gaussian tail (Rice: the rate
      // of peaks above h falls as exp(-h^2/2)), it gives a second estimate; the higher one holds.
      for (int b = 0; b < LEVELS; b++) {
        double rate = crossings[b] / seconds;
        if (rate <= ANCHOR * targetPerS) {
          double h0 = LOWEST + b * STEP;
          double tail =
              rate > targetPerS ? Math.sqrt(h0 * h0 + 2 * Math.log(rate / targetPerS)) : h0;
          level = Math.max(tail, level);
          break;
        }
      }
      threshold = Math.max(floor, level);
    }
    for (int b = 0; b < LEVELS; b++) {
      crossings[b] *= decay;
    }
    timeSamples *= decay;
  }

  public CalibrationState state() {
    return new CalibrationState(
        StateArrays.doubles(crossings), timeSamples, samples, threshold, peaks.state());
  }

  public void restore(CalibrationState s) {
    StateArrays.fill(s.getCrossings(), crossings, "calibration crossings");
    timeSamples = s.getTimeSamples();
    samples = s.getSamples();
    threshold = s.getThreshold();
    peaks.restore(s.getPeaks());
  }
}
