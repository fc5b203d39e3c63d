package io.voltspike.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.eval.Counts;
import io.voltspike.eval.Matcher;
import io.voltspike.io.Recording;
import io.voltspike.model.SharedModels;
import io.voltspike.sim.Family;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.TraceParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The U-Net at recording rates other than its model's, through the real shipped model. */
class ResamplingDetectorTest {
  /** This class's own model sessions and detector registry, closed after its tests. */
  static final SharedModels MODELS = new SharedModels();

  static final Detectors DETECTORS = new Detectors(MODELS);

  @org.junit.jupiter.api.AfterAll
  static void closeModels() {
    MODELS.close();
  }

  static Recording trace(double rateHz, int polarity, long seed) {
    return NeuronSimulator.simulate(
        "t", TraceParams.of(Family.REGULAR, 9, polarity, 20, rateHz), seed);
  }

  static DetectorOptions options(double rateHz, int polarity) {
    return DetectorOptions.defaults()
        .withPeakSign(polarity > 0 ? PeakSign.POS : PeakSign.NEG)
        .withSampleRate(rateHz);
  }

  @Test
  void detectsSpikesOnTheRecordingsOwnGrid() {
    for (double rate : new double[] {500, 2000}) {
      for (int polarity : new int[] {1, -1}) {
        Recording r = trace(rate, polarity, 41 + polarity);
        SpikeDetector d = DETECTORS.create("unet", options(rate, polarity));
        assertInstanceOf(ResamplingDetector.class, d);
        List<Spike> s = OfflineDetection.run(d, r.voltage());
        // +-2 ms, in the recording's own samples
        int tol = (int) Math.round(2 * rate / 1000);
        Counts c =
            Matcher.counts(r.truth(), OfflineDetection.samples(s), tol, r.length(), r.durationS());
        assertTrue(c.f1() > 0.8, rate + " Hz, polarity " + polarity + ": " + c);
        assertTrue(s.stream().allMatch(x -> x.sample() >= 0 && x.sample() < r.length()));
        for (int i = 1; i < s.size(); i++) {
          assertTrue(s.get(i).sample() > s.get(i - 1).sample(), "increasing, once each");
        }
      }
    }
  }

  @Test
  void chunksGapsAndRestoresGiveTheWholeTracesSpikes() {
    for (double rate : new double[] {300, 500, 2000}) {
      Recording r = trace(rate, 1, 7);
      float[] v = r.voltage();
      List<Spike> whole = OfflineDetection.run(DETECTORS.create("unet", options(rate, 1)), v);
      assertTrue(whole.size() > 20, rate + " Hz: " + whole.size());
      // in 7-frame chunks, through the batched path, restored into a fresh detector halfway
      List<Spike> got = new ArrayList<>();
      SpikeSink sink = (s, p) -> got.add(new Spike(s, p));
      SpikeDetector d = DETECTORS.create("unet", options(rate, 1));
      int span = d.model().channels() * 100;
      float[] in = new float[64 * span];
      float[] out = new float[64 * 100];
      for (int off = 0; off < v.length; off += 7) {
        if (off >= v.length / 2 && off < v.length / 2 + 7) {
          byte[] state = d.snapshot();
          d = DETECTORS.create("unet", options(rate, 1));
          d.restore(state);
        }
        d.cut(v, off, Math.min(7, v.length - off), sink);
        int n = d.pendingWindows();
        for (int k = 0; k < n; k++) {
          d.copyPending(k, in, k * span);
        }
        if (n > 0) {
          d.model().predict(in, n, out);
          d.applyPending(out, 0, sink);
        }
      }
      d.flush(sink);
      assertEquals(whole, got, rate + " Hz");
    }
  }

  @Test
  void aLongGapRestartsOnTheRightFrame() {
    Recording r = trace(500, 1, 9);
    float[] v = r.voltage();
    SpikeDetector d = DETECTORS.create("unet", options(500, 1));
    List<Spike> got = new ArrayList<>();
    SpikeSink sink = (s, p) -> got.add(new Spike(s, p));
    d.push(v, 0, 4000, sink);
    d.pushGap(1500, sink); // 3 s: longer than the 1 s the extractor bridges
    assertEquals(5500, d.nextSampleIndex());
    d.push(v, 4000, v.length - 4000, sink);
    d.flush(sink);
    assertTrue(got.stream().noneMatch(s -> s.sample() >= 4000 && s.sample() < 5500));
    assertTrue(got.stream().anyMatch(s -> s.sample() >= 5600), "spikes after the gap");
  }

  @Test
  void ratesOutsideTheServedRangeAreRefusedWithTheRange() {
    UnsupportedRateException e =
        assertThrows(
            UnsupportedRateException.class, () -> DETECTORS.create("unet", options(250, 1)));
    assertTrue(e.getMessage().contains("valid rates are 300-5000 Hz"), e.getMessage());
    assertThrows(
        UnsupportedRateException.class, () -> DETECTORS.create("unet", options(20_000, 1)));
    // the model's own rate needs no resampling
    assertInstanceOf(UNetDetector.class, DETECTORS.create("unet", options(1000, 1)));
  }
}
