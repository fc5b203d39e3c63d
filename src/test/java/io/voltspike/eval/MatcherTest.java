package io.voltspike.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MatcherTest {
  @Test
  void handCheckedCases() {
    // truth 10 matches 11; truth 20 has detections 17 (too far) and 22; 30 unmatched; 40 none
    Matcher.Result r = Matcher.match(new int[] {10, 20, 30}, new long[] {11, 17, 22, 40}, 2);
    assertEquals(2, r.tp());
    assertEquals(2, r.fp());
    assertEquals(1, r.fn());
    assertArrayEquals(new int[] {0, 2, -1}, r.matchOfTruth());
  }

  @Test
  void oneToOne() {
    // two detections near one spike: one tp, one fp
    Matcher.Result r = Matcher.match(new int[] {100}, new long[] {99, 101}, 2);
    assertEquals(1, r.tp());
    assertEquals(1, r.fp());
    // two spikes, one detection between them: one tp, one fn
    r = Matcher.match(new int[] {100, 103}, new long[] {101}, 2);
    assertEquals(1, r.tp());
    assertEquals(1, r.fn());
  }

  @Test
  void greedyIsMaximal() {
    // a naive nearest-first match would pair 5 with 6 and lose 7
    Matcher.Result r = Matcher.match(new int[] {5, 7}, new long[] {4, 6}, 1);
    assertEquals(2, r.tp());
  }

  @Test
  void zeroToleranceIsExactSample() {
    Matcher.Result r = Matcher.match(new int[] {5, 9}, new long[] {5, 10}, 0);
    assertEquals(1, r.tp());
    assertEquals(1, r.fp());
    assertEquals(1, r.fn());
  }

  @Test
  void posterConfusionMatrixScores() {
    // the research poster's overall matrix: tp 6100, fn 337, fp 448, tn 1820065
    long samples = 6100 + 337 + 448 + 1820065;
    Counts c = new Counts(6100, 448, 337, samples, samples / 1000.0);
    assertEquals(0.9316, c.precision(), 5e-5);
    assertEquals(0.9476, c.recall(), 5e-5);
    assertEquals(0.9395, c.f1(), 5e-5);
    assertEquals(0.9996, c.sampleAccuracy(), 5e-5);
    assertEquals(1820065, c.tn());
    assertEquals(6100.0 / (6100 + 448 + 337), c.accuracy(), 1e-12);
    assertEquals(337.0 / 6437, c.missRate(), 1e-12);
  }

  @Test
  void emptyCasesAreNaNNotErrors() {
    Counts c = new Counts(0, 0, 0, 10, 0.01);
    assertEquals(Double.NaN, c.precision());
    assertEquals(0.0, c.fpPerSecond());
  }

  @Test
  void snrBands() {
    assertEquals("2-4", SnrBand.of(2.0));
    assertEquals("2-4", SnrBand.of(3.99));
    assertEquals("4-6", SnrBand.of(4.0));
    assertEquals("8-10", SnrBand.of(10.0));
    assertEquals("10-12", SnrBand.of(11.0));
  }
}
