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
    String hash = FeatureConfig.defaults().hash();
    return new WindowModel() {
      @Override
      public int windowSamples() {
        return 100;
      }

      @Override
      public int channels() {
        return 5;
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
          for (int t = 0; t < 100; t++) {
            output[b * 100 + t] = fn.apply(t, input[(b * 5) * 100 + t]);
          }
        }
      }
    };
  }

  /** Clipped normalized signal / 10: windows agree, so averaging must return it unchanged. */
  static WindowModel identity() {
    return of((t, z) -> Math.max(0f, Math.min(1f, z / 10f)));
  }
}
