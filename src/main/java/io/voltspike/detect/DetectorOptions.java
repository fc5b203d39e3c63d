package io.voltspike.detect;

import io.voltspike.signal.FeatureConfig;

/**
 * Options every detector understands, named as neuroscientists expect.
 *
 * @param detectThreshold spike threshold in noise units (robust sigma); {@code detect_threshold}
 * @param peakSign which way spikes point; {@code peak_sign}
 * @param refractoryMs two spikes closer than this are one event (the larger is kept)
 * @param features the feature-extractor settings (sample rate included)
 * @param unet the U-Net detector's settings
 * @param operatingPoint how a detector's false-alarm rate is set per neuron ({@code matched},
 *     {@code unet})
 */
public record DetectorOptions(
    double detectThreshold,
    PeakSign peakSign,
    double refractoryMs,
    FeatureConfig features,
    UNetOptions unet,
    OperatingPoint operatingPoint) {

  public DetectorOptions {
    if (!(detectThreshold > 0) || !Double.isFinite(detectThreshold)) {
      throw new IllegalArgumentException("detect_threshold must be > 0, was " + detectThreshold);
    }
    if (!(refractoryMs > 0)) {
      throw new IllegalArgumentException("refractory_ms must be > 0, was " + refractoryMs);
    }
  }

  public static DetectorOptions defaults() {
    return new DetectorOptions(
        3.5,
        PeakSign.POS,
        2.0,
        FeatureConfig.defaults(),
        UNetOptions.defaults(),
        OperatingPoint.AUTO);
  }

  public DetectorOptions withPeakSign(PeakSign sign) {
    return new DetectorOptions(detectThreshold, sign, refractoryMs, features, unet, operatingPoint);
  }

  public DetectorOptions withSampleRate(double sampleRateHz) {
    return withFeatures(features.atRate(sampleRateHz));
  }

  public DetectorOptions withFeatures(FeatureConfig f) {
    return new DetectorOptions(detectThreshold, peakSign, refractoryMs, f, unet, operatingPoint);
  }

  public DetectorOptions withUnet(UNetOptions u) {
    return new DetectorOptions(
        detectThreshold, peakSign, refractoryMs, features, u, operatingPoint);
  }

  public DetectorOptions withOperatingPoint(OperatingPoint p) {
    return new DetectorOptions(detectThreshold, peakSign, refractoryMs, features, unet, p);
  }

  public int refractorySamples() {
    return Math.max(1, (int) Math.round(refractoryMs * features.sampleRateHz() / 1000.0));
  }
}
