package io.voltspike.signal;

/**
 * The five feature channels of a whole trace, channels first ({@code channels[c][t]}).
 *
 * @param channels five arrays, one per channel in {@link FeatureConfig#CHANNELS} order
 * @param imputed per sample: true where the input was missing or not finite
 */
public record Features(float[][] channels, boolean[] imputed) {

  public int length() {
    return imputed.length;
  }

  /** Runs a fresh extractor over a whole trace and flushes it, so every sample gets a frame. */
  public static Features of(FeatureConfig config, float[] trace) {
    int n = trace.length;
    float[][] ch = new float[FeatureConfig.CHANNELS.length][n];
    boolean[] imp = new boolean[n];
    FeatureExtractor fx = new FeatureExtractor(config);
    FeatureSink sink =
        (i, frame, imputed) -> {
          for (int c = 0; c < frame.length; c++) {
            ch[c][(int) i] = frame[c];
          }
          imp[(int) i] = imputed;
        };
    fx.push(trace, 0, n, sink);
    fx.flush(sink);
    return new Features(ch, imp);
  }
}
