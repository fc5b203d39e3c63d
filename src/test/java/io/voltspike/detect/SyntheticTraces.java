package io.voltspike.detect;

import java.util.Random;

/** Small synthetic traces with known spikes, for detector tests. */
final class SyntheticTraces {
  final float[] trace;
  final int[] spikes;

  private SyntheticTraces(float[] trace, int[] spikes) {
    this.trace = trace;
    this.spikes = spikes;
  }

  /** White noise (sigma 1) on an offset, with 3-sample spikes of the given height every ~200 ms. */
  static SyntheticTraces make(int n, double height, int sign, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (500 + r.nextGaussian());
    }
    int count = 0;
    int[] tmp = new int[n / 100 + 1];
    for (int s = 150; s < n - 50; s += 150 + r.nextInt(100)) {
      x[s - 1] += (float) (sign * 0.5 * height);
      x[s] += (float) (sign * height);
      x[s + 1] += (float) (sign * 0.6 * height);
      tmp[count++] = s;
    }
    return new SyntheticTraces(x, java.util.Arrays.copyOf(tmp, count));
  }
}
