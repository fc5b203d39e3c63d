package io.voltspike.eval;

/**
 * Ground-truth comparison counts and the scores derived from them, in SpikeInterface's vocabulary.
 *
 * <p>{@code accuracy = tp / (tp + fp + fn)} (SpikeInterface). The research poster's "accuracy" is a
 * sample-level figure that counts every non-spike sample as a true negative; it is kept apart as
 * {@link #sampleAccuracy()}. A score whose denominator is zero is NaN.
 *
 * @param tp detected spikes matched to a true spike
 * @param fp detected spikes matched to none
 * @param fn true spikes matched by none
 * @param samples samples compared (for sample-level true negatives)
 * @param durationS seconds compared (for false positives per second)
 */
public record Counts(long tp, long fp, long fn, long samples, double durationS) {

  public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

  public Counts plus(Counts o) {
    return new Counts(
        tp + o.tp, fp + o.fp, fn + o.fn, samples + o.samples, durationS + o.durationS);
  }

  /** Sample-level true negatives: samples that are neither a spike nor a detection. */
  public long tn() {
    return Math.max(0, samples - tp - fp - fn);
  }

  public double precision() {
    return ratio(tp, tp + fp);
  }

  public double recall() {
    return ratio(tp, tp + fn);
  }

  public double f1() {
    return ratio(2 * tp, 2 * tp + fp + fn);
  }

  /** SpikeInterface's accuracy: tp / (tp + fp + fn). */
  public double accuracy() {
    return ratio(tp, tp + fp + fn);
  }

  public double missRate() {
    return ratio(fn, tp + fn);
  }

  public double falseDiscoveryRate() {
    return ratio(fp, tp + fp);
  }

  public double fpPerSecond() {
    return durationS > 0 ? fp / durationS : Double.NaN;
  }

  /** The poster's sample-level accuracy: (tp + tn) / samples. */
  public double sampleAccuracy() {
    return ratio(tp + tn(), samples);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }
}
