package io.voltspike.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RobustScaleTest {
  @Test
  void tracksTheSdOfGaussianNoiseAndIgnoresSparseSpikes() {
    Random r = new Random(3);
    RobustScale clean = new RobustScale(0.004, 1.0);
    RobustScale spiky = new RobustScale(0.004, 1.0);
    double sumClean = 0;
    double sumSpiky = 0;
    int n = 0;
    for (int i = 0; i < 20_000; i++) {
      double g = 3 * r.nextGaussian();
      clean.push(g);
      spiky.push(i % 20 == 0 ? 40 : g); // 5 % of the samples are huge
      if (i >= 5_000) {
        sumClean += clean.sd();
        sumSpiky += spiky.sd();
        n++;
      }
    }
    assertEquals(3.0, sumClean / n, 0.15, "mean estimate of sd 3");
    assertEquals(sumClean / n, sumSpiky / n, 0.35, "5 % outliers move it by a few percent");
  }

  @Test
  void followsAChangeOfScaleWithinAFewHundredSamples() {
    Random r = new Random(4);
    RobustScale s = new RobustScale(0.004, 1.0);
    for (int i = 0; i < 800; i++) {
      s.push(4 * r.nextGaussian());
    }
    assertEquals(4.0, s.sd(), 0.8);
    assertThrows(IllegalArgumentException.class, () -> new RobustScale(0, 1));
  }
}
