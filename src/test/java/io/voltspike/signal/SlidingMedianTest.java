package io.voltspike.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlidingMedianTest {
  @Test
  void medianOfKnownData() {
    SlidingMedian m = new SlidingMedian(5);
    assertTrue(Double.isNaN(m.median()));
    for (float v : new float[] {5, 1, 4}) {
      m.push(v);
    }
    assertEquals(4.0, m.median());
    m.push(2);
    assertEquals(3.0, m.median(), "even count: mean of the middle two (2 and 4)");
    m.push(100);
    assertEquals(4.0, m.median()); // {5,1,4,2,100}
    m.push(-7); // evicts 5 -> {1,4,2,100,-7}
    assertEquals(2.0, m.median());
  }

  @Test
  void matchesBruteForceOnRandomData() {
    Random r = new Random(7);
    SlidingMedian m = new SlidingMedian(11);
    float[] hist = new float[1000];
    for (int i = 0; i < hist.length; i++) {
      hist[i] = (float) r.nextGaussian();
      m.push(hist[i]);
      assertMedianOfLast(11, hist, i, m);
    }
  }

  @Test
  void theMedianIsTheSortedWindowsMiddleBitForBitWithTiesAndSignedZeros() {
    for (int cap : new int[] {15, 16}) {
      Random r = new Random(8 + cap);
      SlidingMedian m = new SlidingMedian(cap);
      float[] hist = new float[3000];
      for (int i = 0; i < hist.length; i++) {
        int k = r.nextInt(7) - 3; // many ties
        hist[i] = k == 0 ? (r.nextBoolean() ? 0.0f : -0.0f) : k;
        m.push(hist[i]);
        assertMedianOfLast(cap, hist, i, m);
      }
    }
  }

  @Test
  void orderKeysFollowFloatCompare() {
    float[] v = {
      Float.NEGATIVE_INFINITY,
      -Float.MAX_VALUE,
      -1f,
      -Float.MIN_VALUE,
      -0.0f,
      0.0f,
      Float.MIN_VALUE,
      1f,
      Float.MAX_VALUE,
      Float.POSITIVE_INFINITY
    };
    for (int i = 0; i < v.length; i++) {
      assertEquals(
          Float.floatToIntBits(v[i]),
          Float.floatToIntBits(SlidingMedian.value(SlidingMedian.key(v[i]))));
      for (int j = 0; j < v.length; j++) {
        assertEquals(
            Integer.signum(Float.compare(v[i], v[j])),
            Integer.signum(Integer.compare(SlidingMedian.key(v[i]), SlidingMedian.key(v[j]))),
            v[i] + " vs " + v[j]);
      }
    }
  }

  @Test
  void theExtractorsWindowSizesMatchBruteForceWithExtremeValues() {
    // 200 (baseline) and 1,000 (noise) entries, filling up and sliding; infinities, subnormals and
    // the largest floats of both signs among Gaussian values
    float[] extremes = {
      Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY,
      Float.MAX_VALUE,
      -Float.MAX_VALUE,
      Float.MIN_VALUE,
      -Float.MIN_VALUE,
      0.0f,
      -0.0f
    };
    for (int cap : new int[] {200, 1000, 1, 2}) {
      Random r = new Random(cap);
      SlidingMedian m = new SlidingMedian(cap);
      float[] hist = new float[3 * cap + 7];
      for (int i = 0; i < hist.length; i++) {
        hist[i] =
            r.nextInt(20) == 0 ? extremes[r.nextInt(extremes.length)] : (float) r.nextGaussian();
        m.push(hist[i]);
        assertMedianOfLast(cap, hist, i, m);
      }
    }
  }

  @Test
  void serializationRoundTripIsExact() {
    SlidingMedian a = new SlidingMedian(7);
    for (int i = 0; i < 20; i++) {
      a.push((float) Math.sin(i));
    }
    SlidingMedian c = new SlidingMedian(7);
    c.restore(a.state());
    for (int i = 20; i < 40; i++) {
      a.push((float) Math.cos(i));
      c.push((float) Math.cos(i));
      assertEquals(a.median(), c.median(), 0.0);
    }
  }

  @Test
  void refusesNaN() {
    assertThrows(IllegalArgumentException.class, () -> new SlidingMedian(3).push(Float.NaN));
  }

  /**
   * The median of {@code hist}'s last {@code cap} values up to {@code i}, sorted in {@link
   * Float#compare} order (-0.0 before 0.0), is {@code m}'s to the bit.
   */
  private static void assertMedianOfLast(int cap, float[] hist, int i, SlidingMedian m) {
    float[] w = Arrays.copyOfRange(hist, Math.max(0, i - cap + 1), i + 1);
    Arrays.sort(w);
    int mid = w.length / 2;
    double expected = w.length % 2 == 1 ? w[mid] : 0.5 * ((double) w[mid - 1] + w[mid]);
    assertEquals(
        Double.doubleToLongBits(expected),
        Double.doubleToLongBits(m.median()),
        "cap " + cap + " at " + i + ": " + expected + " vs " + m.median());
  }
}
