package io.voltspike.signal;

import io.voltspike.avro.state.FeatureState;
import io.voltspike.io.StateArrays;
import io.voltspike.io.StateCodec;
import java.util.Arrays;

/**
 * Per-neuron streaming extractor of the five feature channels the detectors and the U-Net read.
 *
 * <p>Every input sample goes through the same steps, so a trace fed whole, in chunks or one sample
 * at a time gives bit-identical frames:
 *
 * <ol>
 *   <li><b>normalized</b>: {@code z = (x - baseline) / sigma}, the baseline a trailing running
 *       median ({@code baselineWindowMs}, removes bleaching and drift), sigma the robust noise
 *       level {@code median(|x[t]-x[t-1]|) / (0.6745 sqrt 2)} over a trailing window. z is in noise
 *       units.
 *   <li><b>gaussian</b>: z smoothed by a centred, truncated Gaussian.
 *   <li><b>highpass</b>: z through a causal first-order high-pass.
 *   <li><b>derivative</b>: central difference of the smoothed signal.
 *   <li><b>median</b>: z through a centred median filter.
 * </ol>
 *
 * <p>The centred filters make the output lag the input by a fixed {@link #delaySamples()}: the
 * frame of sample t is emitted when sample t + delay arrives (or on {@link #flush}). At the start
 * of a segment the first value is replicated backwards; at a flush the last one forwards.
 *
 * <p><b>Missing data policy.</b> A NaN or infinite sample, and each sample of a gap of at most
 * {@code maxGapMs}, is replaced by the last finite sample (hold), flagged {@code imputed}, and kept
 * out of the baseline and noise estimates, so it never poisons them. A longer gap flushes the
 * current segment and starts a fresh one after it: the gap's samples get no frames at all. A finite
 * but enormous sample (an artefact) is clamped to {@link #MAX_ABS_Z} noise units.
 */
public final class FeatureExtractor {
  private static final double MAD_TO_SIGMA = 1.0 / (0.6744897501960817 * Math.sqrt(2.0));

  /** Largest normalized value, in robust noise units; larger ones are clamped. */
  public static final double MAX_ABS_Z = 1000;

  private final FeatureConfig config;

  /** Samples clamped since this extractor was created or restored (not part of its state). */
  private long clamped;

  private final int delay;
  private final int gaussHalf;
  private final int medianHalf;
  private final double[] gaussWeights;
  private final int maxGap;
  private final int noiseDecimation;

  private final SlidingMedian baseline;
  private final SlidingMedian noise;
  private final HighPassFilter highPass;

  private final int zSize;
  private final int gSize;
  private final float[] zRing;
  private final boolean[] imputedRing;
  private final float[] hpRing;
  private final double[] gRing;

  private final float[] frame = new float[FeatureConfig.CHANNELS.length];

  /** The last {@code noiseLagSamples} inputs (by index modulo the lag), for the noise estimate. */
  private final double[] lagValues;

  private final boolean[] lagValid;
  private final float[] medianScratch;

  // Ring positions of the last advanced sample and of the last pushed one, so that consecutive
  // samples index the rings without a long division (derived, not state).
  private long ringPos = Long.MIN_VALUE;
  private int ringZ;
  private int ringG;
  private long lagPos = Long.MIN_VALUE;
  private int lagIndex;

  // Mutable state (all serialized).
  private long next;
  private long segmentStart;
  private boolean inSegment;
  private long emitLimit = Long.MAX_VALUE;
  private double lastValid;
  private boolean haveValid;
  private long validDiffs;
  private float lastZ;

  public FeatureExtractor(FeatureConfig config) {
    this.config = config;
    this.delay = config.delaySamples();
    this.gaussHalf = config.gaussianHalfWidth();
    this.medianHalf = config.medianHalfWidth();
    this.gaussWeights = GaussianKernel.weights(config.gaussianSigmaSamples(), gaussHalf);
    this.maxGap = config.maxGapSamples();
    this.noiseDecimation = config.noiseDecimation();
    this.baseline = new SlidingMedian(config.baselineWindowSamples());
    this.noise = new SlidingMedian(config.noiseWindowEntries());
    this.highPass = new HighPassFilter(config.highPassCutoffHz(), config.sampleRateHz());
    this.zSize = Math.max(2 * gaussHalf, delay + medianHalf) + 2;
    this.gSize = delay + 3;
    this.zRing = new float[zSize];
    this.imputedRing = new boolean[zSize];
    this.hpRing = new float[zSize];
    this.gRing = new double[gSize];
    this.medianScratch = new float[2 * medianHalf + 1];
    this.lagValues = new double[config.noiseLagSamples()];
    this.lagValid = new boolean[config.noiseLagSamples()];
  }

  public FeatureConfig config() {
    return config;
  }

  /** Samples between an input sample's arrival and its frame's emission. */
  public int delaySamples() {
    return delay;
  }

  /** Index the next pushed sample will get. */
  public long nextSampleIndex() {
    return next;
  }

  /**
   * Moves the start of an empty extractor to {@code index} (a session that starts mid-recording).
   */
  public void startAt(long index) {
    if (next != 0 || inSegment) {
      throw new IllegalStateException("startAt is only allowed before the first sample");
    }
    next = index;
  }

  public void push(float x, FeatureSink sink) {
    boolean imputed = !Float.isFinite(x);
    double v;
    int li = lagSlot(next);
    if (imputed) {
      v = haveValid ? lastValid : 0.0;
      lagValid[li] = false;
    } else {
      v = x;
      if (lagValid[li]) {
        if (noiseDecimation == 1 || validDiffs % noiseDecimation == 0) {
          noise.push((float) Math.abs(v - lagValues[li]));
        }
        validDiffs++;
      }
      lagValues[li] = v;
      lagValid[li] = true;
      lastValid = v;
      haveValid = true;
      baseline.push(x);
    }
    double base = baseline.size() > 0 ? baseline.median() : v;
    double sigma = noise.size() > 0 ? noise.median() * MAD_TO_SIGMA : 0.0;
    double raw = sigma > 0 ? (v - base) / sigma : 0.0;
    if (Math.abs(raw) > MAX_ABS_Z) {
      clamped++;
    }
    float z = (float) clampZ(raw);
    if (!inSegment) {
      startSegment(z);
    }
    advance(next, z, imputed, sink);
    lastZ = z;
    next++;
  }

  /**
   * Beyond {@link #MAX_ABS_Z} noise units a sample is an artefact, not a spike: clamping keeps the
   * filters finite (an infinite value would turn the high-pass state into NaN for good).
   */
  static double clampZ(double z) {
    if (Math.abs(z) <= MAX_ABS_Z) {
      return z;
    }
    return z > 0 ? MAX_ABS_Z : -MAX_ABS_Z;
  }

  /** Samples clamped to {@link #MAX_ABS_Z} since creation or the last restore. */
  public long clampedSamples() {
    return clamped;
  }

  public void push(float[] samples, int offset, int length, FeatureSink sink) {
    for (int i = 0; i < length; i++) {
      push(samples[offset + i], sink);
    }
  }

  /**
   * Declares {@code count} missing samples. Up to {@code maxGapMs} they are held and flagged;
   * beyond it the segment is flushed and the state reset, and the gap's samples get no frames.
   */
  public void pushGap(long count, FeatureSink sink) {
    if (count <= 0) {
      return;
    }
    if (count <= maxGap) {
      for (long i = 0; i < count; i++) {
        push(Float.NaN, sink);
      }
      return;
    }
    flush(sink);
    long resumeAt = next + count;
    reset();
    next = resumeAt;
  }

  /** Emits the frames of the last {@link #delaySamples()} samples (end of a recording). */
  public void flush(FeatureSink sink) {
    if (!inSegment) {
      return;
    }
    emitLimit = next;
    for (int i = 0; i < delay; i++) {
      advance(next + i, lastZ, false, sink);
    }
    emitLimit = Long.MAX_VALUE;
    inSegment = false;
  }

  /** Forgets everything but the sample index. */
  public void reset() {
    long keep = next;
    baseline.clear();
    noise.clear();
    highPass.reset();
    inSegment = false;
    haveValid = false;
    Arrays.fill(lagValid, false);
    validDiffs = 0;
    lastValid = 0;
    lastZ = 0;
    next = keep;
  }

  private void startSegment(float z0) {
    inSegment = true;
    segmentStart = next;
    highPass.reset();
    int prefill = zSize;
    for (int i = prefill; i > 0; i--) {
      advance(next - i, z0, false, null);
    }
  }

  private int lagSlot(long pos) {
    if (pos == lagPos + 1) {
      lagIndex = lagIndex + 1 == lagValues.length ? 0 : lagIndex + 1;
    } else {
      lagIndex = (int) Math.floorMod(pos, (long) lagValues.length);
    }
    lagPos = pos;
    return lagIndex;
  }

  private void advance(long pos, float z, boolean imputed, FeatureSink sink) {
    if (pos == ringPos + 1) {
      ringZ = ringZ + 1 == zSize ? 0 : ringZ + 1;
      ringG = ringG + 1 == gSize ? 0 : ringG + 1;
    } else {
      ringZ = Math.floorMod(pos, zSize);
      ringG = Math.floorMod(pos, gSize);
    }
    ringPos = pos;
    int zi = ringZ;
    zRing[zi] = z;
    imputedRing[zi] = imputed;
    hpRing[zi] = (float) highPass.apply(z);
    long p = pos - gaussHalf;
    double g = 0;
    // sample p + k sits at zi - gaussHalf + k (one wrap at most: zSize > 2 gaussHalf)
    for (int k = -gaussHalf; k <= gaussHalf; k++) {
      int j = zi - gaussHalf + k;
      g += gaussWeights[k + gaussHalf] * zRing[j < 0 ? j + zSize : j];
    }
    int gp = ringG - gaussHalf; // p's slot: gSize > gaussHalf
    gRing[gp < 0 ? gp + gSize : gp] = g;
    long c = pos - delay;
    if (sink != null && c >= segmentStart && c < emitLimit) {
      int ci = zi - delay; // zSize and gSize > delay
      int gi = ringG - delay;
      emit(ci < 0 ? ci + zSize : ci, gi < 0 ? gi + gSize : gi, sink);
    }
  }

  private void emit(int ci, int gi, FeatureSink sink) {
    frame[0] = zRing[ci];
    frame[1] = (float) gRing[gi];
    frame[2] = hpRing[ci];
    frame[3] =
        (float) (0.5 * (gRing[gi + 1 == gSize ? 0 : gi + 1] - gRing[gi == 0 ? gSize - 1 : gi - 1]));
    for (int k = -medianHalf; k <= medianHalf; k++) {
      int j = ci + k;
      medianScratch[k + medianHalf] = zRing[j < 0 ? j + zSize : j >= zSize ? j - zSize : j];
    }
    frame[4] = medianScratch.length == 5 ? middleOf5(medianScratch) : middleOf(medianScratch);
    sink.accept(ringPos - delay, frame, imputedRing[ci]);
  }

  /**
   * The middle value of a small odd-length window, by insertion sort in {@link Float#compare}
   * order: what {@code Arrays.sort} then the middle element gives, bit for bit, without its NaN and
   * signed-zero passes (a 5-sample window is re-sorted for every sample).
   */
  static float middleOf(float[] w) {
    for (int i = 1; i < w.length; i++) {
      float v = w[i];
      int j = i - 1;
      while (j >= 0 && Float.compare(w[j], v) > 0) {
        w[j + 1] = w[j];
        j--;
      }
      w[j + 1] = v;
    }
    return w[w.length >>> 1];
  }

  /**
   * {@link #middleOf} of five values without sorting them: the median of five is the median of the
   * fifth, the larger of the two pairs' minima and the smaller of their maxima (six comparisons),
   * on ints in {@link Float#compare} order, so the same value bit for bit.
   */
  static float middleOf5(float[] w) {
    int a = SlidingMedian.key(w[0]);
    int b = SlidingMedian.key(w[1]);
    int c = SlidingMedian.key(w[2]);
    int d = SlidingMedian.key(w[3]);
    int e = SlidingMedian.key(w[4]);
    int f = Math.max(Math.min(a, b), Math.min(c, d));
    int g = Math.min(Math.max(a, b), Math.max(c, d));
    return SlidingMedian.value(Math.max(Math.min(e, f), Math.min(Math.max(e, f), g)));
  }

  /** The codec of {@link FeatureState}, the extractor's durable state. */
  public static final StateCodec<FeatureState> STATE =
      new StateCodec<>(FeatureState.getClassSchema(), "FeatureState");

  /** The whole mutable state; {@link #restore} on an extractor of the same config continues it. */
  public FeatureState state() {
    return FeatureState.newBuilder()
        .setNext(next)
        .setSegmentStart(segmentStart)
        .setInSegment(inSegment)
        .setHaveValid(haveValid)
        .setLastValid(lastValid)
        .setValidDiffs(validDiffs)
        .setLastZ(lastZ)
        .setZRing(StateArrays.floats(zRing))
        .setHpRing(StateArrays.floats(hpRing))
        .setImputedRing(StateArrays.booleans(imputedRing))
        .setGRing(StateArrays.doubles(gRing))
        .setHighPass(highPass.state())
        .setBaseline(baseline.state())
        .setNoise(noise.state())
        .setLagValues(StateArrays.doubles(lagValues))
        .setLagValid(StateArrays.booleans(lagValid))
        .build();
  }

  /** Continues from a {@link #state()} of an extractor with the same configuration. */
  public void restore(FeatureState s) {
    StateArrays.requireLength(s.getLagValues().size(), lagValues.length, "feature noise lag");
    next = s.getNext();
    segmentStart = s.getSegmentStart();
    inSegment = s.getInSegment();
    haveValid = s.getHaveValid();
    lastValid = s.getLastValid();
    validDiffs = s.getValidDiffs();
    lastZ = s.getLastZ();
    StateArrays.fill(s.getZRing(), zRing, "feature z ring");
    StateArrays.fill(s.getHpRing(), hpRing, "feature high-pass ring");
    StateArrays.fill(s.getImputedRing(), imputedRing, "feature imputed ring");
    StateArrays.fill(s.getGRing(), gRing, "feature smoothed ring");
    highPass.restore(s.getHighPass());
    baseline.restore(s.getBaseline());
    noise.restore(s.getNoise());
    StateArrays.fill(s.getLagValues(), lagValues, "feature noise lag values");
    StateArrays.fill(s.getLagValid(), lagValid, "feature noise lag flags");
  }

  /** {@link #state()}, encoded ({@link #STATE}). */
  public byte[] snapshot() {
    return STATE.encode(state());
  }

  public void restore(byte[] state) {
    restore(STATE.decode(state));
  }
}
