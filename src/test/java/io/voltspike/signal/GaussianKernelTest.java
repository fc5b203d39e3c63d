package io.voltspike.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaussianKernelTest {
  @Test
  void normalisedSymmetricGaussian() {
    double[] w = GaussianKernel.weights(1.0, 3);
    assertEquals(7, w.length);
    double sum = 0;
    for (double v : w) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-12);
    for (int k = 1; k <= 3; k++) {
      assertEquals(w[3 - k], w[3 + k], 0.0);
      assertEquals(Math.exp(-0.5 * k * k), w[3 + k] / w[3], 1e-12);
    }
  }
}
