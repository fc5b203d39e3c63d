package io.voltspike.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BurstRecallTest {
  @Test
  void burstSpikesAreThoseWithinTwentyFiveMillisecondsOfThePreviousOne() {
    // at 1 kHz: 100 isolated; 120 (20 ms later: burst); 146 (26 ms: isolated); 150 (4 ms: burst)
    int[] truth = {100, 120, 146, 150};
    int[] match = {0, -1, 1, 2};
    double[] heights = {6, 6, 6, 6};
    BurstRecall r = BurstRecall.of(truth, match, heights, 1000);
    assertEquals(2, r.burstSpikes());
    assertEquals(2, r.isolatedSpikes());
    assertEquals(0.5, r.burstRecall(), 1e-12);
    assertEquals(1.0, r.isolatedRecall(), 1e-12);
    // the same interval at 500 Hz is 10 samples
    assertEquals(
        1,
        BurstRecall.of(new int[] {0, 12, 30}, new int[] {0, 1, 2}, new double[] {6, 6, 6}, 500)
            .burstSpikes());
  }

  @Test
  void isolatedRecallIsComparedAtTheBurstSpikesHeights() {
    // isolated: tall ones (12 sd) all found, small ones (3.5 sd) half found;
    // burst spikes: all small, half found. Overall isolated recall 0.75 would flatter them.
    int[] truth = new int[8];
    int[] match = new int[8];
    double[] h = new double[8];
    for (int i = 0; i < 4; i++) {
      truth[i] = 1000 * (i + 1); // isolated
      h[i] = i < 2 ? 12 : 3.5;
      match[i] = i < 3 ? i : -1;
    }
    for (int i = 4; i < 8; i++) {
      truth[i] = 10_000 + 10 * i; // 10 ms apart: the first of them is isolated
      h[i] = 3.5;
      match[i] = i % 2 == 0 ? i : -1;
    }
    BurstRecall r = BurstRecall.of(truth, match, h, 1000);
    assertEquals(3, r.burstSpikes());
    assertEquals(5, r.isolatedSpikes());
    assertEquals(1.0 / 3, r.burstRecallComparable(), 1e-12); // 10060 found, 10050 and 10070 not
    // isolated at 3.5 sd: 3000 found, 4000 not, 10040 found -> 2/3
    assertEquals(2.0 / 3, r.isolatedRecallAtBurstHeights(), 1e-12);
    assertEquals(4.0 / 5, r.isolatedRecall(), 1e-12);
    BurstRecall twice = r.plus(r);
    assertEquals(6, twice.burstSpikes());
    assertEquals(r.isolatedRecallAtBurstHeights(), twice.isolatedRecallAtBurstHeights(), 1e-12);
    assertTrue(Double.isNaN(BurstRecall.empty().burstRecall()));
  }
}
