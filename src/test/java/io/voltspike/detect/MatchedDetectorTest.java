package io.voltspike.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.eval.Counts;
import io.voltspike.eval.Matcher;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatchedDetectorTest {
  /** A fixed threshold (detect_threshold 3.5): these tests are about the evidence. */
  static DetectorOptions opts() {
    return DetectorOptions.defaults().withOperatingPoint(OperatingPoint.FIXED);
  }

  /**
   * White noise (sd 1), a 20 Hz oscillation whose peaks stand {@code oscillation} sd tall, and
   * 3-sample spikes of the given height every ~200 ms.
   */
  static float[] oscillating(int n, double oscillation, double height, int[] spikesOut, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] =
          (float) (500 + r.nextGaussian() + oscillation * Math.sin(2 * Math.PI * 20 * i / 1000.0));
    }
    int k = 0;
    for (int s = 150; s < n - 50 && k < spikesOut.length; s += 150 + r.nextInt(100)) {
      x[s - 1] += (float) (0.5 * height);
      x[s] += (float) height;
      x[s + 1] += (float) (0.6 * height);
      spikesOut[k++] = s;
    }
    return x;
  }

  static int[] trimmed(int[] a) {
    int n = 0;
    while (n < a.length && a[n] > 0) {
      n++;
    }
    return java.util.Arrays.copyOf(a, n);
  }

  @Test
  void spikesOnAnOscillationAsTallAsThemAreFoundAndItsPeaksAreNot() {
    int[] buf = new int[400];
    float[] x = oscillating(40_000, 6, 7, buf, 21);
    int[] truth = trimmed(buf);
    List<Spike> found = OfflineDetection.run(new MatchedDetector(opts()), x);
    Counts c = Matcher.counts(truth, OfflineDetection.samples(found), 2, x.length, 1);
    // scored after the first 2 s, while the noise model is first fitted
    Counts late =
        Matcher.counts(
            java.util.Arrays.stream(truth).filter(s -> s > 2000).toArray(),
            java.util.Arrays.stream(OfflineDetection.samples(found))
                .filter(s -> s > 2000)
                .toArray(),
            2,
            x.length,
            1);
    assertTrue(late.f1() > 0.95, "F1 " + late.f1() + " " + c);
    assertTrue(late.fp() <= 10, "false positives on the oscillation: " + late);
  }

  @Test
  void onNoiseAloneTheEvidenceIsStandardNormal() {
    Random r = new Random(5);
    WhitenedEvidence e = new WhitenedEvidence(1000, 0);
    double ar = 0;
    int n = 0;
    int above3 = 0;
    double sum2 = 0;
    for (int t = 0; t < 60_000; t++) {
      ar = 0.8 * ar + r.nextGaussian(); // coloured noise
      double z = e.push(t, (float) ar, false);
      if (t > 5000 && Double.isFinite(z)) {
        n++;
        sum2 += z * z;
        if (z > 3) {
          above3++;
        }
      }
    }
    assertEquals(1.0, sum2 / n, 0.1, "variance of the evidence");
    double tail = above3 / (double) n;
    assertTrue(tail > 0.0006 && tail < 0.0025, "P(z > 3) = " + tail + " (Gaussian: 0.00135)");
    assertEquals(0.8, e.noiseModel()[0], 0.05);
  }

  @Test
  void confidentSpikesTeachTheTemplateTheirShape() {
    // wide spikes (5 samples) the canonical 2 ms template does not match
    Random r = new Random(8);
    float[] x = new float[30_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    double[] shape = {0.3, 0.7, 1.0, 0.8, 0.5, 0.3};
    for (int s = 200; s < x.length - 20; s += 200) {
      for (int j = 0; j < shape.length; j++) {
        x[s - 2 + j] += (float) (12 * shape[j]);
      }
    }
    MatchedDetector d = new MatchedDetector(opts());
    List<Spike> found = OfflineDetection.run(d, x);
    assertTrue(found.size() > 140, "spikes: " + found.size());
    assertTrue(d.evidence().learned() > 100, "lessons: " + d.evidence().learned());
    double[] before = new WhitenedEvidence(1000, 0).template();
    double[] after = d.evidence().template();
    double dot = 0;
    for (int i = 0; i < before.length; i++) {
      dot += before[i] * after[i];
    }
    assertTrue(dot < 0.99, "the template moved from the canonical shape: cos " + dot);
  }

  @Test
  void decisionsAreFinalWithinTwentyMilliseconds() {
    MatchedDetector d = new MatchedDetector(opts());
    assertEquals(4 + 3 + 2, d.decisionLatencySamples());
  }

  /** Spike-free: white noise, or noise under a 30 Hz oscillation and a slow random walk. */
  static float[] spikeFree(int n, boolean coloured, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    double walk = 0;
    for (int i = 0; i < n; i++) {
      walk += 0.2 * r.nextGaussian();
      double v = 500 + r.nextGaussian();
      if (coloured) {
        v += 5 * Math.sin(2 * Math.PI * 30 * i / 1000.0) + walk;
      }
      x[i] = (float) v;
    }
    return x;
  }

  @Test
  void aCalibratedOperatingPointHoldsItsFalseAlarmRateOnQuietAndNoisyNeurons() {
    for (boolean coloured : new boolean[] {false, true}) {
      float[] x = spikeFree(300_000, coloured, coloured ? 41 : 42);
      MatchedDetector d =
          new MatchedDetector(
              DetectorOptions.defaults().withOperatingPoint(OperatingPoint.BALANCED));
      List<Spike> found = OfflineDetection.run(d, x);
      long late = found.stream().filter(s -> s.sample() >= 30_000).count(); // after warm-up
      double perS = late / 270.0;
      assertTrue(
          perS > 0.15 && perS < 0.45,
          (coloured ? "coloured" : "white") + " noise: " + perS + " false positives per second");
      assertTrue(d.threshold() >= MatchedDetector.CALIBRATED_FLOOR, "" + d.threshold());
    }
  }

  @Test
  void operatingPointsAreOrderedAndFixedUsesDetectThreshold() {
    float[] x = spikeFree(120_000, true, 43);
    double previous = Double.POSITIVE_INFINITY;
    for (OperatingPoint p :
        new OperatingPoint[] {
          OperatingPoint.CLOSED_LOOP, OperatingPoint.BALANCED, OperatingPoint.ANALYSIS
        }) {
      MatchedDetector d = new MatchedDetector(DetectorOptions.defaults().withOperatingPoint(p));
      OfflineDetection.run(d, x);
      assertTrue(d.threshold() < previous, p + ": " + d.threshold() + " after " + previous);
      previous = d.threshold();
    }
    assertEquals(3.5, new MatchedDetector(opts()).threshold());
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> OperatingPoint.parse("tight"));
    assertTrue(e.getMessage().contains("closed-loop, balanced, analysis"), e.getMessage());
  }
}
