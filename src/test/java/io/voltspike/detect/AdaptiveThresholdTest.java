package io.voltspike.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveThresholdTest {
  static double[] bimodal(int noise, int spikes, double spikeHeight, long seed) {
    Random r = new Random(seed);
    double[] p = new double[noise + spikes];
    for (int i = 0; i < noise; i++) {
      p[i] = r.nextGaussian();
    }
    for (int i = 0; i < spikes; i++) {
      p[noise + i] = spikeHeight + 0.5 * r.nextGaussian();
    }
    return p;
  }

  @Test
  void separatesNoiseFromSpikes() {
    double[] p = bimodal(3000, 60, 8, 1);
    double t = AdaptiveThreshold.compute(p, 0.5, 10, 0);
    assertTrue(t > 3 && t < 7, "threshold " + t + " lies between the modes");
    int above = AdaptiveThreshold.countAbove(p, t);
    assertTrue(above >= 58 && above <= 62, "about the 60 spikes are above, got " + above);
  }

  @Test
  void keepsAtLeastMinSpikes() {
    Random r = new Random(2);
    double[] p = new double[500];
    for (int i = 0; i < p.length; i++) {
      p[i] = r.nextGaussian();
    }
    double t = AdaptiveThreshold.compute(p, 0.5, 10, 0);
    assertTrue(AdaptiveThreshold.countAbove(p, t) >= 10);
  }

  @Test
  void clipKeepsTheTopPeaks() {
    double[] p = bimodal(3000, 400, 8, 3);
    double t = AdaptiveThreshold.compute(p, 0.25, 10, 100);
    assertEquals(100, AdaptiveThreshold.countAbove(p, t), 1);
  }

  @Test
  void percentileMatchesNumpyLinear() {
    double[] v = {1, 2, 3, 4};
    assertEquals(2.5, Stats.percentile(v, 50), 1e-12);
    assertEquals(3.85, Stats.percentile(v, 95), 1e-12);
    assertEquals(1.0, Stats.percentile(v, 0), 1e-12);
  }
}
