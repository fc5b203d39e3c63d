package io.voltspike.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.io.Recording;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NeuronSimulatorTest {
  static TraceParams quiet(double snr, int polarity) {
    // nuisances off: only spikes and shot noise, so known answers can be checked
    return TraceParams.of(Family.REGULAR, snr, polarity, 20, 1000)
        .with(
            Map.of(
                "burst_rate_hz", "0",
                "ou_sigma", "0",
                "theta_amp", "0",
                "bleach_fraction", "0",
                "drift_amp", "0",
                "motion_step_rate_hz", "0",
                "artefact_rate_hz", "0",
                "pink_fraction", "0",
                "ap_width_min_ms", "3",
                "ap_width_max_ms", "3"));
  }

  @Test
  void deterministicBySeed() {
    TraceParams p = TraceParams.of(Family.BURSTING, 5, 1, 5, 1000);
    Recording a = NeuronSimulator.simulate("a", p, 42);
    Recording b = NeuronSimulator.simulate("a", p, 42);
    Recording c = NeuronSimulator.simulate("a", p, 43);
    assertArrayEquals(a.voltage(), b.voltage());
    assertArrayEquals(a.truth(), b.truth());
    assertFalse(Arrays.equals(a.voltage(), c.voltage()));
  }

  @Test
  void truthIsSortedUniqueInRangeAndRespectsRefractoriness() {
    for (Family f : Family.values()) {
      Recording r = NeuronSimulator.simulate("x", TraceParams.of(f, 6, 1, 30, 1000), 7);
      int[] t = r.truth();
      assertTrue(t.length > 10, f + ": " + t.length + " spikes");
      for (int i = 1; i < t.length; i++) {
        assertTrue(t[i] - t[i - 1] >= 3, f + ": spikes " + t[i - 1] + "," + t[i]);
      }
      assertTrue(t[0] >= 0 && t[t.length - 1] < r.length());
      for (float v : r.voltage()) {
        assertTrue(Float.isFinite(v));
      }
    }
  }

  @Test
  void firingRateStaysWithinTheConfiguredRange() {
    Recording r = NeuronSimulator.simulate("x", quiet(8, 1), 9);
    double rate = r.truth().length / r.durationS();
    assertTrue(rate >= 0.5 && rate <= 20, "rate " + rate);
  }

  @Test
  void snrIsSpikeHeightOverShotNoise() {
    Recording r = NeuronSimulator.simulate("x", quiet(8, 1), 11);
    float[] v = r.voltage();
    double b0 = 1000;
    double sigma = Math.sqrt(b0);
    // peak of each 3 ms spike above baseline, in noise sigmas: mean about 8 (amplitude +-20 %)
    double sum = 0;
    for (int s : r.truth()) {
      sum += (v[s] - b0) / sigma;
    }
    double meanHeight = sum / r.truth().length;
    assertEquals(8.0, meanHeight, 0.8, "sampled peaks lose a little to sub-sample timing");
    // away from spikes the noise sigma is sqrt(brightness)
    double ss = 0;
    int n = 0;
    int k = 0;
    for (int i = 0; i < v.length; i++) {
      while (k < r.truth().length && r.truth()[k] < i - 10) {
        k++;
      }
      if (k < r.truth().length && Math.abs(r.truth()[k] - i) <= 10) {
        continue;
      }
      ss += (v[i] - b0) * (v[i] - b0);
      n++;
    }
    assertEquals(sigma, Math.sqrt(ss / n), 0.05 * sigma);
  }

  @Test
  void negativePolarityDims() {
    Recording r = NeuronSimulator.simulate("x", quiet(8, -1), 12);
    double sum = 0;
    for (int s : r.truth()) {
      sum += r.voltage()[s] - 1000;
    }
    assertTrue(sum / r.truth().length < -100);
    assertEquals("neg", r.metadata().get("peak_sign"));
  }

  @Test
  void bleachingLosesTheConfiguredFraction() {
    TraceParams p = quiet(4, 1).with(Map.of("bleach_fraction", "0.6", "duration_s", "30"));
    Recording r = NeuronSimulator.simulate("x", p, 13);
    double first = mean(r.voltage(), 0, 500);
    double last = mean(r.voltage(), r.length() - 500, r.length());
    assertEquals(0.4, last / first, 0.02);
  }

  @Test
  void detectabilityIsTheMatchedFilterSnrOfEachSpike() {
    // A 3 ms FWHM spike of unit size: sum of its squared samples ~ sqrt(pi) * sigma, sigma =
    // 3 / 2.3548 samples, so d' = snr * sqrt(2.258) = 1.503 snr for every spike.
    TraceParams p = quiet(4, 1).with(Map.of("amplitude_jitter", "0"));
    Recording r = NeuronSimulator.simulate("x", p, 11);
    double[] d = NeuronSimulator.detectability(p, 11);
    assertEquals(r.truth().length, d.length);
    for (double x : d) {
      assertEquals(4 * 1.503, x, 0.03);
    }
    // Bleaching lowers it with the square root of the brightness left (signal ~ B, noise ~
    // sqrt(B)): half the light by the end of the trace, d' down by sqrt(0.5) there.
    TraceParams bleach = p.with(Map.of("bleach_fraction", "0.5", "duration_s", "30"));
    Recording rb = NeuronSimulator.simulate("x", bleach, 11);
    double[] db = NeuronSimulator.detectability(bleach, 11);
    int last = rb.truth().length - 1;
    double left = Math.pow(0.5, rb.truth()[last] / 30_000.0);
    assertEquals(4 * 1.503 * Math.sqrt(left), db[last], 0.04);
    assertTrue(db[0] > db[last]);
  }

  @Test
  void burstsRideOnAPlateau() {
    TraceParams p =
        quiet(8, 1)
            .with(Map.of("burst_rate_hz", "0.5", "plateau_height", "0.4", "duration_s", "30"));
    TraceParams flat = p.with(Map.of("plateau_height", "0"));
    Recording a = NeuronSimulator.simulate("x", p, 5);
    Recording b = NeuronSimulator.simulate("x", flat, 5);
    // Same spikes and noise; the plateau adds 0.4 spike heights (0.4 * 8 sigma) in the bursts.
    assertArrayEquals(a.truth(), b.truth());
    double maxLift = 0;
    for (int i = 0; i < a.length(); i++) {
      maxLift = Math.max(maxLift, a.voltage()[i] - b.voltage()[i]);
    }
    assertEquals(0.4 * 8 * Math.sqrt(1000), maxLift, 0.5);
  }

  @Test
  void unknownParameterListsTheValidNames() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> quiet(4, 1).with(Map.of("bleech", "0.1")));
    assertTrue(e.getMessage().contains("bleach_fraction"));
  }

  static double mean(float[] v, int from, int to) {
    double s = 0;
    for (int i = from; i < to; i++) {
      s += v[i];
    }
    return s / (to - from);
  }
}
