package io.voltspike.detect;

import io.voltspike.model.WindowModel;
import io.voltspike.signal.FeatureConfig;

/** Deterministic stand-ins for the network, to test windowing and post-processing exactly. */
final class FakeModels {
  private FakeModels() {}

  /** Probability = a fixed function of (position in window, channel-0 value). */
  interface Fn {
    float apply(int position, float normalized);
  }

  static WindowModel of(Fn fn) {
    return of(fn, io.voltspike.model.ModelMetadata.DEFAULT_PROBABILITY_THRESHOLD);
  }

  /** The same, with the operating threshold a trained model would record. */
  static WindowModel of(Fn fn, double threshold) {
    return of(fn, threshold, 5, 0, FeatureConfig.defaults().hash());
  }

  /**
   * A model of {@code channels} inputs whose probability is {@code fn} of input channel {@code
   * read}, recording the windows it was given in {@code seen} when that is not null.
   */
  static WindowModel of(Fn fn, double threshold, int channels, int read, String hash) {
    return recording(fn, threshold, channels, read, hash, null);
  }

  /** The same, adding every window's channel {@code read} it is given to {@code seen}. */
  static WindowModel recording(
      Fn fn, double threshold, int channels, int read, String hash, java.util.List<float[]> seen) {
    return new WindowModel() {
      @Override
      public int windowSamples() {
        return 100;
      }

      @Override
      public int channels() {
        return channels;
      }

      @Override
      public String featureHash() {
        return hash;
      }

      @Override
      public String version() {
        return "fake";
      }

      @Override
      public double probabilityThreshold() {
        return threshold;
      }

      @Override
      public void predict(float[] input, int batch, float[] output) {
        for (int b = 0; b < batch; b++) {
          int base = (b * channels + read) * 100;
          if (seen != null) {
            seen.add(java.util.Arrays.copyOfRange(input, base, base + 100));
          }
          for (int t = 0; t < 100; t++) {
            output[b * 100 + t] = fn.apply(t, input[base + t]);
          }
        }
      }
    };
  }

  /**
   * A six-channel model reading the whitened channel: clipped whitened value / 10 (the probability
   * a spike's whitened innovation gives is high, a predicted wave's low).
   */
  static WindowModel whitened() {
    return of(
        (t, z) -> Math.max(0f, Math.min(1f, z / 10f)),
        io.voltspike.model.ModelMetadata.DEFAULT_PROBABILITY_THRESHOLD,
        6,
        5,
        FeatureConfig.defaults().hash(true));
  }

  /** Clipped normalized signal / 10: windows agree, so averaging must return it unchanged. */
  static WindowModel identity() {
    return of((t, z) -> Math.max(0f, Math.min(1f, z / 10f)));
  }
}
