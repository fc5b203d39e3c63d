package io.voltspike.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NoiseWhitenerTest {
  /** x[t] = a1 x[t-1] + a2 x[t-2] + e[t], e ~ N(0, sd^2). */
  static double[] ar2(int n, double a1, double a2, double sd, long seed) {
    Random r = new Random(seed);
    double[] x = new double[n];
    for (int t = 2; t < n; t++) {
      x[t] = a1 * x[t - 1] + a2 * x[t - 2] + sd * r.nextGaussian();
    }
    return x;
  }

  @Test
  void recoversTheCoefficientsOfAKnownArProcessAndWhitensIt() {
    double[] x = ar2(30_000, 1.2, -0.5, 0.7, 1);
    NoiseWhitener w = new NoiseWhitener(4, 1000, 5000, 4.0, 1, 4);
    double sum2 = 0;
    double lag1 = 0;
    double prev = 0;
    int n = 0;
    for (int t = 0; t < x.length; t++) {
      double e = w.push(x[t], false);
      if (t > 10_000) {
        sum2 += e * e;
        lag1 += e * prev;
        n++;
      }
      prev = e;
    }
    double[] a = w.coefficients();
    assertEquals(1.2, a[0], 0.05, "a1");
    assertEquals(-0.5, a[1], 0.05, "a2");
    assertEquals(0.0, a[2], 0.05, "a3");
    assertEquals(0.7, w.innovationSd(), 0.03, "innovation sd");
    assertEquals(1.0, sum2 / n, 0.05, "whitened variance");
    assertEquals(0.0, lag1 / sum2, 0.03, "whitened lag-1 correlation");
  }

  @Test
  void beforeTheFirstFitTheOutputIsTheInput() {
    NoiseWhitener w = new NoiseWhitener(4, 1000, 5000, 4.0, 1, 4);
    assertEquals(0.25, w.push(0.25, false), 0.0);
    assertEquals(-1.5, w.push(-1.5, false), 0.0);
    assertEquals(0, w.fits());
  }

  @Test
  void excursionsAndImputedSamplesStayOutOfTheFit() {
    double[] x = ar2(20_000, 0.6, 0.0, 1.0, 2);
    double[] spiky = x.clone();
    for (int t = 500; t < spiky.length; t += 250) {
      spiky[t] += 30; // spikes ten times the noise
      spiky[t + 1] += 15;
    }
    NoiseWhitener clean = new NoiseWhitener(2, 1000, 5000, 4.0, 1, 4);
    NoiseWhitener withSpikes = new NoiseWhitener(2, 1000, 5000, 4.0, 1, 4);
    for (int t = 0; t < x.length; t++) {
      clean.push(x[t], false);
      withSpikes.push(spiky[t], t % 97 == 0); // and a held sample now and then
    }
    assertEquals(clean.coefficients()[0], withSpikes.coefficients()[0], 0.05);
    assertEquals(clean.innovationSd(), withSpikes.innovationSd(), 0.05);
  }

  @Test
  void chunkedRestoredAndWholeRunsAreBitIdentical() {
    double[] x = ar2(12_000, 0.9, -0.2, 1.0, 3);
    NoiseWhitener whole = NoiseWhitener.forRate(8, 1000);
    double[] a = new double[x.length];
    for (int t = 0; t < x.length; t++) {
      a[t] = whole.push(x[t], t % 1000 == 7);
    }
    NoiseWhitener first = NoiseWhitener.forRate(8, 1000);
    double[] b = new double[x.length];
    int cut = 6_543;
    for (int t = 0; t < cut; t++) {
      b[t] = first.push(x[t], t % 1000 == 7);
    }
    NoiseWhitener second = NoiseWhitener.forRate(8, 1000);
    second.restore(first.state());
    for (int t = cut; t < x.length; t++) {
      b[t] = second.push(x[t], t % 1000 == 7);
    }
    assertArrayEquals(a, b);
    assertTrue(whole.fits() >= 11, "refitted every second: " + whole.fits());
  }

  @Test
  void aNewSegmentPredictsNothingAcrossTheGap() {
    NoiseWhitener w = NoiseWhitener.forRate(4, 1000);
    double[] x = ar2(3000, 0.9, 0.0, 1.0, 4);
    for (double v : x) {
      w.push(v, false);
    }
    assertTrue(w.fits() > 0);
    w.startSegment(10_000);
    assertEquals(10_000, w.nextIndex());
    // the first order samples of a segment have no past: their output is the input over the sd
    assertEquals(2.0 / w.innovationSd(), w.push(2.0, false), 1e-12);
  }
}
