package io.voltspike.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HighPassFilterTest {
  @Test
  void coefficientIsRcOverRcPlusDt() {
    HighPassFilter f = new HighPassFilter(20.0, 1000.0);
    double rc = 1 / (2 * Math.PI * 20.0);
    assertEquals(rc / (rc + 0.001), f.coefficient(), 1e-15);
  }

  @Test
  void stepResponseIsPowerOfA() {
    HighPassFilter f = new HighPassFilter(20.0, 1000.0);
    double a = f.coefficient();
    assertEquals(a, f.applyFromRest(1.0), 1e-15);
    for (int n = 1; n < 50; n++) {
      assertEquals(Math.pow(a, n + 1), f.apply(1.0), 1e-12, "n=" + n);
    }
  }

  @Test
  void impulseResponse() {
    HighPassFilter f = new HighPassFilter(50.0, 1000.0);
    double a = f.coefficient();
    assertEquals(a, f.applyFromRest(1.0), 1e-15);
    for (int n = 1; n < 30; n++) {
      assertEquals(Math.pow(a, n) * (a - 1), f.apply(0.0), 1e-12, "n=" + n);
    }
  }

  @Test
  void firstSampleIsTheRestingLevel() {
    HighPassFilter f = new HighPassFilter(20.0, 1000.0);
    assertEquals(0.0, f.apply(500.0));
    assertEquals(0.0, f.apply(500.0));
  }
}
