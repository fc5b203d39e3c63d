package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.avro.VoltageChunk;
import io.voltspike.avro.state.NeuronState;
import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.SpikeDetector;
import io.voltspike.io.Recording;
import io.voltspike.io.StateCodec;
import io.voltspike.io.StateFormatException;
import io.voltspike.model.SharedModels;
import io.voltspike.model.WindowModel;
import io.voltspike.sim.Family;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.TraceParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every state the stream keeps in its changelog has an Avro schema, released versions in {@code
 * schemas/old/state/}, and a stored example ({@code src/test/resources/state/}) written by the
 * released version: the current code must read every released version, and continue a stored
 * example to exactly the spikes of an uninterrupted run. A schema change without a new version
 * file, an incompatible change, or a change in what a field means fails here.
 */
class StateSchemasTest {
  static final SharedModels MODELS = new SharedModels();
  static final Detectors DETECTORS = new Detectors(MODELS);

  @AfterAll
  static void closeModels() {
    MODELS.close();
  }

  /** Every top-level state schema, by the name of its files. */
  static final Map<String, Schema> STATES =
      Map.ofEntries(
          Map.entry("NeuronState", NeuronState.getClassSchema()),
          Map.entry("PublishedMark", io.voltspike.avro.state.PublishedMark.getClassSchema()),
          Map.entry("SessionEnd", io.voltspike.avro.state.SessionEnd.getClassSchema()),
          Map.entry("FeatureState", io.voltspike.avro.state.FeatureState.getClassSchema()),
          Map.entry("UNetState", io.voltspike.avro.state.UNetState.getClassSchema()),
          Map.entry("ThresholdState", io.voltspike.avro.state.ThresholdState.getClassSchema()),
          Map.entry("VolPyState", io.voltspike.avro.state.VolPyState.getClassSchema()),
          Map.entry("ResamplingState", io.voltspike.avro.state.ResamplingState.getClassSchema()),
          Map.entry("MatchedState", io.voltspike.avro.state.MatchedState.getClassSchema()),
          Map.entry("EvidenceState", io.voltspike.avro.state.EvidenceState.getClassSchema()),
          Map.entry("WhitenerState", io.voltspike.avro.state.WhitenerState.getClassSchema()),
          Map.entry("CalibrationState", io.voltspike.avro.state.CalibrationState.getClassSchema()));

  @Test
  void everyStateSchemaIsReleasedAndReadsEveryReleasedVersion() {
    for (Map.Entry<String, Schema> e : STATES.entrySet()) {
      List<Schema> released = StateCodec.oldVersions(e.getKey());
      assertFalse(released.isEmpty(), e.getKey() + " has no released version");
      Schema latest = released.get(released.size() - 1);
      assertEquals(
          SchemaNormalization.parsingFingerprint64(latest),
          SchemaNormalization.parsingFingerprint64(e.getValue()),
          e.getKey()
              + " differs from its latest released version: add schemas/old/state/"
              + e.getKey()
              + ".v"
              + (released.size() + 1)
              + ".avsc");
      for (int v = 0; v < released.size(); v++) {
        var c = SchemaCompatibility.checkReaderWriterCompatibility(e.getValue(), released.get(v));
        assertEquals(
            SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
            c.getType(),
            e.getKey() + " cannot read its version " + (v + 1) + ": " + c.getDescription());
      }
    }
  }

  /** The detectors whose stored examples are checked: name, sample rate. */
  static final String[][] EXAMPLES = {
    {"unet", "1000"},
    {"threshold", "1000"},
    {"volpy", "1000"},
    {"unet", "500"},
    {"matched", "1000"},
    {"unet", "1000", "evidence"},
    {"unet", "500", "evidence"},
    {"unet", "1000", "whitened"},
    {"unet", "500", "whitened"},
    {"unet", "1000", "calibrated"},
    {"unet", "1000", "oscillation"}
  };

  /**
   * The five-channel model the U-Net examples before "whitened" were written with (the default
   * then); "whitened" examples run the current default, which also reads the whitened channel.
   */
  static final java.nio.file.Path FIVE_CHANNEL_MODEL =
      java.nio.file.Path.of("models", "voltspike-unet.onnx");

  static Recording trace(double rateHz) {
    return NeuronSimulator.simulate("n", TraceParams.of(Family.REGULAR, 8, 1, 12, rateHz), 4242);
  }

  static NeuronSession session(String detector, double rateHz) {
    return session(detector, rateHz, "whitened");
  }

  /** A fresh session of the detector the example {@code variant} was written with. */
  static NeuronSession session(String detector, double rateHz, String variant) {
    return new NeuronSession(DETECTORS.create(detector, options(detector, rateHz, variant)));
  }

  static DetectorOptions options(String detector, double rateHz, String variant) {
    DetectorOptions o = DetectorOptions.defaults().withSampleRate(rateHz);
    boolean today = variant.equals("calibrated") || variant.equals("oscillation");
    if (detector.equals("unet") && !variant.equals("whitened") && !today) {
      o = o.withUnet(o.unet().withModel(FIVE_CHANNEL_MODEL));
    }
    if (detector.equals("unet") && !today) {
      // written before version 3 of the U-Net state: at the fixed rule, which such a unit keeps
      o = o.withOperatingPoint(io.voltspike.detect.OperatingPoint.FIXED);
    }
    return o;
  }

  /** Feeds chunks and runs the windows they cut, as the stream's batched inference does. */
  static void feed(NeuronSession s, List<VoltageChunk> chunks) throws BadRecordException {
    for (VoltageChunk c : chunks) {
      s.accept(c);
      SpikeDetector d = s.detector();
      if (d.pendingWindows() > 0) {
        WindowModel m = d.model();
        int n = d.pendingWindows();
        int w = m.windowSamples();
        float[] in = new float[n * m.channels() * w];
        float[] out = new float[n * w];
        for (int i = 0; i < n; i++) {
          d.copyPending(i, in, i * m.channels() * w);
        }
        m.predict(in, n, out);
        d.applyPending(out, 0, s.sink());
      }
    }
  }

  static List<Long> samples(NeuronSession s) {
    List<Long> out = new ArrayList<>();
    s.outbox().forEach(sp -> out.add(sp.sample()));
    return out;
  }

  /**
   * Where an example stops: the chunk just after a spike in the middle of the trace, so that the
   * spike is still undecided in the stored state and every part of it matters.
   */
  static int stopChunk(List<Long> spikes, double rateHz) {
    long mid = spikes.get(spikes.size() / 2);
    return (int) (mid + Math.round(0.008 * rateHz)) / 10 + 1;
  }

  static Path example(String detector, double rateHz) {
    return example(detector, rateHz, "");
  }

  /** A stored example; {@code variant} names one written after a detector state's new version. */
  static Path example(String detector, double rateHz, String variant) {
    return Path.of(
        "src/test/resources/state",
        "NeuronState.v1."
            + detector
            + "-"
            + (int) rateHz
            + "hz"
            + (variant.isEmpty() ? "" : "." + variant)
            + ".bin");
  }

  /**
   * Writes the stored examples that are missing (once per released version, with {@code
   * -Dvoltspike.writeStateExamples=true}; released ones are never rewritten); otherwise checks they
   * exist.
   */
  @Test
  void storedExamplesExist() throws Exception {
    for (String[] ex : EXAMPLES) {
      double rate = Double.parseDouble(ex[1]);
      Path file = example(ex[0], rate, ex.length > 2 ? ex[2] : "");
      if (Boolean.getBoolean("voltspike.writeStateExamples") && !Files.exists(file)) {
        Recording r = trace(rate);
        List<VoltageChunk> chunks =
            ChunkSplitter.split("day1", "n", r.voltage(), rate, 10, 0, true);
        String variant = ex.length > 2 ? ex[2] : "";
        NeuronSession whole = session(ex[0], rate, variant);
        feed(whole, chunks);
        int stop = stopChunk(samples(whole), rate);
        NeuronSession s = session(ex[0], rate, variant);
        feed(s, chunks.subList(0, stop));
        Files.write(file, s.toBytes());
      }
      assertTrue(Files.isRegularFile(file), file + " missing");
    }
  }

  /**
   * A stored example continues to the spikes of an uninterrupted run. A U-Net state of version 1
   * (before the whitened evidence) continues as the detector without the evidence decides: the unit
   * keeps the rule it started with until its session ends.
   */
  @ParameterizedTest(name = "{0} at {1} Hz {2}")
  @CsvSource({
    "unet, 1000, ''",
    "threshold, 1000, ''",
    "volpy, 1000, ''",
    "unet, 500, ''",
    "matched, 1000, ''",
    "unet, 1000, evidence",
    "unet, 500, evidence",
    "unet, 1000, whitened",
    "unet, 500, whitened",
    "unet, 1000, calibrated",
    "unet, 1000, oscillation"
  })
  void aStoredStateOfTheReleasedVersionContinuesToTheUninterruptedSpikes(
      String detector, double rateHz, String variant) throws Exception {
    Recording r = trace(rateHz);
    List<VoltageChunk> chunks = ChunkSplitter.split("day1", "n", r.voltage(), rateHz, 10, 0, true);
    boolean unetV1 = detector.equals("unet") && variant.isEmpty();
    NeuronSession whole =
        unetV1
            ? new NeuronSession(
                DETECTORS.create(
                    detector,
                    options(detector, rateHz, variant)
                        .withUnet(options(detector, rateHz, variant).unet().withMinEvidenceSd(0))))
            : session(detector, rateHz, variant);
    feed(whole, chunks);
    assertTrue(samples(whole).size() > 10, "the trace has spikes: " + samples(whole));

    NeuronState stored =
        NeuronSession.decode(Files.readAllBytes(example(detector, rateHz, variant)));
    assertEquals("day1", stored.getSession());
    assertEquals(detector, stored.getDetector());
    NeuronSession resumed =
        NeuronSession.restore(
            stored,
            // today's default operating point: a unit stored before it keeps its own rule
            DETECTORS.create(
                detector,
                options(detector, rateHz, variant)
                    .withOperatingPoint(io.voltspike.detect.OperatingPoint.AUTO)));
    int stop = (int) (stored.getNextSample() / 10);
    assertTrue(stop > 0 && stop < chunks.size(), "stored mid-trace: " + stored.getNextSample());
    feed(resumed, chunks.subList(stop, chunks.size()));
    // every spike with its probability (or height), to the last bit: a restored state that is
    // even slightly off changes the scores of the spikes after it
    assertEquals(whole.outbox(), resumed.outbox());
  }

  /**
   * A unit stored by the five-channel model does not continue under a model that also reads the
   * whitened channel (its frames lack it, its whitener may be missing): the state is refused as
   * unreadable, and the stream starts the unit afresh with a dead letter (docs/reliability.md).
   */
  @ParameterizedTest(name = "variant ''{0}''")
  @ValueSource(strings = {"", "evidence"})
  void aFiveChannelStateIsRefusedByTheWhitenedModel(String variant) throws Exception {
    NeuronState stored = NeuronSession.decode(Files.readAllBytes(example("unet", 1000, variant)));
    assertThrows(
        StateFormatException.class,
        () -> NeuronSession.restore(stored, session("unet", 1000, "whitened").detector()));
  }

  @Test
  void aStateOfAnotherDetectorOrUnknownSchemaIsRefusedAsSuch() throws Exception {
    byte[] unet = Files.readAllBytes(example("unet", 1000));
    NeuronState state = NeuronSession.decode(unet);
    StateFormatException other =
        assertThrows(
            StateFormatException.class,
            () -> NeuronSession.restore(state, session("threshold", 1000).detector()));
    assertTrue(other.getMessage().contains("'unet'"), other.getMessage());
    byte[] garbled = unet.clone();
    garbled[5] ^= 0x55; // inside the schema fingerprint
    StateFormatException unknown =
        assertThrows(StateFormatException.class, () -> NeuronSession.decode(garbled));
    assertTrue(unknown.getMessage().contains("does not know"), unknown.getMessage());
  }
}
