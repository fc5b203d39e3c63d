package io.voltspike.signal;

/** Receives one feature frame per sample, in sample order. */
@FunctionalInterface
public interface FeatureSink {
  /**
   * @param sampleIndex 0-based index of the sample within the session
   * @param frame the five channels in {@link FeatureConfig#CHANNELS} order; reused, copy to keep
   * @param imputed true when the sample was missing or not finite and its value was held
   */
  void accept(long sampleIndex, float[] frame, boolean imputed);
}
