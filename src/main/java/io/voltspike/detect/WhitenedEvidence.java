package io.voltspike.detect;

import io.voltspike.avro.state.EvidenceState;
import io.voltspike.io.StateArrays;
import io.voltspike.signal.NoiseWhitener;
import io.voltspike.signal.RobustScale;

/**
 * How strongly a neuron's own noise says "spike here": the normalized trace whitened by the
 * neuron's {@link NoiseWhitener}, correlated with the spike shape whitened by the same model (a
 * matched filter), in robust standard deviations of the filter's output ({@link RobustScale}). Slow
 * waves, oscillations and 1/f noise, which the whitener predicts, give little evidence however tall
 * they stand in the normalized trace; a spike, which it cannot predict, gives a lot. The {@code
 * matched} detector thresholds it; the {@code unet} detector requires it of every spike the network
 * proposes.
 *
 * <p>The template spans 2 ms before to 3 ms after the peak, so the evidence of frame {@code c} is
 * known when frame {@code c + post} arrives. The shape starts as a Gaussian of 2 ms full width at
 * half maximum and, when a caller {@link #learn}s, follows the neuron's confident spikes: each
 * spike's snippet of the normalized trace (its end points' mean removed, at unit norm) is averaged
 * in, a running mean over the first 20, then an exponential one of weight 0.05; the shape is
 * whitened again after each refit of the noise model and each lesson. Everything is indexed by
 * frame, so chunked, whole and restored runs agree bit for bit.
 */
public final class WhitenedEvidence {
  /** AR order of the whitener (docs/detection.md, "Whitened evidence", has the comparison). */
  public static final int WHITEN_ORDER = 8;

  /** The canonical spike before any is learned: a Gaussian of 2 ms full width at half maximum. */
  public static final double CANONICAL_SIGMA_MS = 0.85;

  private static final int LEARN_AVERAGE = 20;
  private static final double LEARN_RATE = 0.05;

  /** No evidence for this frame: it lies before the segment's first full template. */
  public static final double NONE = Double.NaN;

  private final NoiseWhitener whitener;
  private final RobustScale scale = new RobustScale(0.004, 1.0);
  private final int pre;
  private final int post;
  private final double[] shape;
  private final double[] template;
  private final int ring;
  private final float[] whitened;
  private final float[] normalized;
  private final boolean[] imputed;
  private long learned;
  private float lastWhitened;
  private long whitenerFitsSeen = -1;
  private long nextFrame;
  private long segmentStart;

  /**
   * @param sampleRateHz the frames' rate
   * @param history frames before the newest that {@link #learn} may still be asked about
   */
  public WhitenedEvidence(double sampleRateHz, int history) {
    double perMs = sampleRateHz / 1000.0;
    this.whitener = NoiseWhitener.forRate(WHITEN_ORDER, sampleRateHz);
    this.pre = (int) Math.max(1, Math.round(2 * perMs));
    this.post = (int) Math.max(2, Math.round(3 * perMs));
    int len = pre + post + 1;
    this.shape = new double[len];
    for (int j = -pre; j <= post; j++) {
      double ms = j / perMs;
      shape[j + pre] = Math.exp(-0.5 * ms * ms / (CANONICAL_SIGMA_MS * CANONICAL_SIGMA_MS));
    }
    normalise(shape);
    this.template = new double[len];
    this.ring = len + Math.max(0, history) + 1;
    this.whitened = new float[ring];
    this.normalized = new float[ring];
    this.imputed = new boolean[ring];
    java.util.Arrays.fill(imputed, true);
    whitenTemplate();
  }

  /**
   * The whitened value of the frame the last {@link #push} took (the U-Net's optional sixth
   * channel, {@link io.voltspike.signal.FeatureConfig#WHITENED}).
   */
  public float lastWhitened() {
    return lastWhitened;
  }

  /**
   * The whitened channel of a whole gap-free trace: what {@link #lastWhitened()} gives frame by
   * frame, for training on whole traces.
   */
  public static float[] whitenedChannel(
      float[] normalized, boolean[] imputed, double sampleRateHz) {
    NoiseWhitener w = NoiseWhitener.forRate(WHITEN_ORDER, sampleRateHz);
    float[] out = new float[normalized.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) w.push(normalized[i], imputed[i]);
    }
    return out;
  }

  /** Frames after {@code c} needed before its evidence is known. */
  public int delayFrames() {
    return post;
  }

  /** Index of the next frame expected. */
  public long nextFrame() {
    return nextFrame;
  }

  public long segmentStart() {
    return segmentStart;
  }

  /** Confident spikes the shape has learned from. */
  public long learned() {
    return learned;
  }

  /** The current template: the shape whitened by the current noise model, unit norm. */
  public double[] template() {
    return template.clone();
  }

  /** The whitener's current AR coefficients. */
  public double[] noiseModel() {
    return whitener.coefficients();
  }

  /** Starts a new gap-free segment at {@code index}. */
  public void startSegment(long index) {
    whitener.startSegment(index);
    java.util.Arrays.fill(imputed, true);
    segmentStart = index;
    nextFrame = index;
  }

  /**
   * Takes frame {@code index}'s normalized value; returns the evidence of frame {@code index -
   * delayFrames()} in robust sd, {@link Double#NEGATIVE_INFINITY} when that frame is imputed or too
   * close to the segment's start for a full template, or {@link #NONE} when it lies before the
   * segment. A frame index other than {@link #nextFrame()} starts a new segment.
   */
  public double push(long index, float x, boolean isImputed) {
    if (index != nextFrame) {
      startSegment(index);
    }
    double w = whitener.push(x, isImputed);
    lastWhitened = (float) w;
    if (whitener.fits() != whitenerFitsSeen) {
      whitenTemplate();
    }
    int slot = index == slotPos + 1 ? (slotOf + 1 == ring ? 0 : slotOf + 1) : slot(index);
    slotPos = index;
    slotOf = slot;
    whitened[slot] = (float) w;
    normalized[slot] = x;
    imputed[slot] = isImputed;
    nextFrame = index + 1;
    long c = index - post;
    if (c < segmentStart) {
      return NONE;
    }
    int cSlot = slot - post; // ring > pre + post: one wrap at most
    if (c - pre < segmentStart || imputed[cSlot < 0 ? cSlot + ring : cSlot]) {
      return Double.NEGATIVE_INFINITY;
    }
    double y = 0;
    int k = cSlot - pre;
    if (k < 0) {
      k += ring;
    }
    for (int j = 0; j < template.length; j++) {
      y += template[j] * whitened[k];
      k = k + 1 == ring ? 0 : k + 1;
    }
    double sd = scale.sd();
    scale.push(y);
    return y / sd;
  }

  /**
   * Lets the spike at frame {@code c} teach the shape; ignored when its snippet is no longer (or
   * not yet) held, or reaches outside the segment.
   */
  public void learn(long c) {
    if (c - pre < segmentStart || c + post >= nextFrame || nextFrame - (c - pre) > ring) {
      return;
    }
    double[] snip = new double[shape.length];
    double offset = 0.5 * (normalized[slot(c - pre)] + normalized[slot(c + post)]);
    double dot = 0;
    for (int j = -pre; j <= post; j++) {
      double v = normalized[slot(c + j)] - offset;
      snip[j + pre] = v;
      dot += v * shape[j + pre];
    }
    if (dot < 0) { // peak_sign both: a spike of the other sign teaches the same shape
      for (int j = 0; j < snip.length; j++) {
        snip[j] = -snip[j];
      }
    }
    if (!normalise(snip)) {
      return;
    }
    double a = learned < LEARN_AVERAGE ? 1.0 / (learned + 2) : LEARN_RATE;
    for (int j = 0; j < shape.length; j++) {
      shape[j] = (1 - a) * shape[j] + a * snip[j];
    }
    normalise(shape);
    learned++;
    whitenTemplate();
  }

  /** The spike shape whitened by the current noise model, at unit norm. */
  private void whitenTemplate() {
    double[] a = whitener.coefficients();
    for (int j = 0; j < template.length; j++) {
      double v = shape[j];
      for (int k = 1; k <= a.length && j - k >= 0; k++) {
        v -= a[k - 1] * shape[j - k];
      }
      template[j] = v;
    }
    normalise(template);
    whitenerFitsSeen = whitener.fits();
  }

  private static boolean normalise(double[] v) {
    double n = 0;
    for (double x : v) {
      n += x * x;
    }
    n = Math.sqrt(n);
    if (!(n > 0) || !Double.isFinite(n)) {
      return false;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= n;
    }
    return true;
  }

  // The ring slot of the last pushed frame, so that consecutive frames need no long division
  // (derived from the index alone, not state).
  private long slotPos = Long.MIN_VALUE;
  private int slotOf;

  private int slot(long i) {
    return (int) Math.floorMod(i, (long) ring);
  }

  public EvidenceState state() {
    float[] w = new float[ring];
    float[] x = new float[ring];
    boolean[] m = new boolean[ring];
    for (int i = 0; i < ring; i++) {
      long idx = nextFrame - ring + i;
      w[i] = whitened[slot(idx)];
      x[i] = normalized[slot(idx)];
      m[i] = imputed[slot(idx)];
    }
    return new EvidenceState(
        whitener.state(),
        nextFrame,
        segmentStart,
        StateArrays.doubles(shape),
        learned,
        StateArrays.floats(w),
        StateArrays.floats(x),
        StateArrays.booleans(m),
        scale.state());
  }

  public void restore(EvidenceState s) {
    whitener.restore(s.getWhitener());
    nextFrame = s.getNextFrame();
    segmentStart = s.getSegmentStart();
    StateArrays.fill(s.getShape(), shape, "evidence spike shape");
    learned = s.getLearned();
    whitenTemplate();
    float[] w = new float[ring];
    float[] x = new float[ring];
    boolean[] m = new boolean[ring];
    StateArrays.fill(s.getWhitened(), w, "evidence whitened samples");
    StateArrays.fill(s.getNormalized(), x, "evidence normalized samples");
    StateArrays.fill(s.getImputed(), m, "evidence imputed flags");
    for (int i = 0; i < ring; i++) {
      long idx = nextFrame - ring + i;
      whitened[slot(idx)] = w[i];
      normalized[slot(idx)] = x[i];
      imputed[slot(idx)] = m[i];
    }
    scale.state(s.getScale());
  }
}
