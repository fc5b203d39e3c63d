package io.voltspike.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.detect.Spike;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdSweepTest {
  /** 10 s at 1 kHz: true spikes at 1000, 2000, ..., 9000. */
  private static final int[] TRUTH = {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000};

  private static ThresholdSweep.Trace trace(List<Spike> spikes, int tolerance) {
    return new ThresholdSweep.Trace(TRUTH, spikes, tolerance, 10_000, 10.0);
  }

  /** Found: 6 true spikes at 0.9 (one 2 samples late), 3 at 0.3, false ones at 0.6 and 0.5. */
  private static List<Spike> found() {
    List<Spike> s = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      s.add(new Spike(TRUTH[i] + (i == 5 ? 2 : 0), 0.9));
    }
    for (int i = 6; i < 9; i++) {
      s.add(new Spike(TRUTH[i], 0.3));
    }
    s.add(new Spike(500, 0.6));
    s.add(new Spike(1500, 0.5));
    return s;
  }

  @Test
  void eachThresholdCountsTheSpikesAboveIt() {
    List<ThresholdSweep.Point> p =
        ThresholdSweep.sweep(List.of(trace(found(), 2)), new double[] {0.1, 0.3, 0.55, 0.9});
    // 0.1: everything; tp 9, fp 2, fn 0
    assertEquals(new Counts(9, 2, 0, 10_000, 10.0), p.get(0).counts());
    // 0.3: a score must exceed the threshold, so the three at 0.3 are gone
    assertEquals(new Counts(6, 2, 3, 10_000, 10.0), p.get(1).counts());
    // 0.55: the false one at 0.5 is gone
    assertEquals(new Counts(6, 1, 3, 10_000, 10.0), p.get(2).counts());
    // 0.9: nothing exceeds it
    assertEquals(new Counts(0, 0, 9, 10_000, 10.0), p.get(3).counts());
  }

  @Test
  void theToleranceIsThePerTraceOne() {
    Counts exact =
        ThresholdSweep.sweep(List.of(trace(found(), 0)), new double[] {0.1}).get(0).counts();
    // the spike 2 samples late is a miss and a false positive at +-0
    assertEquals(new Counts(8, 3, 1, 10_000, 10.0), exact);
  }

  @Test
  void tracesAddUp() {
    ThresholdSweep.Trace t = trace(found(), 2);
    Counts two = ThresholdSweep.sweep(List.of(t, t), new double[] {0.1}).get(0).counts();
    assertEquals(new Counts(18, 4, 0, 20_000, 20.0), two);
    assertEquals(0.2, two.fpPerSecond(), 1e-12);
  }

  @Test
  void theBestF1WithinTheBudget() {
    List<ThresholdSweep.Point> p =
        ThresholdSweep.sweep(List.of(trace(found(), 2)), new double[] {0.1, 0.3, 0.55, 0.7, 0.9});
    // at 0.1: F1 18/20 = 0.9, 0.2 fp/s; at 0.55: 12/16 = 0.75, 0.1 fp/s; at 0.7: 12/15, 0 fp/s
    assertEquals(0.1, ThresholdSweep.bestWithin(p, 0.2).orElseThrow().threshold(), 1e-12);
    assertEquals(0.7, ThresholdSweep.bestWithin(p, 0.15).orElseThrow().threshold(), 1e-12);
    assertEquals(0.8, ThresholdSweep.bestWithin(p, 0.0).orElseThrow().counts().f1(), 1e-12);
    List<ThresholdSweep.Point> noisy =
        ThresholdSweep.sweep(
            List.of(trace(List.of(new Spike(500, 0.99), new Spike(1000, 0.99)), 2)),
            new double[] {0.5, 0.9});
    assertTrue(ThresholdSweep.bestWithin(noisy, 0.05).isEmpty(), "0.1 fp/s everywhere");
  }

  @Test
  void theGridIsTheTrainersFromFiveHundredthsUp() {
    assertEquals(38, ThresholdSweep.THRESHOLDS.length);
    assertEquals(0.05, ThresholdSweep.THRESHOLDS[0], 1e-12);
    assertEquals(0.975, ThresholdSweep.THRESHOLDS[37], 1e-12);
  }
}
