package io.voltspike.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.detect.PeakSign;
import io.voltspike.io.Recording;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlausibilityTest {
  @Test
  void robustSdOfKnownValues() {
    // median 3, absolute deviations 2,1,0,1,2 (+ an outlier's 97): MAD 1.5 -> 2.2239
    assertEquals(
        1.482602218505602 * 1.5, Plausibility.robustSd(new float[] {1, 2, 3, 4, 5, 100}), 1e-9);
    assertTrue(Double.isNaN(Plausibility.robustSd(new float[] {Float.NaN})));
  }

  @Test
  void bigSpikesAreTallAndNoiseSamplesAreNot() {
    Random r = new Random(8);
    float[] x = new float[20_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (100 + r.nextGaussian());
    }
    for (int s = 1000; s < 19_000; s += 1000) {
      x[s] -= 10; // negative-going spikes, 10 sigma
    }
    Recording rec = new Recording("t", 1000, x, null, Map.of());
    double[] h = Plausibility.heights(rec, PeakSign.NEG, new long[] {1000, 5000, 1500, 2500});
    assertTrue(h[0] > 6 && h[1] > 6, "spikes: " + h[0] + ", " + h[1]);
    assertTrue(h[2] < 3.5 && h[3] < 3.5, "noise: " + h[2] + ", " + h[3]);
    // in the wrong polarity the spikes are not tall
    double[] wrong = Plausibility.heights(rec, PeakSign.POS, new long[] {1000, 5000});
    assertTrue(wrong[0] < 2.5 && wrong[1] < 2.5);
    assertEquals(2, Plausibility.low(new double[] {1, 2.4, 2.5, 7}));
  }
}
