package io.voltspike.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeakPickerTest {
  static List<Long> pick(double[] v, double thr, int dead) {
    PeakPicker p = new PeakPicker(dead);
    List<Long> out = new ArrayList<>();
    for (double x : v) {
      p.push(x, thr, (s, val) -> out.add(s));
    }
    p.flush((s, val) -> out.add(s));
    return out;
  }

  @Test
  void localMaximaAboveThreshold() {
    double[] v = {0, 1, 5, 1, 0, 0, 2, 0, 0, 7, 6, 0};
    assertEquals(List.of(2L, 9L), pick(v, 3, 1));
    assertEquals(List.of(2L, 6L, 9L), pick(v, 1.5, 1));
  }

  @Test
  void deadTimeKeepsTheLargest() {
    double[] v = {0, 4, 0, 6, 0, 0, 0, 0};
    assertEquals(List.of(3L), pick(v, 1, 2), "4 at 1 is within 2 samples of 6 at 3");
    assertEquals(List.of(1L, 3L), pick(v, 1, 1));
  }

  @Test
  void tiesGoToTheEarliest() {
    double[] v = {0, 5, 5, 0};
    assertEquals(List.of(1L), pick(v, 1, 1));
  }

  @Test
  void peakAtTheEndIsFoundOnFlush() {
    double[] v = {0, 0, 0, 9};
    assertEquals(List.of(3L), pick(v, 1, 2));
  }
}
