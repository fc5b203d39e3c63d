package io.voltspike.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.eval.Counts;
import io.voltspike.eval.Matcher;
import io.voltspike.model.SharedModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every detector promises: it finds clear spikes, in either polarity, chunk by chunk. */
class DetectorContractTest {
  /** This class's own model sessions and detector registry, closed after its tests. */
  static final SharedModels MODELS = new SharedModels();

  static final Detectors DETECTORS = new Detectors(MODELS);

  @org.junit.jupiter.api.AfterAll
  static void closeModels() {
    MODELS.close();
  }

  static DetectorOptions opts(PeakSign sign) {
    return DetectorOptions.defaults().withPeakSign(sign);
  }

  static Counts score(SyntheticTraces t, List<Spike> found) {
    return Matcher.counts(t.spikes, OfflineDetection.samples(found), 2, t.trace.length, 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"threshold", "volpy", "matched"})
  void findsClearSpikes(String name) {
    SyntheticTraces t = SyntheticTraces.make(30000, 12, 1, 11);
    List<Spike> s = OfflineDetection.run(DETECTORS.create(name, opts(PeakSign.POS)), t.trace);
    Counts c = score(t, s);
    assertTrue(c.f1() > 0.95, name + " F1 " + c.f1() + " " + c);
  }

  @ParameterizedTest
  @ValueSource(strings = {"threshold", "volpy", "matched"})
  void negativePolarity(String name) {
    SyntheticTraces t = SyntheticTraces.make(30000, 12, -1, 12);
    Counts neg =
        score(t, OfflineDetection.run(DETECTORS.create(name, opts(PeakSign.NEG)), t.trace));
    assertTrue(neg.f1() > 0.95, name + " F1 " + neg.f1());
    if (!name.equals("volpy")) {
      Counts both =
          score(t, OfflineDetection.run(DETECTORS.create(name, opts(PeakSign.BOTH)), t.trace));
      assertTrue(both.f1() > 0.9, "both: F1 " + both.f1());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"threshold", "volpy", "matched"})
  void chunkingDoesNotChangeSpikes(String name) {
    SyntheticTraces t = SyntheticTraces.make(15000, 6, 1, 13);
    List<Spike> whole = OfflineDetection.run(DETECTORS.create(name, opts(PeakSign.POS)), t.trace);
    List<Spike> ones = OfflineDetection.run(DETECTORS.create(name, opts(PeakSign.POS)), t.trace, 1);
    List<Spike> tens =
        OfflineDetection.run(DETECTORS.create(name, opts(PeakSign.POS)), t.trace, 10);
    assertTrue(whole.size() > 10);
    assertEquals(whole, ones);
    assertEquals(whole, tens);
  }

  @ParameterizedTest
  @ValueSource(strings = {"threshold", "volpy", "matched"})
  void snapshotRestoreMidStreamGivesTheSameSpikes(String name) {
    SyntheticTraces t = SyntheticTraces.make(15000, 6, 1, 14);
    List<Spike> ref = OfflineDetection.run(DETECTORS.create(name, opts(PeakSign.POS)), t.trace);
    List<Spike> got = new ArrayList<>();
    SpikeSink sink = (s, v) -> got.add(new Spike(s, v));
    SpikeDetector a = DETECTORS.create(name, opts(PeakSign.POS));
    int cut = 12345;
    a.push(t.trace, 0, cut, sink);
    SpikeDetector b = DETECTORS.create(name, opts(PeakSign.POS));
    b.restore(a.snapshot());
    assertEquals(cut, b.nextSampleIndex());
    b.push(t.trace, cut, t.trace.length - cut, sink);
    b.flush(sink);
    assertEquals(ref, got);
  }

  @Test
  void nanSamplesNeverBecomeSpikesOrCrash() {
    SyntheticTraces t = SyntheticTraces.make(15000, 12, 1, 15);
    for (int i = 5000; i < 5100; i++) {
      t.trace[i] = Float.NaN;
    }
    for (String name : List.of("threshold", "volpy", "matched")) {
      List<Spike> s = OfflineDetection.run(DETECTORS.create(name, opts(PeakSign.POS)), t.trace);
      for (Spike sp : s) {
        assertTrue(sp.sample() < 5000 || sp.sample() >= 5100, name + " spike in NaN run " + sp);
      }
      assertTrue(score(t, s).recall() > 0.9, name);
    }
  }

  @Test
  void unknownDetectorListsTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DETECTORS.create("nope", DetectorOptions.defaults()));
    assertTrue(e.getMessage().contains("threshold") && e.getMessage().contains("volpy"));
    assertTrue(e.getMessage().contains("matched"), e.getMessage());
  }

  @Test
  void volpyRefusesBothPolarities() {
    assertThrows(
        IllegalArgumentException.class, () -> DETECTORS.create("volpy", opts(PeakSign.BOTH)));
  }
}
