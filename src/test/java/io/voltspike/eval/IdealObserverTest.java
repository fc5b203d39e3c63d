package io.voltspike.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdealObserverTest {
  @Test
  void expectedCountsAtAThreshold() {
    // d' = theta: detected half the time; 1,000 noise samples at Q(2) = 0.02275 each.
    var t = new IdealObserver.Trace("a", new double[] {2.0}, 1001, 1000.0);
    IdealObserver.Row r = IdealObserver.at("a", List.of(t), 2.0);
    assertEquals(0.5, r.tp(), 1e-9);
    assertEquals(0.5, r.fn(), 1e-9);
    assertEquals(22.750, r.fp(), 1e-3);
    assertEquals(0.5 / 23.25, r.precision(), 1e-6);
    assertEquals(0.5, r.recall(), 1e-9);
    assertEquals(1.0 / (1.0 + 23.25), r.f1(), 1e-6);
    assertEquals(22.750 / 1.001, r.fpPerSecond(), 1e-3);
  }

  @Test
  void thresholdForABudgetOfFalsePositives() {
    // Q(3.5401) = 2e-4: 0.2 per second at 1 kHz.
    assertEquals(3.5401, IdealObserver.thresholdForFalsePositives(0.2, 1000.0), 1e-4);
    assertThrows(
        IllegalArgumentException.class, () -> IdealObserver.thresholdForFalsePositives(0, 1000));
  }

  @Test
  void strongSpikesAreFoundAndWeakOnesAreNot() {
    double[] strong = new double[100];
    double[] weak = new double[100];
    java.util.Arrays.fill(strong, 12.0);
    java.util.Arrays.fill(weak, 0.5);
    var s = new IdealObserver.Trace("8-10", strong, 30_000, 1000.0);
    var w = new IdealObserver.Trace("2-4", weak, 30_000, 1000.0);
    double theta = IdealObserver.bestThreshold(List.of(s, w));
    List<IdealObserver.Row> rows = IdealObserver.byBand(List.of(s, w), theta);
    assertEquals(List.of("8-10", "2-4", "overall"), rows.stream().map(r -> r.band()).toList());
    assertTrue(rows.get(0).f1() > 0.99, "" + rows.get(0));
    assertTrue(rows.get(1).recall() < 0.01, "" + rows.get(1));
    // The best threshold is at least as good as any other.
    double best = rows.get(2).f1();
    for (double other : new double[] {2.0, 3.0, 4.0, 5.0, 6.0}) {
      assertTrue(IdealObserver.at("all", List.of(s, w), other).f1() <= best + 1e-12);
    }
  }
}
