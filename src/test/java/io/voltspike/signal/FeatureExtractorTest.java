package io.voltspike.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
  static final FeatureConfig CFG = FeatureConfig.defaults();

  static float[] noisyTrace(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (1000 * Math.exp(-i / 20000.0) + 5 * r.nextGaussian());
      if (i % 97 == 50) {
        x[i] += 40;
      }
    }
    return x;
  }

  /** Frames as [index][6]: five channels then the imputed flag. */
  static List<float[]> collect(FeatureExtractor fx, float[] x, int[] chunks, boolean flush) {
    List<float[]> out = new ArrayList<>();
    FeatureSink sink =
        (i, f, imp) -> {
          assertEquals(out.size(), i, "frames come in order without holes");
          float[] row = Arrays.copyOf(f, 6);
          row[5] = imp ? 1 : 0;
          out.add(row);
        };
    int off = 0;
    int c = 0;
    while (off < x.length) {
      int len = Math.min(chunks[c++ % chunks.length], x.length - off);
      fx.push(x, off, len, sink);
      off += len;
    }
    if (flush) {
      fx.flush(sink);
    }
    return out;
  }

  @Test
  void wholeChunkedAndSampleBySampleAreBitIdentical() {
    float[] x = noisyTrace(5000, 1);
    List<float[]> whole = collect(new FeatureExtractor(CFG), x, new int[] {x.length}, true);
    List<float[]> single = collect(new FeatureExtractor(CFG), x, new int[] {1}, true);
    List<float[]> odd = collect(new FeatureExtractor(CFG), x, new int[] {7, 1, 333, 10, 2}, true);
    assertEquals(x.length, whole.size());
    for (int i = 0; i < x.length; i++) {
      assertArrayEquals(whole.get(i), single.get(i), "sample " + i);
      assertArrayEquals(whole.get(i), odd.get(i), "sample " + i);
    }
  }

  @Test
  void snapshotRestoreContinuesBitExactly() {
    float[] x = noisyTrace(4000, 2);
    List<float[]> ref = collect(new FeatureExtractor(CFG), x, new int[] {x.length}, true);
    FeatureExtractor a = new FeatureExtractor(CFG);
    List<float[]> got = new ArrayList<>();
    FeatureSink sink = (i, f, imp) -> got.add(Arrays.copyOf(f, 5));
    a.push(x, 0, 1234, sink);
    byte[] state = a.snapshot();
    FeatureExtractor b = new FeatureExtractor(CFG);
    b.restore(state);
    assertEquals(1234, b.nextSampleIndex());
    b.push(x, 1234, x.length - 1234, sink);
    b.flush(sink);
    assertEquals(x.length, got.size());
    for (int i = 0; i < x.length; i++) {
      assertArrayEquals(Arrays.copyOf(ref.get(i), 5), got.get(i), "sample " + i);
    }
    assertTrue(state.length < 16 * 1024, "state " + state.length + " bytes fits 16 KiB");
  }

  @Test
  void delayIsFixedAndDocumented() {
    FeatureExtractor fx = new FeatureExtractor(CFG);
    assertEquals(CFG.gaussianHalfWidth() + 1, fx.delaySamples());
    List<Long> emitted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      fx.push(1f, (idx, f, imp) -> emitted.add(idx));
      // after pushing sample i, frames up to i - delay exist
      assertEquals(Math.max(0, i - fx.delaySamples() + 1), emitted.size());
    }
  }

  @Test
  void normalizedChannelIsInNoiseUnits() {
    Random r = new Random(3);
    float[] x = new float[20000];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (100 + 5 * r.nextGaussian());
    }
    float[][] ch = Features.of(CFG, x).channels();
    float[] z = Arrays.copyOfRange(ch[0], 3000, x.length);
    double med = median(z);
    float[] dev = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      dev[i] = (float) Math.abs(z[i] - med);
    }
    double sigma = median(dev) / 0.6745;
    assertEquals(0.0, med, 0.05);
    assertEquals(1.0, sigma, 0.06, "robust std of white noise in noise units");
  }

  @Test
  void gaussianChannelIsCentredOnAnImpulse() {
    float[] x = new float[3000];
    Random r = new Random(4);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    x[2000] += 50;
    float[][] ch = Features.of(CFG, x).channels();
    int argmax = 1990;
    for (int i = 1990; i < 2010; i++) {
      if (ch[1][i] > ch[1][argmax]) {
        argmax = i;
      }
    }
    assertEquals(2000, argmax, "no residual delay in the smoothed channel");
    assertTrue(ch[3][1999] > 0 && ch[3][2001] < 0, "derivative changes sign at the peak");
    assertTrue(ch[4][2000] < 3, "median filter removes a single-sample artefact");
    assertTrue(ch[0][2000] > 30, "normalized channel keeps it");
  }

  @Test
  void nanSamplesAreHeldFlaggedAndDoNotPoisonState() {
    float[] x = noisyTrace(6000, 5);
    float[] withNan = x.clone();
    for (int i = 3000; i < 3050; i++) {
      withNan[i] = Float.NaN;
    }
    withNan[4000] = Float.POSITIVE_INFINITY;
    Features f = Features.of(CFG, withNan);
    for (int c = 0; c < 5; c++) {
      for (int i = 0; i < x.length; i++) {
        assertTrue(Float.isFinite(f.channels()[c][i]), "channel " + c + " at " + i);
      }
    }
    assertTrue(f.imputed()[3000] && f.imputed()[3049] && f.imputed()[4000]);
    assertFalse(f.imputed()[2999] || f.imputed()[3050] || f.imputed()[4001]);
    // 50 held samples stay out of the baseline and noise estimates: the normalization long after
    // is the same as without them (the trailing windows have moved past).
    Features ref = Features.of(CFG, x);
    assertEquals(ref.channels()[0][5990], f.channels()[0][5990], 0.1);
  }

  @Test
  void enormousSamplesAreClampedAndTheChannelsRecover() {
    float[] x = noisyTrace(8000, 6);
    float[] hit = x.clone();
    hit[3000] = Float.MAX_VALUE;
    hit[3001] = -1e30f;
    hit[3500] = 1e20f;
    Features f = Features.of(CFG, hit);
    Features ref = Features.of(CFG, x);
    for (int c = 0; c < 5; c++) {
      for (int i = 0; i < x.length; i++) {
        assertTrue(Float.isFinite(f.channels()[c][i]), "channel " + c + " at " + i);
        assertTrue(Math.abs(f.channels()[c][i]) <= FeatureExtractor.MAX_ABS_Z * 2, c + " at " + i);
      }
    }
    assertEquals(FeatureExtractor.MAX_ABS_Z, f.channels()[0][3000], 0.0);
    assertEquals(-FeatureExtractor.MAX_ABS_Z, f.channels()[0][3001], 0.0);
    // each clamped sample is counted once, by the extractor that clamped it
    FeatureExtractor fx = new FeatureExtractor(CFG);
    fx.push(hit, 0, hit.length, (i, frame, imputed) -> {});
    assertEquals(3, fx.clampedSamples());
    FeatureExtractor clean = new FeatureExtractor(CFG);
    clean.push(x, 0, x.length, (i, frame, imputed) -> {});
    assertEquals(0, clean.clampedSamples());
    // a second later every channel is back to what the clean trace gives
    for (int c = 0; c < 5; c++) {
      for (int i = 5000; i < 5100; i++) {
        assertEquals(ref.channels()[c][i], f.channels()[c][i], 0.05, "channel " + c + " at " + i);
      }
    }
  }

  @Test
  void shortGapIsHeldLongGapResets() {
    FeatureExtractor fx = new FeatureExtractor(CFG);
    List<Long> idx = new ArrayList<>();
    List<Boolean> imp = new ArrayList<>();
    FeatureSink sink =
        (i, f, im) -> {
          idx.add(i);
          imp.add(im);
        };
    float[] x = noisyTrace(500, 6);
    fx.push(x, 0, 100, sink);
    fx.pushGap(10, sink);
    fx.push(x, 100, 100, sink);
    fx.flush(sink);
    assertEquals(210, idx.size());
    assertTrue(imp.get(100) && imp.get(109) && !imp.get(110));

    FeatureExtractor g = new FeatureExtractor(CFG);
    idx.clear();
    g.push(x, 0, 100, sink);
    g.pushGap(CFG.maxGapSamples() + 1, sink);
    assertEquals(100, idx.size(), "the segment before a long gap is flushed");
    g.push(x, 100, 100, sink);
    g.flush(sink);
    assertEquals(200, idx.size());
    assertEquals(100 + CFG.maxGapSamples() + 1, idx.get(100), "indices resume after the gap");
  }

  @Test
  void hashChangesWithAnySetting() {
    FeatureConfig a = FeatureConfig.defaults();
    FeatureConfig b = new FeatureConfig(1000, 200, 2000, 2, 1.5, 20, 5, 1000);
    assertEquals(a.hash(), FeatureConfig.defaults().hash());
    assertNotEquals(a.hash(), b.hash());
    assertEquals(16, a.hash().length());
    // the whitened channel is its own feature set: the shipped five-channel hash is unchanged
    assertEquals(a.hash(), a.hash(false));
    assertNotEquals(a.hash(), a.hash(true));
    assertTrue(a.canonical(true).contains("channels=normalized,gaussian,highpass,derivative"));
    assertTrue(a.canonical(true).contains(",median,whitened;"), a.canonical(true));
    assertTrue(a.canonical(true).endsWith(";whitener=ar8,refit_s=1,memory_s=5,censor_sd=4"));
  }

  static double median(float[] v) {
    float[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  @Test
  void theMedianFiltersMiddleIsArraysSortsBitForBit() {
    Random r = new Random(11);
    for (int n : new int[] {3, 5, 11}) {
      for (int trial = 0; trial < 2000; trial++) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
          int k = r.nextInt(5) - 2; // ties and both zeros
          w[i] = k == 0 ? (r.nextBoolean() ? 0.0f : -0.0f) : k * (float) r.nextInt(3);
        }
        float[] sorted = w.clone();
        Arrays.sort(sorted);
        assertEquals(
            Float.floatToIntBits(sorted[n / 2]),
            Float.floatToIntBits(FeatureExtractor.middleOf(w)),
            Arrays.toString(sorted));
      }
    }
  }

  @Test
  void theFiveSampleMedianIsArraysSortsBitForBitOnEveryOrderOfSmallAlphabets() {
    float[] alphabet = {
      Float.NEGATIVE_INFINITY, -2f, -0.0f, 0.0f, 1.5f, Float.MIN_VALUE, Float.POSITIVE_INFINITY
    };
    int n = alphabet.length;
    int checked = 0;
    for (int code = 0; code < n * n * n * n * n; code++) {
      float[] w = new float[5];
      for (int i = 0, c = code; i < 5; i++, c /= n) {
        w[i] = alphabet[c % n];
      }
      float[] sorted = w.clone();
      Arrays.sort(sorted);
      assertEquals(
          Float.floatToIntBits(sorted[2]),
          Float.floatToIntBits(FeatureExtractor.middleOf5(w.clone())),
          Arrays.toString(w));
      checked++;
    }
    assertEquals(16807, checked);
  }
}
