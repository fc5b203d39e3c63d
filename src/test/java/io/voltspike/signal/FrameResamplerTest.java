package io.voltspike.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameResamplerTest {
  static float[] run(FrameResampler r, float[] x, int chunk) {
    List<Float> out = new ArrayList<>();
    long[] expected = {r.nextOut()};
    FrameResampler.Sink sink =
        (j, v) -> {
          assertEquals(expected[0]++, j, "outputs are consecutive");
          out.add(v);
        };
    for (int i = 0; i < x.length; i++) {
      r.push(x[i], sink);
    }
    r.flush(sink);
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }

  @Test
  void twoKilohertzToOneAveragesPairsOfFrames() {
    float[] x = {1, 3, 5, 7, 10, 20};
    float[] y = run(new FrameResampler(2000, 1000, 1), x, 1);
    assertArrayEquals(new float[] {2, 6, 15}, y, 1e-6f);
  }

  @Test
  void fiveHundredHertzToOneKilohertzRepeatsEachFrame() {
    float[] x = {1, 4, -2};
    float[] y = run(new FrameResampler(500, 1000, 1), x, 1);
    assertArrayEquals(new float[] {1, 1, 4, 4, -2, -2}, y, 1e-6f);
  }

  @Test
  void nonIntegerRatiosWeightFramesByOverlap() {
    // 300 Hz -> 1 kHz: frame i covers [10i/3, 10(i+1)/3) output samples.
    float[] x = {0, 3, 6, 9};
    float[] y = run(new FrameResampler(300, 1000, 1), x, 1);
    // outputs 0-2 lie in frame 0; output 3 = 1/3 frame 0 + 2/3 frame 1; 4, 5 in frame 1;
    // output 6 = 2/3 frame 1 + 1/3 frame 2.
    assertEquals(0, y[2], 1e-6);
    assertEquals(2.0, y[3], 1e-5);
    assertEquals(3.0, y[5], 1e-5);
    assertEquals(4.0, y[6], 1e-5);
    // 800 Hz -> 1 kHz keeps the mean of a constant and of a long trace
    float[] c = new float[800];
    java.util.Arrays.fill(c, 7f);
    for (float v : run(new FrameResampler(800, 1000, 1), c, 1)) {
      assertEquals(7f, v, 1e-5f);
    }
  }

  @Test
  void chunkingAndRestoringDoNotChangeTheOutput() {
    Random rnd = new Random(5);
    float[] x = new float[3001];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    for (double in : new double[] {300, 500, 800, 2000, 5000}) {
      float[] whole = run(new FrameResampler(in, 1000, 1), x, x.length);
      // half, snapshot, restore into a fresh one, the rest
      FrameResampler a = new FrameResampler(in, 1000, 1);
      List<Float> out = new ArrayList<>();
      FrameResampler.Sink sink = (j, v) -> out.add(v);
      for (int i = 0; i < 1234; i++) {
        a.push(x[i], sink);
      }
      FrameResampler b = new FrameResampler(in, 1000, 1);
      b.restore(a.state());
      for (int i = 1234; i < x.length; i++) {
        b.push(x[i], sink);
      }
      b.flush(sink);
      assertEquals(whole.length, out.size(), "rate " + in);
      for (int i = 0; i < whole.length; i++) {
        assertEquals(whole[i], out.get(i), 0f, "rate " + in + " sample " + i);
      }
    }
  }

  @Test
  void missingFramesAreLeftOutAndAMostlyMissingSampleIsMissing() {
    float[] y = run(new FrameResampler(4000, 1000, 1), new float[] {1, Float.NaN, 3, 5}, 1);
    assertEquals(3f, y[0], 1e-6f); // mean of the three finite frames
    y = run(new FrameResampler(4000, 1000, 1), new float[] {1, Float.NaN, Float.NaN, 5}, 1);
    assertTrue(Float.isNaN(y[0]), "half or more missing is missing");
  }

  @Test
  void spikesMapToTheMostExtremeFrameOfTheirSample() {
    FrameResampler up = new FrameResampler(2000, 1000, -1);
    run(up, new float[] {0, 0, 5, -3, 0, 0}, 1);
    assertEquals(3, up.sourceFrame(1)); // frames 2 and 3: -3 is the extreme one for peak_sign neg
    FrameResampler pos = new FrameResampler(2000, 1000, 1);
    run(pos, new float[] {0, 0, 5, -3, 0, 0}, 1);
    assertEquals(2, pos.sourceFrame(1));
    FrameResampler half = new FrameResampler(500, 1000, 1);
    run(half, new float[] {0, 1, 2, 3}, 1);
    assertEquals(2, half.sourceFrame(5)); // outputs 4 and 5 both lie in frame 2
  }

  @Test
  void skippedFramesMoveTheOutputGrid() {
    FrameResampler r = new FrameResampler(500, 1000, 1);
    r.push(1, (j, v) -> {});
    r.skip(100);
    assertEquals(101, r.nextIn());
    assertEquals(202, r.nextOut());
  }

  @Test
  void noiseLagMatchesTheUpsamplingFactor() {
    assertEquals(1, FrameResampler.noiseLag(2000, 1000));
    assertEquals(1, FrameResampler.noiseLag(1000, 1000));
    assertEquals(2, FrameResampler.noiseLag(500, 1000));
    assertEquals(2, FrameResampler.noiseLag(800, 1000));
    assertEquals(4, FrameResampler.noiseLag(300, 1000));
    assertThrows(IllegalArgumentException.class, () -> new FrameResampler(0, 1000, 1));
  }
}
