package io.voltspike.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.model.WindowModel;
import io.voltspike.signal.FeatureConfig;
import io.voltspike.signal.Features;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UNetDetectorTest {
  /**
   * The windowing and averaging rule alone: the per-neuron height floor, the oscillation veto and
   * the calibration off.
   */
  static DetectorOptions opts(double lookaheadMs) {
    return DetectorOptions.defaults()
        .withOperatingPoint(OperatingPoint.FIXED)
        .withUnet(
            UNetOptions.defaults()
                .withLookaheadMs(lookaheadMs)
                .withMinHeightSd(0)
                .withOscillationTroughRatio(0));
  }

  @Test
  void theHeightFloorRemovesConfidentNoiseAndKeepsSpikesThatStandOut() {
    // An over-confident network: probability 1 wherever the normalized signal exceeds 1 sigma.
    WindowModel overconfident = FakeModels.of((t, z) -> z > 1 ? 1f : 0f);
    SyntheticTraces st = SyntheticTraces.make(30_000, 8, 1, 5); // spikes of 8 sigma
    List<Spike> loose = OfflineDetection.run(new UNetDetector(opts(20), overconfident), st.trace);
    DetectorOptions floored =
        DetectorOptions.defaults()
            .withUnet(
                UNetOptions.defaults().withLookaheadMs(20).withMinHeightSd(4).withMinEvidenceSd(0));
    List<Spike> strict = OfflineDetection.run(new UNetDetector(floored, overconfident), st.trace);
    var c0 =
        io.voltspike.eval.Matcher.counts(
            st.spikes, OfflineDetection.samples(loose), 2, st.trace.length, 30);
    var c1 =
        io.voltspike.eval.Matcher.counts(
            st.spikes, OfflineDetection.samples(strict), 2, st.trace.length, 30);
    assertTrue(c0.fp() > 300, "without the floor noise bumps are spikes: " + c0);
    assertEquals(st.spikes.length, c1.tp(), "every 8-sigma spike stays: " + c1);
    assertTrue(c1.fp() <= 3, "4 sd of this neuron's own high-pass spread: " + c1);
    // the floor is per neuron: the same spikes on twice the noise no longer stand out
    float[] noisy = st.trace.clone();
    java.util.Random r = new java.util.Random(9);
    for (int i = 0; i < noisy.length; i++) {
      noisy[i] += (float) (3 * r.nextGaussian());
    }
    List<Spike> buried = OfflineDetection.run(new UNetDetector(floored, overconfident), noisy);
    assertTrue(
        buried.size() < st.spikes.length / 2, "spikes at 2.5 of 3.2 sigma: " + buried.size());
  }

  @Test
  void aSpikeOnAWaveBelowTheHeightFloorPassesByItsWhitenedEvidence() {
    // spikes of 7 sigma on a 20 Hz wave of 6 sigma: the wave inflates the high-pass spread, so
    // the spikes' high-pass height falls short of the floor; in the whitened trace they stand out
    java.util.Random r = new java.util.Random(12);
    int n = 40_000;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (500 + r.nextGaussian() + 6 * Math.sin(2 * Math.PI * 20 * i / 1000.0));
    }
    List<Integer> truth = new java.util.ArrayList<>();
    for (int s = 2150; s < n - 50; s += 150 + r.nextInt(100)) {
      x[s - 1] += 3.5f;
      x[s] += 7f;
      x[s + 1] += 4.2f;
      truth.add(s);
    }
    int[] t = truth.stream().mapToInt(Integer::intValue).toArray();
    // a network that proposes every sample more than a sigma above the baseline: wave crests too
    WindowModel overconfident = FakeModels.of((i, z) -> z > 1 ? 1f : 0f);
    // (the oscillation veto off: the wave's crests are what this test is about)
    UNetOptions rule = UNetOptions.defaults().withLookaheadMs(20).withOscillationTroughRatio(0);
    DetectorOptions heightOnly = DetectorOptions.defaults().withUnet(rule.withMinEvidenceSd(0));
    DetectorOptions withEvidence = DetectorOptions.defaults().withUnet(rule);
    var without =
        io.voltspike.eval.Matcher.counts(
            t,
            OfflineDetection.samples(
                OfflineDetection.run(new UNetDetector(heightOnly, overconfident), x)),
            2,
            n,
            n / 1000.0);
    var with =
        io.voltspike.eval.Matcher.counts(
            t,
            OfflineDetection.samples(
                OfflineDetection.run(new UNetDetector(withEvidence, overconfident), x)),
            2,
            n,
            n / 1000.0);
    assertTrue(with.recall() > without.recall() + 0.3, "with " + with + ", without " + without);
    assertTrue(with.recall() > 0.9, "" + with);
    assertTrue(with.fp() <= without.fp() + 8, "wave crests stay out: " + with);
  }

  static final float[] TRACE = SyntheticTraces.make(7345, 12, 1, 21).trace;

  @Test
  void agreeingWindowsAverageToTheirCommonValue() {
    // every window predicts z/10 at every sample: whatever the windowing, the average is z/10
    List<Spike> got =
        OfflineDetection.run(new UNetDetector(opts(20), FakeModels.identity()), TRACE);
    float[] z = Features.of(FeatureConfig.defaults(), TRACE).channels()[0];
    double[] avg = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      avg[i] = Math.max(0f, Math.min(1f, z[i] / 10f));
    }
    List<Spike> expected = shadowed(avg);
    assertTrue(expected.size() > 20);
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < got.size(); i++) {
      assertEquals(expected.get(i).sample(), got.get(i).sample());
      assertEquals(expected.get(i).score(), got.get(i).score(), 1e-6);
    }
  }

  @Test
  void theModelsOwnThresholdIsTheDefaultAndAnExplicitOneWins() {
    // The same network with a higher operating point recorded: its detector keeps exactly the
    // 0.5-detector's spikes above it (a spike is a local maximum above the threshold).
    FakeModels.Fn fn = (p, z) -> (float) (1 - Math.exp(-Math.max(z, 0) / 8.0));
    List<Spike> all = OfflineDetection.run(new UNetDetector(opts(20), FakeModels.of(fn)), TRACE);
    double t = all.stream().mapToDouble(Spike::score).sorted().toArray()[all.size() / 2];
    WindowModel higher = FakeModels.of(fn, t);
    List<Spike> got = OfflineDetection.run(new UNetDetector(opts(20), higher), TRACE);
    List<Spike> expected = all.stream().filter(s -> s.score() > t).toList();
    assertTrue(t > 0.5 && t < 1, "threshold " + t);
    assertTrue(expected.size() > 5 && expected.size() < all.size(), all.size() + " spikes");
    assertEquals(expected, got);
    DetectorOptions explicit =
        DetectorOptions.defaults()
            .withUnet(UNetOptions.defaults().withLookaheadMs(20).withProbabilityThreshold(0.5));
    assertEquals(all, OfflineDetection.run(new UNetDetector(explicit, higher), TRACE));
  }

  @Test
  void thresholdOptionTakesANumberOrModel() {
    assertTrue(Double.isNaN(UNetOptions.parseProbabilityThreshold("model")));
    assertEquals(0.7, UNetOptions.parseProbabilityThreshold(" 0.7 "));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UNetOptions.defaults().withProbabilityThreshold(1.5));
    assertTrue(e.getMessage().contains("(0, 1) or 'model'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> UNetOptions.parseProbabilityThreshold("high"));
  }

  /** Threshold 0.5 and 2-sample shadowing over averaged probabilities: the expected spikes. */
  static List<Spike> shadowed(double[] avg) {
    PeakPicker p = new PeakPicker(2);
    List<Spike> out = new ArrayList<>();
    for (double v : avg) {
      p.push(v, 0.5, (s, val) -> out.add(new Spike(s, val)));
    }
    p.flush((s, val) -> out.add(new Spike(s, val)));
    return out;
  }

  /** Window position i adds (i+1)/128 to sample u: to the interior or to the edge sums. */
  static void add(int i, int u, int w, int edge, double[] si, int[] ci, double[] se, int[] ce) {
    double p = (i + 1) / 128.0;
    if (i >= edge && i < w - edge) {
      si[u] += p;
      ci[u]++;
    } else {
      se[u] += p;
      ce[u]++;
    }
  }

  /**
   * Window starts as documented: the first at sample 0, then every stride on the grid where a
   * window completes (with the feature delay) on a sample whose index + 1 is a multiple of the
   * stride.
   */
  static List<Integer> windowStarts(int n, int w, int stride, int delay) {
    List<Integer> starts = new ArrayList<>();
    for (int s = 0; s + w <= n; s++) {
      if (s == 0 || (s + w + delay) % stride == 0) {
        starts.add(s);
      }
    }
    return starts;
  }

  /** Brute force of the documented averaging rule, for a position-dependent model. */
  static double[] referenceAverage(
      int n, int w, int stride, int delay, int edge, int lw, int finalizeLag) {
    double[] si = new double[n];
    double[] se = new double[n];
    int[] ci = new int[n];
    int[] ce = new int[n];
    int lastEnd = -1;
    int nextAfterLast = 0;
    List<Integer> starts = windowStarts(n + stride, w, stride, delay);
    for (int k = 0; k < starts.size() && starts.get(k) + w <= n; k++) {
      int s = starts.get(k);
      nextAfterLast = starts.get(k + 1);
      int e = s + w - 1;
      for (int i = 0; i < w; i++) {
        int u = s + i;
        if (e > u + lw) {
          continue;
        }
        add(i, u, w, edge, si, ci, se, ce);
      }
      lastEnd = e;
    }
    if (lastEnd < n - 1) { // tail window, only for samples not yet decided
      int s = Math.max(0, n - w);
      int firstOpen = lastEnd < 0 ? 0 : nextAfterLast + w - 1 - finalizeLag;
      for (int i = 0; i < w && s + i < n; i++) {
        int u = s + i;
        if (u < firstOpen) {
          continue;
        }
        add(i, u, w, edge, si, ci, se, ce);
      }
    }
    double[] avg = new double[n];
    for (int u = 0; u < n; u++) {
      avg[u] = ci[u] > 0 ? si[u] / ci[u] : ce[u] > 0 ? se[u] / ce[u] : 0;
    }
    return avg;
  }

  @ParameterizedTest
  @ValueSource(doubles = {20, 30, 50, Double.POSITIVE_INFINITY})
  void boundedLookaheadAveragingMatchesTheRule(double lookaheadMs) {
    WindowModel positional = FakeModels.of((t, z) -> (t + 1) / 128f);
    UNetDetector d = new UNetDetector(opts(lookaheadMs), positional);
    int n = 1234;
    float[] trace = java.util.Arrays.copyOf(TRACE, n);
    // threshold 0.5 with dead time 2: spikes are the local maxima of the average above 0.5
    List<Spike> got = OfflineDetection.run(d, trace);
    int delay = FeatureConfig.defaults().delaySamples();
    int lw = Double.isInfinite(lookaheadMs) ? 99 : Math.min(99, (int) lookaheadMs - delay - 2);
    double[] avg = referenceAverage(n, 100, 10, delay, 10, lw, Math.min(99, lw));
    List<Spike> expected = shadowed(avg);
    assertEquals(expected.size(), got.size(), "lookahead " + lookaheadMs);
    for (int i = 0; i < got.size(); i++) {
      assertEquals(expected.get(i).sample(), got.get(i).sample());
      assertEquals(expected.get(i).score(), got.get(i).score(), 1e-6);
    }
    assertEquals(
        Double.isInfinite(lookaheadMs) ? delay + 99 + 2 : (int) lookaheadMs,
        d.decisionLatencySamples());
  }

  @Test
  void chunkedBatchedAndRestoredRunsGiveTheSameSpikes() {
    WindowModel m = FakeModels.identity();
    List<Spike> whole = OfflineDetection.run(new UNetDetector(opts(20), m), TRACE);
    List<Spike> ones = OfflineDetection.run(new UNetDetector(opts(20), m), TRACE, 1);
    List<Spike> odd = OfflineDetection.run(new UNetDetector(opts(20), m), TRACE, 37);
    assertEquals(whole, ones);
    assertEquals(whole, odd);

    assertEquals(whole, streamWay(opts(20), m, TRACE, 1000));
  }

  /**
   * The stream's way: 10-sample chunks cut, their windows batched elsewhere and applied, the
   * detector snapshotted into a fresh one every {@code restoreEvery} samples.
   */
  static List<Spike> streamWay(DetectorOptions o, WindowModel m, float[] trace, int restoreEvery) {
    return streamWay(o, m, trace, restoreEvery, trace.length, trace.length);
  }

  /**
   * The same, with samples {@code gapFrom} to {@code gapTo} not sent: the detector is told of the
   * gap with {@code pushGap}, as the stream does when a chunk's first sample jumps ahead.
   */
  static List<Spike> streamWay(
      DetectorOptions o, WindowModel m, float[] trace, int restoreEvery, int gapFrom, int gapTo) {
    List<Spike> got = new ArrayList<>();
    SpikeSink sink = (s, v) -> got.add(new Spike(s, v));
    UNetDetector d = new UNetDetector(o, m);
    int size = m.channels() * m.windowSamples();
    float[] in = new float[128 * size];
    float[] out = new float[128 * m.windowSamples()];
    for (int off = 0; off < trace.length; off += 10) {
      if (off >= gapFrom && off < gapTo) {
        if (off == gapFrom) {
          d.pushGap(gapTo - gapFrom, sink);
        }
        continue;
      }
      d.cut(trace, off, Math.min(10, trace.length - off), sink);
      int n = d.pendingWindows();
      if (n > 0) { // (ONNX Runtime refuses an empty batch)
        for (int i = 0; i < n; i++) {
          d.copyPending(i, in, i * size);
        }
        m.predict(in, n, out);
        d.applyPending(out, 0, sink);
      }
      if (off % restoreEvery == 0) {
        UNetDetector fresh = new UNetDetector(o, m);
        fresh.restore(d.snapshot());
        d = fresh;
      }
    }
    d.flush(sink);
    return got;
  }

  @Test
  void windowsAfterTheFirstCompleteOnTheLastSampleOfAStrideChunk() {
    // feature delay 4, window 100, stride 10: the first window starts at 0 and is complete on
    // sample 103; the next starts at 6 and is complete on sample 109, the end of the 11th chunk
    int delay = FeatureConfig.defaults().delaySamples();
    List<Integer> starts = windowStarts(400, 100, 10, delay);
    assertEquals(List.of(0, 6, 16, 26), starts.subList(0, 4));
    for (int s : starts.subList(1, starts.size())) {
      assertEquals(9, (s + 100 - 1 + delay) % 10);
    }
    // the detector cuts exactly there: after the chunk ending on sample 109, two windows are ready
    UNetDetector d = new UNetDetector(opts(20), FakeModels.identity());
    d.cut(TRACE, 0, 100, (s, v) -> {});
    assertEquals(0, d.pendingWindows());
    d.cut(TRACE, 100, 10, (s, v) -> {});
    assertEquals(2, d.pendingWindows());
    d.cut(TRACE, 110, 9, (s, v) -> {});
    assertEquals(2, d.pendingWindows());
    d.cut(TRACE, 119, 1, (s, v) -> {});
    assertEquals(3, d.pendingWindows());
  }

  @Test
  void stateFitsTheBudget() {
    UNetDetector d = new UNetDetector(opts(20), FakeModels.identity());
    d.push(TRACE, 0, 5000, (s, v) -> {});
    int bytes = d.snapshot().length;
    assertTrue(bytes <= 16 * 1024, "state " + bytes + " bytes");
  }

  @Test
  void tooShortLookaheadNamesTheMinimum() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UNetDetector(opts(10), FakeModels.identity()));
    assertTrue(e.getMessage().contains("at least 15.0 ms"), e.getMessage());
  }

  @Test
  void traceShorterThanAWindowStillGetsDecisions() {
    float[] shortTrace = java.util.Arrays.copyOf(TRACE, 60);
    shortTrace[30] += 40;
    List<Spike> s =
        OfflineDetection.run(new UNetDetector(opts(20), FakeModels.identity()), shortTrace);
    assertTrue(s.stream().anyMatch(x -> x.sample() == 30), s.toString());
  }

  @Test
  void modelForOtherFeaturesIsRefused() {
    DetectorOptions other = opts(20).withSampleRate(2000);
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> new UNetDetector(other, FakeModels.identity()));
    assertTrue(e.getMessage().contains("feature hash"), e.getMessage());
  }

  @Test
  void aSixChannelModelReadsTheWhitenedNormalizedChannel() {
    // the model records channel 5 of every window: it must be the whole trace's normalized
    // channel whitened by a fresh AR(8) whitener, sample for sample
    List<float[]> seen = new ArrayList<>();
    WindowModel m =
        FakeModels.recording((t, z) -> 0f, 0.5, 6, 5, FeatureConfig.defaults().hash(true), seen);
    UNetDetector d = new UNetDetector(opts(20), m);
    List<Long> starts = new ArrayList<>();
    // the window starts: the detector's own grid (feature delay, stride 10)
    int delay = FeatureConfig.defaults().delaySamples();
    for (int s : windowStarts(TRACE.length, 100, 10, delay)) {
      starts.add((long) s);
    }
    d.push(TRACE, 0, TRACE.length, (s, v) -> {});
    Features f = Features.of(FeatureConfig.defaults(), TRACE);
    float[] expected = WhitenedEvidence.whitenedChannel(f.channels()[0], f.imputed(), 1000);
    assertTrue(seen.size() >= 40, "windows " + seen.size());
    // 1 kHz, 5 s: the whitener has refitted four times, so the channel is not the input any more
    assertTrue(
        java.util.stream.IntStream.range(2000, 3000)
            .anyMatch(i -> Math.abs(expected[i] - f.channels()[0][i]) > 0.1f));
    for (int k = 0; k < 40; k++) {
      int s0 = starts.get(k).intValue();
      assertEquals(
          java.util.Arrays.toString(java.util.Arrays.copyOfRange(expected, s0, s0 + 100)),
          java.util.Arrays.toString(seen.get(k)),
          "window " + k + " at " + s0);
    }
  }

  @Test
  void aWhitenedModelGivesTheSameSpikesChunkedAndRestored() {
    WindowModel m = FakeModels.whitened();
    List<Spike> whole = OfflineDetection.run(new UNetDetector(opts(20), m), TRACE);
    assertTrue(whole.size() >= 5, "spikes " + whole.size());
    assertEquals(whole, OfflineDetection.run(new UNetDetector(opts(20), m), TRACE, 37));
    UNetDetector d = new UNetDetector(opts(20), m);
    List<Spike> got = new ArrayList<>();
    SpikeSink sink = (s, v) -> got.add(new Spike(s, v));
    for (int off = 0; off < TRACE.length; off += 250) {
      d.push(TRACE, off, Math.min(250, TRACE.length - off), sink);
      UNetDetector fresh = new UNetDetector(opts(20), m);
      fresh.restore(d.snapshot());
      d = fresh;
    }
    d.flush(sink);
    assertEquals(whole, got);
  }

  @Test
  void aModelsChannelsMustMatchItsFeatureHash() {
    // a five-channel model claiming the whitened hash, and a six-channel one without it
    WindowModel five = FakeModels.of((t, z) -> 0f, 0.5, 5, 0, FeatureConfig.defaults().hash(true));
    WindowModel six = FakeModels.of((t, z) -> 0f, 0.5, 6, 5, FeatureConfig.defaults().hash());
    WindowModel seven = FakeModels.of((t, z) -> 0f, 0.5, 7, 5, FeatureConfig.defaults().hash());
    for (WindowModel m : List.of(five, six)) {
      var e = assertThrows(IllegalArgumentException.class, () -> new UNetDetector(opts(20), m));
      assertTrue(e.getMessage().contains("feature hash"), e.getMessage());
    }
    var e = assertThrows(IllegalArgumentException.class, () -> new UNetDetector(opts(20), seven));
    assertTrue(e.getMessage().contains("5 (the features) or 6"), e.getMessage());
    // a state without a whitener cannot feed a whitened model
    UNetDetector plain =
        new UNetDetector(
            DetectorOptions.defaults()
                .withUnet(
                    UNetOptions.defaults()
                        .withLookaheadMs(20)
                        .withMinHeightSd(0)
                        .withMinEvidenceSd(0)),
            FakeModels.identity());
    plain.push(TRACE, 0, 1000, (s, v) -> {});
    UNetDetector w = new UNetDetector(opts(20), FakeModels.whitened());
    assertThrows(io.voltspike.io.StateFormatException.class, () -> w.restore(plain.snapshot()));
  }

  /** A network fooled by noise alike either way up: graded in the normalized value above 2. */
  static WindowModel foolable() {
    return FakeModels.of((t, z) -> (float) (1 / (1 + Math.exp(-3 * (z - 2.5)))), 0.5);
  }

  static DetectorOptions at(OperatingPoint p) {
    return opts(20).withOperatingPoint(p);
  }

  @Test
  void anOperatingPointRaisesTheBarWhereTheNeuronsOwnNoiseWouldPassAndNeverLowersIt() {
    float[] noise = MatchedDetectorTest.spikeFree(120_000, false, 44);
    UNetDetector fixed = new UNetDetector(at(OperatingPoint.FIXED), foolable());
    long fixedLate = late(OfflineDetection.run(fixed, noise));
    double previous = Double.POSITIVE_INFINITY;
    for (OperatingPoint p :
        new OperatingPoint[] {
          OperatingPoint.CLOSED_LOOP, OperatingPoint.BALANCED, OperatingPoint.ANALYSIS
        }) {
      UNetDetector d = new UNetDetector(at(p), foolable());
      double perS = late(OfflineDetection.run(d, noise)) / 100.0;
      assertTrue(
          perS <= 3 * p.falsePositivesPerS(),
          p + ": " + perS + " false positives per second; fixed " + fixedLate / 100.0);
      assertTrue(d.probabilityThreshold() > 0.5, p + ": " + d.probabilityThreshold());
      assertTrue(d.probabilityThreshold() < previous, p + " after " + previous);
      previous = d.probabilityThreshold();
    }
    assertTrue(fixedLate / 100.0 > 3, "the fooled network alone: " + fixedLate / 100.0);
    assertEquals(0.5, fixed.probabilityThreshold());
    // on a quiet neuron the flipped windows pass nothing: the bar stays the threshold, and every
    // clear spike is found as at fixed
    SyntheticTraces st = SyntheticTraces.make(30_000, 8, 1, 6);
    WindowModel clear = FakeModels.of((t, z) -> z > 5 ? 0.9f : 0f, 0.5);
    UNetDetector quiet = new UNetDetector(at(OperatingPoint.CLOSED_LOOP), clear);
    List<Spike> found = OfflineDetection.run(quiet, st.trace);
    assertEquals(0.5, quiet.probabilityThreshold(), 1e-9);
    assertEquals(
        OfflineDetection.run(new UNetDetector(at(OperatingPoint.FIXED), clear), st.trace), found);
    assertTrue(found.size() >= st.spikes.length - 2, found.size() + " of " + st.spikes.length);
  }

  /** Spikes after the calibration's warm-up. */
  private static long late(List<Spike> spikes) {
    return spikes.stream().filter(s -> s.sample() >= 20_000).count();
  }

  @ParameterizedTest(name = "height floor {0}")
  @ValueSource(doubles = {0, 3})
  void aCalibratedDetectorGivesTheSameSpikesChunkedBatchedAndRestored(double floorSd) {
    // with the floor on, only windows where a flipped candidate could pass it go flipped
    float[] noise = MatchedDetectorTest.spikeFree(40_000, true, 45);
    WindowModel m = foolable();
    DetectorOptions o = at(OperatingPoint.BALANCED);
    o = o.withUnet(o.unet().withMinHeightSd(floorSd));
    List<Spike> whole = OfflineDetection.run(new UNetDetector(o, m), noise);
    assertTrue(whole.size() > 10, "spikes " + whole.size());
    assertEquals(whole, OfflineDetection.run(new UNetDetector(o, m), noise, 37));
    assertEquals(whole, streamWay(o, m, noise, 1230));
    // batch_size 1 still infers a window with its flipped copy
    DetectorOptions one = o.withUnet(o.unet().withBatchSize(1));
    assertEquals(whole, OfflineDetection.run(new UNetDetector(one, m), noise, 37));
  }

  @Test
  void aStateWithoutCalibrationContinuesUncalibratedAndTheOtherWayIsRefused() {
    float[] noise = MatchedDetectorTest.spikeFree(30_000, true, 46);
    WindowModel m = foolable();
    UNetDetector fixed = new UNetDetector(at(OperatingPoint.FIXED), m);
    List<Spike> expected =
        OfflineDetection.run(new UNetDetector(at(OperatingPoint.FIXED), m), noise);
    List<Spike> got = new ArrayList<>();
    SpikeSink sink = (s, v) -> got.add(new Spike(s, v));
    fixed.push(noise, 0, 15_000, sink);
    UNetDetector upgraded = new UNetDetector(at(OperatingPoint.CLOSED_LOOP), m);
    upgraded.restore(fixed.snapshot());
    upgraded.push(noise, 15_000, 15_000, sink);
    upgraded.flush(sink);
    assertEquals(expected, got, "a session started at fixed ends at fixed");
    UNetDetector calibrated = new UNetDetector(at(OperatingPoint.CLOSED_LOOP), m);
    calibrated.push(noise, 0, 5_000, (s, v) -> {});
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UNetDetector(at(OperatingPoint.FIXED), m).restore(calibrated.snapshot()));
    assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
  }

  /**
   * Narrow 10-sigma spikes, and between them 60 ms bursts of a 40 Hz oscillation of 8 sigma
   * (troughs as deep as the crests, 12.5 ms apart), on unit noise; {@code truth} gets the spikes.
   */
  static float[] spikesAndGammaBursts(int n, long seed, List<Integer> truth) {
    java.util.Random r = new java.util.Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (500 + r.nextGaussian());
    }
    for (int s = 300; s < n - 300; s += 400 + r.nextInt(200)) {
      x[s - 1] += 5f;
      x[s] += 10f;
      x[s + 1] += 6f;
      truth.add(s);
      int b = s + 150; // a burst 150 ms after each spike, ending well before the next one
      for (int k = 0; k < 60; k++) {
        double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * k / 59.0);
        x[b + k] += (float) (8 * hann * Math.sin(2 * Math.PI * 40 * k / 1000.0));
      }
    }
    return x;
  }

  @Test
  void theOscillationVetoDropsBroadCrestsAfterTroughsAndKeepsNarrowSpikes() {
    List<Integer> truth = new ArrayList<>();
    float[] x = spikesAndGammaBursts(60_000, 31, truth);
    int[] t = truth.stream().mapToInt(Integer::intValue).toArray();
    // a network that takes every sample more than a sigma above the baseline for a spike, the
    // more confidently the higher it is
    WindowModel overconfident = FakeModels.of((i, z) -> (float) Math.min(1, z / 10), 0.1);
    DetectorOptions vetoed =
        DetectorOptions.defaults()
            .withOperatingPoint(OperatingPoint.FIXED)
            .withUnet(UNetOptions.defaults().withLookaheadMs(20));
    assertEquals(
        UNetOptions.DEFAULT_OSCILLATION_TROUGH_RATIO, vetoed.unet().oscillationTroughRatio());
    DetectorOptions off = vetoed.withUnet(vetoed.unet().withOscillationTroughRatio(0));
    var with =
        io.voltspike.eval.Matcher.counts(
            t,
            OfflineDetection.samples(
                OfflineDetection.run(new UNetDetector(vetoed, overconfident), x)),
            2,
            x.length,
            x.length / 1000.0);
    var without =
        io.voltspike.eval.Matcher.counts(
            t,
            OfflineDetection.samples(OfflineDetection.run(new UNetDetector(off, overconfident), x)),
            2,
            x.length,
            x.length / 1000.0);
    // without the veto a burst's crests pass the height floor; with it almost none does
    assertTrue(without.fp() > truth.size(), "crests without the veto: " + without);
    // (a crest on the burst's rising envelope, after a smaller trough, is not vetoed)
    assertTrue(with.fp() * 2 <= without.fp(), "with " + with + ", without " + without);
    // and every spike stays: narrow, with no trough of its size before it
    assertEquals(without.tp(), with.tp(), "with " + with + ", without " + without);
    assertTrue(with.tp() >= truth.size() - 1, with + " of " + truth.size());
  }

  @ParameterizedTest(name = "stride {0} ms, lookahead {1} ms")
  @org.junit.jupiter.params.provider.CsvSource({"10, 20", "25, 30", "10, 100"})
  void theOscillationVetoGivesTheSameSpikesChunkedBatchedAndRestored(
      double strideMs, double lookaheadMs) {
    // the veto looks back 25 ms into decided samples and ahead only as far as every chunking
    // guarantees (5 samples at stride 10 / lookahead 20, none at stride 25 / lookahead 30)
    List<Integer> truth = new ArrayList<>();
    float[] x = spikesAndGammaBursts(20_000, 32, truth);
    WindowModel m = FakeModels.of((i, z) -> z > 1 ? 1f : 0f);
    DetectorOptions fixed = at(OperatingPoint.FIXED);
    UNetOptions u = UNetOptions.defaults().withStrideMs(strideMs).withLookaheadMs(lookaheadMs);
    DetectorOptions o = fixed.withUnet(u);
    List<Spike> whole = OfflineDetection.run(new UNetDetector(o, m), x);
    List<Spike> unvetoed =
        OfflineDetection.run(new UNetDetector(o.withUnet(u.withOscillationTroughRatio(0)), m), x);
    assertTrue(whole.size() < unvetoed.size(), whole.size() + " vs " + unvetoed.size());
    assertEquals(whole, OfflineDetection.run(new UNetDetector(o, m), x, 1), "chunks of 1");
    assertEquals(whole, OfflineDetection.run(new UNetDetector(o, m), x, 37), "chunks of 37");
    // restored after every chunk: the look-back into decided samples travels in the state
    assertEquals(whole, streamWay(o, m, x, 10), "restored");
  }

  @Test
  void aNegativeOscillationTroughRatioIsRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> UNetOptions.defaults().withOscillationTroughRatio(-0.1));
    assertTrue(e.getMessage().contains("oscillation_trough_ratio"), e.getMessage());
  }

  /**
   * A window kept back because only its last samples could still pass the height floor (their
   * evidence comes later) must still count for them when the recording ends or a gap starts there:
   * a spike that passes by its whitened evidence alone (on a wave, as above), in the last few
   * samples before the end or a gap, at every phase of the stride, is the one every window run
   * gives.
   */
  @Test
  void aWindowKeptBackForItsLastSamplesCountsWhenTheEndOrAGapComes() {
    // graded in the normalized value and in the position in the window, so that every window's
    // share of a sample's average shows
    WindowModel graded =
        FakeModels.of((t, z) -> (float) (Math.min(1, Math.max(0, z / 6)) * (0.6 + t / 250.0)));
    DetectorOptions o =
        DetectorOptions.defaults()
            .withOperatingPoint(OperatingPoint.FIXED)
            .withUnet(UNetOptions.defaults().withLookaheadMs(20).withOscillationTroughRatio(0));
    float[] base = noisyWave(4_000);
    int checked = 0;
    for (int p = 3_000; p < 3_010; p++) { // every phase of the 10-sample stride
      float[] x = base.clone();
      x[p - 1] += 3.5f; // 7 sigma on the wave: below the height floor, above the evidence's
      x[p] += 7f;
      x[p + 1] += 4.2f;
      for (int k = 1; k <= 8; k++) { // the recording ends, or a gap starts, k samples after it
        int cut = p + k;
        for (boolean gap : new boolean[] {false, true}) {
          UNetDetector every = new UNetDetector(o, graded);
          every.skipIdleWindows = false;
          List<Spike> expected = endOrGap(every, x, cut, gap);
          UNetDetector skipping = new UNetDetector(o, graded);
          List<Spike> got = endOrGap(skipping, x, cut, gap);
          assertEquals(
              expected, got, "spike at " + p + ", " + (gap ? "gap" : "end") + " at " + cut);
          assertTrue(skipping.windowsSkipped() > 0);
          int at = p;
          checked += expected.stream().anyMatch(sp -> Math.abs(sp.sample() - at) <= 2) ? 1 : 0;
        }
      }
    }
    assertTrue(checked >= 80, checked + " of 160 cases with the spike found");
  }

  /**
   * At an operating point a window whose first samples the calibration may read (a flipped
   * candidate could stand near them, its evidence not yet known) is kept back with them: they are
   * decided once it is known whether it runs, so their candidate flags are those of every window
   * run, at every phase of the stride.
   */
  @Test
  void atAnOperatingPointAKeptBackWindowHoldsTheSamplesItDecidesFirst() {
    // graded in the positive value and in the position in the window: the real window reads a
    // bump, the flipped one a dip
    WindowModel graded =
        FakeModels.of(
            (t, z) -> (float) (Math.min(1, Math.max(0, z) / 4) * (t >= 90 ? 1 : 0.6)), 0.5);
    DetectorOptions o =
        DetectorOptions.defaults()
            .withOperatingPoint(OperatingPoint.BALANCED)
            .withUnet(UNetOptions.defaults().withLookaheadMs(20).withOscillationTroughRatio(0));
    float[] x = noisyWave(20_000);
    for (int k = 0; k < 60; k++) { // dips at every phase of the stride
      int p = 1_000 + k * 311;
      x[p - 1] -= 3.5f;
      x[p] -= 7f;
      x[p + 1] -= 4.2f;
      x[p - 5 - k % 2] += 4f; // a bump within the exclusion: a candidate only with every window
    }
    UNetDetector every = new UNetDetector(o, graded);
    every.skipIdleWindows = false;
    List<Spike> expected = OfflineDetection.run(every, x);
    UNetDetector skipping = new UNetDetector(o, graded);
    assertEquals(expected, OfflineDetection.run(skipping, x));
    assertEquals(every.calibrationState(), skipping.calibrationState());
    assertTrue(skipping.windowsSkipped() > 0, skipping.windowsSkipped() + " windows not run");
    assertEquals(expected, streamWay(o, graded, x, 10), "restored");
  }

  /** Unit noise on a 20 Hz wave of 6 at 1 kHz (seed 12): a spike of 7 there is below the floor. */
  static float[] noisyWave(int length) {
    java.util.Random r = new java.util.Random(12);
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) (500 + r.nextGaussian() + 6 * Math.sin(2 * Math.PI * 20 * i / 1000.0));
    }
    return x;
  }

  /** x up to {@code cut}, then either the end, or a 2 s gap and x again from the start. */
  static List<Spike> endOrGap(UNetDetector d, float[] x, int cut, boolean gap) {
    List<Spike> got = new ArrayList<>();
    SpikeSink sink = (s, v) -> got.add(new Spike(s, v));
    d.push(x, 0, cut, sink);
    if (gap) {
      d.pushGap(2_000, sink);
      d.push(x, 0, 500, sink);
    }
    d.flush(sink);
    return got;
  }
}
