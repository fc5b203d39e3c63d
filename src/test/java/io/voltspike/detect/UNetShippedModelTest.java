package io.voltspike.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.eval.Counts;
import io.voltspike.eval.Matcher;
import io.voltspike.io.Recording;
import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.model.SharedModels;
import io.voltspike.signal.FeatureConfig;
import io.voltspike.sim.Family;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.TraceParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped ONNX model through the real detector. */
class UNetShippedModelTest {
  /** This class's own model sessions and detector registry, closed after its tests. */
  static final SharedModels MODELS = new SharedModels();

  static final Detectors DETECTORS = new Detectors(MODELS);

  @org.junit.jupiter.api.AfterAll
  static void closeModels() {
    MODELS.close();
  }

  static OnnxSpikeModel model() {
    return MODELS.get(
        UNetOptions.DEFAULT_MODEL, ExecutionProvider.CPU, FeatureConfig.defaults().hash(true));
  }

  static Recording trace(double snr, int polarity, long seed) {
    return NeuronSimulator.simulate(
        "t", TraceParams.of(Family.REGULAR, snr, polarity, 30, 1000), seed);
  }

  @Test
  void detectsSimulatedSpikesWell() {
    for (int polarity : new int[] {1, -1}) {
      Recording r = trace(9, polarity, 101 + polarity);
      DetectorOptions o =
          DetectorOptions.defaults().withPeakSign(polarity > 0 ? PeakSign.POS : PeakSign.NEG);
      List<Spike> s = OfflineDetection.run(new UNetDetector(o, model()), r.voltage());
      Counts c =
          Matcher.counts(r.truth(), OfflineDetection.samples(s), 2, r.length(), r.durationS());
      assertTrue(c.f1() > 0.85, "polarity " + polarity + ": " + c);
      assertTrue(s.stream().allMatch(x -> x.score() >= 0.5 && x.score() <= 1.0));
    }
  }

  @Test
  void batchSizeDoesNotChangeSpikes() {
    Recording r = trace(4, 1, 202);
    // a low threshold keeps many borderline spikes, where numerical differences would show
    DetectorOptions o =
        DetectorOptions.defaults()
            .withUnet(
                UNetOptions.defaults()
                    .withProbabilityThreshold(0.25)
                    .withMinHeightSd(0)); // net only
    List<Spike> batched = OfflineDetection.run(new UNetDetector(o, model()), r.voltage());
    // one window per ONNX Runtime call, as a lightly loaded stream would run
    List<Spike> single = new ArrayList<>();
    SpikeSink sink = (s, p) -> single.add(new Spike(s, p));
    UNetDetector d = new UNetDetector(o, model());
    float[] in = new float[model().channels() * 100];
    float[] out = new float[100];
    float[] v = r.voltage();
    for (int off = 0; off < v.length; off += 10) {
      d.cut(v, off, Math.min(10, v.length - off), sink);
      while (d.pendingWindows() > 0) {
        d.copyPending(0, in, 0);
        model().predict(in, 1, out);
        // apply just the first pending window
        float[] one = new float[100 * d.pendingWindows()];
        System.arraycopy(out, 0, one, 0, 100);
        if (d.pendingWindows() == 1) {
          d.applyPending(one, 0, sink);
        } else {
          d.runPending(sink);
        }
      }
    }
    d.flush(sink);
    assertTrue(batched.size() > 50, batched.size() + " spikes");
    assertEquals(batched.size(), single.size());
    for (int i = 0; i < batched.size(); i++) {
      assertEquals(batched.get(i).sample(), single.get(i).sample());
      assertEquals(batched.get(i).score(), single.get(i).score(), 1e-5);
    }
  }

  @Test
  void everyShippedModelAndEveryModelAConfigNamesLoadsAndDetects() throws Exception {
    java.util.Set<java.nio.file.Path> models = new java.util.TreeSet<>();
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("models"))) {
      files.filter(f -> f.toString().endsWith(".onnx")).forEach(models::add);
    }
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("config"))) {
      for (var f : files.filter(x -> x.toString().endsWith(".properties")).toList()) {
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(f)) {
          p.load(in);
        }
        String m = p.getProperty("model");
        if (m != null) {
          assertTrue(java.nio.file.Files.isRegularFile(java.nio.file.Path.of(m)), f + ": " + m);
          models.add(java.nio.file.Path.of(m));
        }
      }
    }
    assertTrue(models.size() >= 2, "" + models);
    Recording r = trace(9, 1, 303);
    for (var m : models) {
      // every shipped model reads the five features, or them and the whitened channel
      OnnxSpikeModel model = MODELS.get(m, ExecutionProvider.CPU);
      String hash = model.featureHash();
      assertTrue(
          hash.equals(FeatureConfig.defaults().hash())
              || hash.equals(FeatureConfig.defaults().hash(true)),
          m + ": feature hash " + hash);
      double t = model.probabilityThreshold();
      assertTrue(t > 0.05 && t < 0.975, m + ": threshold " + t);
      List<Spike> s =
          OfflineDetection.run(new UNetDetector(DetectorOptions.defaults(), model), r.voltage());
      Counts c =
          Matcher.counts(r.truth(), OfflineDetection.samples(s), 2, r.length(), r.durationS());
      assertTrue(c.f1() > 0.85, m + ": " + c);
      assertTrue(s.stream().allMatch(x -> x.score() > t), m + ": a spike below the threshold");
    }
  }

  /**
   * The detector does not run the network on windows whose decisions could not change (no sample
   * they reach can pass the height floor, nor, at an operating point, a sample near them the
   * flipped floor): the spikes, scores included, and the calibrated threshold are the ones with
   * every window run, fed whole, in chunks, batched the stream's way and restored after every
   * chunk, across an imputed stretch and a gap, at the default and the capacity profile's stride
   * and lookahead.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}, stride {1} ms, lookahead {2} ms")
  @org.junit.jupiter.params.provider.CsvSource({
    "FIXED, 10, 20",
    "FIXED, 25, 30",
    "FIXED, 10, 100",
    "FIXED, 5, 15",
    "BALANCED, 10, 20",
    "BALANCED, 25, 30",
    "CLOSED_LOOP, 10, 100",
    "ANALYSIS, 5, 15"
  })
  void windowsThatCannotChangeADecisionAreNotRunAndTheSpikesAreTheSame(
      OperatingPoint point, double strideMs, double lookaheadMs) {
    Recording r =
        NeuronSimulator.simulate("t", TraceParams.of(Family.SUBTHRESHOLD, 6, 1, 30, 1000), 405);
    float[] x = r.voltage().clone();
    java.util.Arrays.fill(x, 7_000, 7_040, Float.NaN); // imputed
    DetectorOptions o =
        DetectorOptions.defaults()
            .withOperatingPoint(point)
            .withUnet(UNetOptions.defaults().withStrideMs(strideMs).withLookaheadMs(lookaheadMs));
    UNetDetector every = new UNetDetector(o, model());
    every.skipIdleWindows = false;
    List<Spike> expected = withGap(every, x, x.length);
    assertEquals(0, every.windowsSkipped());
    assertTrue(expected.size() > 50, expected.size() + " spikes");

    UNetDetector whole = new UNetDetector(o, model());
    assertEquals(expected, withGap(whole, x, x.length), "whole");
    assertEquals(every.windowsCut(), whole.windowsCut());
    assertEquals(every.probabilityThreshold(), whole.probabilityThreshold(), "calibrated");
    // what the calibration counted: every flipped candidate and every exclusion around a real one
    assertEquals(every.calibrationState(), whole.calibrationState(), "calibration");
    if (point == OperatingPoint.FIXED || strideMs >= 10) {
      // (at an operating point a kept-back window needs its neighbours' evidence a stride later)
      assertTrue(
          whole.windowsSkipped() * 3 > whole.windowsCut(),
          whole.windowsSkipped() + " of " + whole.windowsCut() + " windows not run");
    }
    UNetDetector ones = new UNetDetector(o, model());
    assertEquals(expected, withGap(ones, x, 1), "chunks of 1");
    assertEquals(every.calibrationState(), ones.calibrationState(), "calibration, chunks");
    assertEquals(expected, withGap(new UNetDetector(o, model()), x, 37), "chunks of 37");
    assertEquals(
        expected, UNetDetectorTest.streamWay(o, model(), x, 10, GAP_FROM, GAP_TO), "restored");
  }

  /** Samples GAP_FROM to GAP_TO are not sent: the detector is told of a gap there. */
  static final int GAP_FROM = 15_000;

  static final int GAP_TO = 16_500; // longer than the features' maxGapMs (1 s): a new segment

  /** Feeds x in chunks, the samples of the gap left out and announced with pushGap. */
  static List<Spike> withGap(UNetDetector d, float[] x, int chunk) {
    List<Spike> got = new ArrayList<>();
    SpikeSink sink = (s, p) -> got.add(new Spike(s, p));
    for (int off = 0; off < x.length; ) {
      if (off == GAP_FROM) {
        d.pushGap(GAP_TO - GAP_FROM, sink);
        off = GAP_TO;
        continue;
      }
      int end = Math.min(x.length, off < GAP_FROM ? Math.min(GAP_FROM, off + chunk) : off + chunk);
      d.push(x, off, end - off, sink);
      off = end;
    }
    d.flush(sink);
    return got;
  }
}
