package io.voltspike.signal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Settings of the five-channel feature extractor, in milliseconds and hertz.
 *
 * <p>The U-Net is trained on features made with one configuration and must be served with the very
 * same one, so {@link #hash()} gives a stable fingerprint that models carry and the runtime checks.
 *
 * @param sampleRateHz samples per second of the trace
 * @param baselineWindowMs trailing running-median window that removes drift and bleaching
 * @param noiseWindowMs trailing window of the robust noise estimate (MAD of first differences)
 * @param noiseDecimation the noise estimate takes every n-th difference (keeps state small)
 * @param gaussianSigmaMs sigma of the centred Gaussian smoothing kernel (truncated at 3 sigma)
 * @param highPassCutoffHz cutoff of the causal first-order high-pass
 * @param medianWindowMs centred median filter width (odd number of samples)
 * @param maxGapMs gaps up to this are bridged by holding the last value; longer ones reset state
 * @param noiseLagSamples the noise estimate differences samples this far apart: 1 for a recording
 *     at the extractor's own rate; for one upsampled to it by an integer-ish factor r, ceil(r), so
 *     that the differences are those of the recording's own frames (see {@code FrameResampler}). An
 *     adaptation to the input, not part of the features' definition: it is left out of {@link
 *     #hash()}.
 */
public record FeatureConfig(
    double sampleRateHz,
    double baselineWindowMs,
    double noiseWindowMs,
    int noiseDecimation,
    double gaussianSigmaMs,
    double highPassCutoffHz,
    double medianWindowMs,
    double maxGapMs,
    int noiseLagSamples) {

  /** Channel names in the order the extractor emits them (the model's input order). */
  public static final String[] CHANNELS = {
    "normalized", "gaussian", "highpass", "derivative", "median"
  };

  /**
   * The optional sixth channel: the normalized channel whitened by the neuron's own AR(8) noise
   * model ({@code detect.WhitenedEvidence}'s whitener), in innovation standard deviations. A model
   * trained with it says so in its feature hash ({@link #hash(boolean)}).
   */
  public static final String WHITENED = "whitened";

  /** What the whitened channel depends on, part of the canonical form of a model that reads it. */
  static final String WHITENER_CANONICAL = "whitener=ar8,refit_s=1,memory_s=5,censor_sd=4";

  /** The channel names of a model with or without the whitened channel, in input order. */
  public static String[] channels(boolean whitened) {
    if (!whitened) {
      return CHANNELS.clone();
    }
    String[] c = java.util.Arrays.copyOf(CHANNELS, CHANNELS.length + 1);
    c[CHANNELS.length] = WHITENED;
    return c;
  }

  public FeatureConfig {
    require(sampleRateHz > 0 && Double.isFinite(sampleRateHz), "sampleRateHz", sampleRateHz);
    require(baselineWindowMs > 0, "baselineWindowMs", baselineWindowMs);
    require(noiseWindowMs > 0, "noiseWindowMs", noiseWindowMs);
    require(noiseDecimation >= 1, "noiseDecimation", noiseDecimation);
    require(gaussianSigmaMs > 0, "gaussianSigmaMs", gaussianSigmaMs);
    require(
        highPassCutoffHz > 0 && highPassCutoffHz < sampleRateHz / 2,
        "highPassCutoffHz (must be below Nyquist)",
        highPassCutoffHz);
    require(medianWindowMs > 0, "medianWindowMs", medianWindowMs);
    require(maxGapMs >= 0, "maxGapMs", maxGapMs);
    require(noiseLagSamples >= 1 && noiseLagSamples <= 64, "noiseLagSamples", noiseLagSamples);
  }

  /** A configuration for a recording at the extractor's own rate (noise lag 1). */
  public FeatureConfig(
      double sampleRateHz,
      double baselineWindowMs,
      double noiseWindowMs,
      int noiseDecimation,
      double gaussianSigmaMs,
      double highPassCutoffHz,
      double medianWindowMs,
      double maxGapMs) {
    this(
        sampleRateHz,
        baselineWindowMs,
        noiseWindowMs,
        noiseDecimation,
        gaussianSigmaMs,
        highPassCutoffHz,
        medianWindowMs,
        maxGapMs,
        1);
  }

  /** The same features at another rate (noise lag kept). */
  public FeatureConfig atRate(double rateHz) {
    return new FeatureConfig(
        rateHz,
        baselineWindowMs,
        noiseWindowMs,
        noiseDecimation,
        gaussianSigmaMs,
        highPassCutoffHz,
        medianWindowMs,
        maxGapMs,
        noiseLagSamples);
  }

  /** The same features with another noise lag. */
  public FeatureConfig withNoiseLag(int lagSamples) {
    return new FeatureConfig(
        sampleRateHz,
        baselineWindowMs,
        noiseWindowMs,
        noiseDecimation,
        gaussianSigmaMs,
        highPassCutoffHz,
        medianWindowMs,
        maxGapMs,
        lagSamples);
  }

  /** The configuration the shipped model was trained with. */
  public static FeatureConfig defaults() {
    return withSampleRate(1000.0);
  }

  public static FeatureConfig withSampleRate(double sampleRateHz) {
    return new FeatureConfig(sampleRateHz, 200, 2000, 2, 1.0, 20.0, 5.0, 1000);
  }

  private static void require(boolean ok, String name, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("invalid feature setting " + name + ": " + value);
    }
  }

  int samples(double ms) {
    return Math.max(1, (int) Math.round(ms * sampleRateHz / 1000.0));
  }

  public int baselineWindowSamples() {
    return samples(baselineWindowMs);
  }

  public int noiseWindowEntries() {
    return Math.max(1, samples(noiseWindowMs) / noiseDecimation);
  }

  public double gaussianSigmaSamples() {
    return gaussianSigmaMs * sampleRateHz / 1000.0;
  }

  /** Half-width of the Gaussian kernel: ceil(3 sigma) samples. */
  public int gaussianHalfWidth() {
    return Math.max(1, (int) Math.ceil(3 * gaussianSigmaSamples()));
  }

  /** Half-width of the centred median filter (window = 2h+1 samples). */
  public int medianHalfWidth() {
    int w = samples(medianWindowMs);
    return Math.max(1, w / 2);
  }

  public int maxGapSamples() {
    return (int) Math.round(maxGapMs * sampleRateHz / 1000.0);
  }

  /**
   * The fixed delay of the extractor in samples: features for sample t are complete once sample t +
   * delay has arrived. The derivative of the smoothed signal needs one more sample than the
   * Gaussian kernel itself.
   */
  public int delaySamples() {
    return Math.max(gaussianHalfWidth() + 1, medianHalfWidth());
  }

  /** A canonical text form: every field, fixed formatting, used for the hash. */
  public String canonical() {
    return canonical(false);
  }

  /**
   * The canonical form of the features a model reads: with {@code whitened}, the sixth channel and
   * its whitener's settings too.
   */
  public String canonical(boolean whitened) {
    String base =
        String.format(
            Locale.ROOT,
            "voltspike-features-v1;channels=%s;fs=%.6f;baseline_ms=%.6f;noise_ms=%.6f;noise_dec=%d;"
                + "gauss_sigma_ms=%.6f;hp_hz=%.6f;median_ms=%.6f;max_gap_ms=%.6f",
            String.join(",", channels(whitened)),
            sampleRateHz,
            baselineWindowMs,
            noiseWindowMs,
            noiseDecimation,
            gaussianSigmaMs,
            highPassCutoffHz,
            medianWindowMs,
            maxGapMs);
    return whitened ? base + ";" + WHITENER_CANONICAL : base;
  }

  /** First 16 hex digits of SHA-256 over {@link #canonical()}. */
  public String hash() {
    return hash(false);
  }

  /** The hash of {@link #canonical(boolean)}. */
  public String hash(boolean whitened) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical(whitened).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
