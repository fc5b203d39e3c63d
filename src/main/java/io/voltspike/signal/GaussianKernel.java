package io.voltspike.signal;

/** Normalised, truncated Gaussian FIR weights: sum to 1 so smoothing keeps the signal's units. */
public final class GaussianKernel {
  private GaussianKernel() {}

  /** Weights for offsets -halfWidth..halfWidth. */
  public static double[] weights(double sigmaSamples, int halfWidth) {
    double[] w = new double[2 * halfWidth + 1];
    double sum = 0;
    for (int k = -halfWidth; k <= halfWidth; k++) {
      double v = Math.exp(-0.5 * (k * k) / (sigmaSamples * sigmaSamples));
      w[k + halfWidth] = v;
      sum += v;
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= sum;
    }
    return w;
  }
}
