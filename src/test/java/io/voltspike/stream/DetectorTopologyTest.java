package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.avro.DeadLetter;
import io.voltspike.avro.SpikeEvent;
import io.voltspike.avro.VoltageChunk;
import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.OfflineDetection;
import io.voltspike.detect.Spike;
import io.voltspike.io.Recording;
import io.voltspike.model.SharedModels;
import io.voltspike.sim.Family;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.TraceParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DetectorTopologyTest {
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> in;
  TestOutputTopic<String, SpikeEvent> spikes;
  TestOutputTopic<String, DeadLetter> dead;

  static final Deserializer<SpikeEvent> SPIKE =
      (t, b) -> {
        try {
          return AvroCodec.SPIKES.decode(b);
        } catch (BadRecordException e) {
          throw new IllegalStateException(e);
        }
      };
  static final Deserializer<DeadLetter> DEAD =
      (t, b) -> {
        try {
          return AvroCodec.DEAD_LETTERS.decode(b);
        } catch (BadRecordException e) {
          throw new IllegalStateException(e);
        }
      };

  /** This class's model sessions, shared by its tests and closed after them. */
  static final SharedModels MODELS = new SharedModels();

  @org.junit.jupiter.api.AfterAll
  static void closeModels() {
    MODELS.close();
  }

  /** This test's own counters and registry: fresh per test, so counts start at zero. */
  final StreamStats stats = new StreamStats();

  final Detectors detectors = new Detectors(MODELS);

  void start(String detector) {
    start(detector, DetectorOptions.defaults());
  }

  void start(String detector, DetectorOptions options) {
    StreamSettings s = StreamSettings.defaults().withDetector(detector, options);
    Properties p = StreamSettings.streamsProperties("dummy:9092", "test", "eos", null);
    driver = new TopologyTestDriver(DetectorTopology.build(s, detectors, stats), p);
    in = driver.createInputTopic(Topics.SAMPLES, new StringSerializer(), new ByteArraySerializer());
    spikes = driver.createOutputTopic(Topics.SPIKES, new StringDeserializer(), SPIKE);
    dead = driver.createOutputTopic(Topics.DEAD_LETTER, new StringDeserializer(), DEAD);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  static Recording trace(long seed) {
    return NeuronSimulator.simulate("n", TraceParams.of(Family.REGULAR, 8, 1, 20, 1000), seed);
  }

  List<Long> offline(String detector, float[] v) {
    return OfflineDetection.run(detectors.create(detector, DetectorOptions.defaults()), v).stream()
        .map(Spike::sample)
        .collect(Collectors.toList());
  }

  void send(String key, VoltageChunk c) {
    in.pipeInput(key, AvroCodec.CHUNKS.encode(c));
    driver.advanceWallClockTime(Duration.ofMillis(5));
  }

  List<Long> spikesOf(String neuron) {
    return spikes.readValuesToList().stream()
        .filter(e -> e.getNeuron().equals(neuron))
        .map(SpikeEvent::getSample)
        .collect(Collectors.toList());
  }

  @Test
  void streamGivesTheOfflineSpikes() {
    for (String det : new String[] {"unet", "threshold", "matched"}) {
      start(det);
      Recording r = trace(31);
      long t0 = 1_700_000_000_000_000L;
      for (VoltageChunk c : ChunkSplitter.split("s1", "n1", r.voltage(), 1000, 10, t0, true)) {
        send("n1", c);
      }
      List<SpikeEvent> events = spikes.readValuesToList();
      List<Long> got = events.stream().map(SpikeEvent::getSample).collect(Collectors.toList());
      List<Long> expected = offline(det, r.voltage());
      assertTrue(expected.size() > 10, det);
      assertEquals(expected, got, det);
      SpikeEvent e = events.get(0);
      assertEquals("s1", e.getSession());
      assertEquals(det, e.getDetector());
      assertEquals(t0 + e.getSample() * 1000, e.getAcquiredAtUs());
      assertEquals(e.getSample() * 1.0, e.getTimeMs(), 1e-9);
      assertTrue(dead.isEmpty());
      driver.close();
      driver = null;
    }
  }

  @Test
  void aCalibratedUNetGivesTheOfflineSpikesAtEveryRate() {
    // the operating point's calibration runs windows sign-flipped too: the stream's batches carry
    // both copies, and its decisions past the 10 s warm-up match offline exactly
    for (double rate : new double[] {500, 1000, 2000}) {
      Recording r =
          NeuronSimulator.simulate("n", TraceParams.of(Family.SUBTHRESHOLD, 6, 1, 25, rate), 35);
      DetectorOptions o =
          DetectorOptions.defaults()
              .withOperatingPoint(io.voltspike.detect.OperatingPoint.CLOSED_LOOP)
              .withSampleRate(rate);
      List<Long> expected =
          OfflineDetection.run(detectors.create("unet", o), r.voltage()).stream()
              .map(Spike::sample)
              .collect(Collectors.toList());
      start(
          "unet",
          DetectorOptions.defaults()
              .withOperatingPoint(io.voltspike.detect.OperatingPoint.CLOSED_LOOP));
      int chunk = (int) (rate / 100);
      for (VoltageChunk c : ChunkSplitter.split("s1", "n1", r.voltage(), rate, chunk, 0, true)) {
        send("n1", c);
      }
      List<Long> got =
          spikes.readValuesToList().stream()
              .map(SpikeEvent::getSample)
              .collect(Collectors.toList());
      assertTrue(
          expected.stream().filter(x -> x > 10 * rate).count() >= 5,
          rate + " Hz: " + expected.size() + " " + r.voltage().length + " " + expected);
      assertEquals(expected, got, rate + " Hz");
      assertTrue(dead.isEmpty());
      driver.close();
      driver = null;
    }
  }

  @Test
  void streamGivesTheOfflineSpikesAtOtherFrameRates() {
    for (String det : new String[] {"unet", "matched"}) {
      for (double rate : new double[] {500, 2000}) {
        streamEqualsOfflineAt(det, rate);
      }
    }
  }

  void streamEqualsOfflineAt(String det, double rate) {
    {
      Recording r =
          NeuronSimulator.simulate("n", TraceParams.of(Family.REGULAR, 8, -1, 20, rate), 33);
      DetectorOptions o =
          DetectorOptions.defaults()
              .withPeakSign(io.voltspike.detect.PeakSign.NEG)
              .withSampleRate(rate);
      List<Long> expected =
          OfflineDetection.run(detectors.create(det, o), r.voltage()).stream()
              .map(Spike::sample)
              .collect(Collectors.toList());
      start(det, DetectorOptions.defaults().withPeakSign(io.voltspike.detect.PeakSign.NEG));
      long t0 = 1_700_000_000_000_000L;
      int chunk = (int) (rate / 100); // 10 ms
      for (VoltageChunk c : ChunkSplitter.split("s1", "n1", r.voltage(), rate, chunk, t0, true)) {
        send("n1", c);
      }
      List<SpikeEvent> events = spikes.readValuesToList();
      assertTrue(expected.size() > 10, det + " at " + rate + " Hz: " + expected.size());
      assertEquals(
          expected, events.stream().map(SpikeEvent::getSample).collect(Collectors.toList()));
      SpikeEvent e = events.get(3);
      assertEquals(e.getSample() * 1000.0 / rate, e.getTimeMs(), 1e-9, "time on its own clock");
      assertEquals(t0 + Math.round(e.getSample() * 1e6 / rate), e.getAcquiredAtUs());
      assertTrue(dead.isEmpty());
      driver.close();
      driver = null;
    }
  }

  @Test
  void aNeuronAtAnUnservableRateIsDeadLetteredOnceAndOthersCarryOn() {
    start("unet");
    Recording r = trace(31);
    float[] slow = java.util.Arrays.copyOf(r.voltage(), 2000);
    List<VoltageChunk> bad = ChunkSplitter.split("s1", "slow", slow, 200, 20, 0, false);
    List<VoltageChunk> good = ChunkSplitter.split("s1", "n1", r.voltage(), 1000, 10, 0, true);
    for (int i = 0; i < good.size(); i++) {
      if (i < bad.size()) {
        send("slow", bad.get(i));
      }
      send("n1", good.get(i));
    }
    List<DeadLetter> letters = dead.readValuesToList();
    assertEquals(1, letters.size(), "dead-lettered once: " + letters);
    assertEquals("unsupported_rate", letters.get(0).getReason());
    assertTrue(letters.get(0).getDetail().contains("valid rates are 300-5000 Hz"));
    assertEquals(bad.size() - 1, stats.badCount(DeadLetterReason.REFUSED_NEURON));
    assertEquals(offline("unet", r.voltage()), spikesOf("n1"));
  }

  /**
   * Feeds neuron n1 the trace and, interleaved, neuron n2 the same trace with sample 5005 (in the
   * chunk 5000..5009) set to {@code poison}.
   */
  void feedWithPoisonedTwin(Recording r, float poison) {
    float[] bad = r.voltage().clone();
    bad[5005] = poison;
    List<VoltageChunk> good = ChunkSplitter.split("s1", "n1", r.voltage(), 1000, 10, 0, true);
    List<VoltageChunk> poisoned = ChunkSplitter.split("s1", "n2", bad, 1000, 10, 0, true);
    for (int i = 0; i < good.size(); i++) {
      send("n1", good.get(i));
      send("n2", poisoned.get(i));
    }
  }

  /** The threshold detector, except that a sample of exactly 666 makes it throw. */
  static io.voltspike.detect.SpikeDetector exploding(DetectorOptions o) {
    io.voltspike.detect.SpikeDetector d = new io.voltspike.detect.ThresholdDetector(o);
    return new io.voltspike.detect.SpikeDetector() {
      public String name() {
        return "exploding";
      }

      public long nextSampleIndex() {
        return d.nextSampleIndex();
      }

      public void push(float[] s, int off, int len, io.voltspike.detect.SpikeSink sink) {
        for (int i = off; i < off + len; i++) {
          if (s[i] == 666f) {
            throw new IllegalStateException("boom at sample value 666");
          }
        }
        d.push(s, off, len, sink);
      }

      public void pushGap(long n, io.voltspike.detect.SpikeSink sink) {
        d.pushGap(n, sink);
      }

      public void flush(io.voltspike.detect.SpikeSink sink) {
        d.flush(sink);
      }

      public int decisionLatencySamples() {
        return d.decisionLatencySamples();
      }

      public byte[] snapshot() {
        return d.snapshot();
      }

      public void restore(byte[] b) {
        d.restore(b);
      }
    };
  }

  @Test
  void aRecordThatMakesTheDetectorThrowIsDeadLetteredAndNothingWedges() throws Exception {
    detectors.register("exploding", DetectorTopologyTest::exploding);
    {
      start("exploding");
      Recording r = trace(31);
      feedWithPoisonedTwin(r, 666f); // in the chunk of samples 5000..5009
      List<DeadLetter> letters = dead.readValuesToList();
      assertEquals(1, letters.size(), letters.toString());
      assertEquals("processing_error", letters.get(0).getReason());
      assertEquals(
          "java.lang.IllegalStateException: boom at sample value 666", letters.get(0).getDetail());
      List<SpikeEvent> all = spikes.readValuesToList();
      List<Long> n1 =
          all.stream()
              .filter(e -> e.getNeuron().equals("n1"))
              .map(SpikeEvent::getSample)
              .collect(Collectors.toList());
      assertEquals(offline("threshold", r.voltage()), n1, "the other neuron is untouched");
      assertTrue(
          all.stream().anyMatch(e -> e.getNeuron().equals("n2") && e.getSample() > 6000),
          "the poisoned neuron goes on after its bad record");
      assertEquals(1, stats.badCount(DeadLetterReason.PROCESSING_ERROR), "counted");
    }
  }

  @Test
  void aNeuronWhoseInferenceFailsIsDeadLetteredAndTheBatchGoesOn() throws Exception {
    // a network that fails on any window holding an artefact (normalized value at the clamp)
    io.voltspike.model.WindowModel fragile =
        new io.voltspike.model.WindowModel() {
          public int windowSamples() {
            return 100;
          }

          public int channels() {
            return 5;
          }

          public String featureHash() {
            return io.voltspike.signal.FeatureConfig.defaults().hash();
          }

          public String version() {
            return "fragile";
          }

          public void predict(float[] in, int batch, float[] out) {
            for (int i = 0; i < batch * 500; i++) {
              if (in[i] >= 999f) {
                throw new IllegalStateException("cannot run on window " + (i / 500));
              }
            }
            for (int b = 0; b < batch; b++) {
              for (int t = 0; t < 100; t++) {
                out[b * 100 + t] = Math.max(0f, Math.min(1f, in[b * 500 + t] / 10f));
              }
            }
          }
        };
    detectors.register("fragile", o -> new io.voltspike.detect.UNetDetector(o, fragile));
    {
      start("fragile");
      Recording r = trace(31);
      feedWithPoisonedTwin(r, 1e9f); // clamped to 1000 noise units
      List<DeadLetter> letters = dead.readValuesToList();
      assertFalse(letters.isEmpty());
      assertTrue(letters.stream().allMatch(d -> d.getReason().equals("inference_error")));
      assertTrue(letters.get(0).getDetail().startsWith("java.lang.IllegalStateException: cannot"));
      List<Long> expected =
          OfflineDetection.run(
                  new io.voltspike.detect.UNetDetector(DetectorOptions.defaults(), fragile),
                  r.voltage())
              .stream()
              .map(Spike::sample)
              .collect(Collectors.toList());
      assertEquals(expected, spikesOf("n1"), "the neuron batched with it is untouched");
    }
  }

  @Test
  void badRecordsGoToTheDeadLetterTopicAndOthersCarryOn() {
    start("threshold");
    Recording good = trace(41);
    List<VoltageChunk> goodChunks =
        ChunkSplitter.split("s1", "good", good.voltage(), 1000, 10, 0, true);
    float[] badTrace = trace(42).voltage();
    List<VoltageChunk> bad = ChunkSplitter.split("s1", "bad", badTrace, 1000, 10, 0, false);
    float[] nan = new float[10];
    java.util.Arrays.fill(nan, Float.NaN);
    for (int i = 0; i < goodChunks.size(); i++) {
      send("good", goodChunks.get(i));
      switch (i) {
        case 3 -> in.pipeInput("bad", new byte[] {1, 2, 3, 4});
        case 4 -> in.pipeInput("bad", AvroCodec.SPIKES.encode(spike()));
        case 5 -> send("bad", bad.get(0));
        case 6 -> send("bad", bad.get(1));
        case 7 -> send("bad", bad.get(1)); // duplicate: counted, not dead-lettered
        case 8 -> send("bad", bad.get(0)); // out of order: the same
        case 9 ->
            send(
                "bad",
                VoltageChunk.newBuilder(
                        ChunkSplitter.chunk("s1", "bad", nan, 0, 10, 1000, 0, false))
                    .setFirstSample(20)
                    .build()); // NaN-only
        case 10 -> send("bad", VoltageChunk.newBuilder(bad.get(3)).setSampleRateHz(500).build());
        case 11 -> in.pipeInput((String) null, AvroCodec.CHUNKS.encode(bad.get(3)));
        case 12 -> in.pipeInput("bad", "{\"session\": \"s1\"}".getBytes());
        case 13 -> send("other", bad.get(3)); // key is not the chunk's neuron
        default -> {}
      }
    }
    List<String> reasons =
        dead.readValuesToList().stream().map(DeadLetter::getReason).collect(Collectors.toList());
    assertEquals(1, stats.alreadyProcessed.get("duplicate").sum());
    assertEquals(1, stats.alreadyProcessed.get("out_of_order").sum());
    assertEquals(
        List.of(
            "undecodable",
            "unknown_schema",
            "nan_only",
            "rate_change",
            "missing_key",
            "wrong_schema",
            "key_mismatch"),
        reasons);
    assertTrue(StreamStats.BAD_RECORD_REASONS.containsAll(reasons), "metrics know every reason");
    assertEquals(offline("threshold", good.voltage()), spikesOf("good"), "good neuron unaffected");
  }

  @Test
  void artefactsEmptyChunksGapsAndRateChangesAreRepairedOrReported() {
    start("unet");
    Recording good = trace(51);
    float[] odd = trace(52).voltage().clone();
    List<VoltageChunk> goodChunks =
        ChunkSplitter.split("s1", "good", good.voltage(), 1000, 10, 0, true);
    // artefacts inside chunks: infinities and enormous values are repaired in place
    odd[2003] = Float.POSITIVE_INFINITY;
    odd[2004] = Float.NEGATIVE_INFINITY;
    odd[6000] = Float.MAX_VALUE;
    odd[6001] = -1e30f;
    odd[9000] = 1e25f;
    List<VoltageChunk> oddChunks = ChunkSplitter.split("s1", "odd", odd, 1000, 10, 0, true);
    float[] expectedOdd = odd.clone();
    for (int i = 0; i < goodChunks.size(); i++) {
      send("good", goodChunks.get(i));
      VoltageChunk c = oddChunks.get(i);
      if (i == 300) {
        // a lost chunk: the next one bridges a gap (held, as missing samples)
        java.util.Arrays.fill(expectedOdd, 3000, 3010, Float.NaN);
      } else if (i == 400) {
        send("odd", VoltageChunk.newBuilder(c).setSamples(List.of()).build()); // empty
        send("odd", c);
      } else if (i == 500) {
        send("odd", VoltageChunk.newBuilder(c).setSampleRateHz(500).build()); // rate change
        java.util.Arrays.fill(expectedOdd, 5000, 5010, Float.NaN);
      } else {
        send("odd", c);
      }
    }
    List<String> reasons =
        dead.readValuesToList().stream().map(DeadLetter::getReason).collect(Collectors.toList());
    assertEquals(List.of("empty", "rate_change"), reasons);
    assertTrue(StreamStats.BAD_RECORD_REASONS.containsAll(reasons));
    List<SpikeEvent> events = spikes.readValuesToList();
    List<Long> oddGot =
        events.stream()
            .filter(e -> e.getNeuron().equals("odd"))
            .map(SpikeEvent::getSample)
            .collect(Collectors.toList());
    List<Long> goodGot =
        events.stream()
            .filter(e -> e.getNeuron().equals("good"))
            .map(SpikeEvent::getSample)
            .collect(Collectors.toList());
    assertEquals(offline("unet", good.voltage()), goodGot, "the other neuron is unaffected");
    List<Long> oddExpected = offline("unet", expectedOdd);
    assertEquals(oddExpected, oddGot, "repairs are the offline detector's own");
    assertTrue(oddExpected.stream().anyMatch(s -> s > 9500), "detection goes on after artefacts");
    assertEquals(2, stats.missingSamples.sum(), "infinities counted");
    assertEquals(3, stats.clampedSamples.sum(), "each enormous value counted once");
    assertEquals(2, stats.gaps.sum(), "the lost and the refused chunk");
  }

  @Test
  void overlappingChunksAreTrimmedAndJsonIsAccepted() {
    start("threshold");
    Recording r = trace(51);
    float[] v = r.voltage();
    // overlapping chunks: 0..19, 10..29, 30..: the repeated samples are dropped
    send("n", ChunkSplitter.chunk("s", "n", v, 0, 20, 1000, 0, false));
    send("n", ChunkSplitter.chunk("s", "n", v, 10, 20, 1000, 0, false));
    for (int off = 30; off < v.length; off += 10) {
      int n = Math.min(10, v.length - off);
      VoltageChunk c = ChunkSplitter.chunk("s", "n", v, off, n, 1000, 0, off + n >= v.length);
      if ((off / 10) % 2 == 0) {
        send("n", c);
      } else {
        StringBuilder js =
            new StringBuilder("{\"session\":\"s\",\"neuron\":\"n\",\"first_sample\":");
        js.append(off).append(",\"sample_rate_hz\":1000,\"acquired_at_us\":0,\"samples\":[");
        for (int i = 0; i < n; i++) {
          js.append(i > 0 ? "," : "").append(v[off + i]);
        }
        js.append("],\"end_of_session\":").append(off + n >= v.length).append('}');
        in.pipeInput("n", js.toString().getBytes());
        driver.advanceWallClockTime(Duration.ofMillis(5));
      }
    }
    assertTrue(dead.isEmpty());
    assertEquals(offline("threshold", v), spikesOf("n"));
  }

  @Test
  void everyRecordIsInTheStoreAndSnapshotsStaySmall() {
    start("unet");
    Recording r = trace(61);
    List<VoltageChunk> cs = ChunkSplitter.split("s", "n", r.voltage(), 1000, 10, 0, false);
    in.pipeInput("n", AvroCodec.CHUNKS.encode(cs.get(0)));
    var store = driver.<String, byte[]>getKeyValueStore(Topics.STATE_STORE);
    String n = NeuronStore.unit("n", "s"); // state belongs to one session of one neuron
    assertArrayEquals(
        AvroCodec.CHUNKS.encode(cs.get(0)),
        store.get(NeuronStore.inboxKey(n, 0)),
        "the chunk is in the inbox's first slot");
    driver.advanceWallClockTime(Duration.ofMillis(5));
    byte[] snap = store.get(NeuronStore.snapshotKey(n));
    assertTrue(snap != null && snap.length > 1000);
    assertTrue(snap.length <= 16 * 1024, "state " + snap.length + " bytes");
    // after the snapshot the slots are reused from the first, without deleting anything
    in.pipeInput("n", AvroCodec.CHUNKS.encode(cs.get(1)));
    assertArrayEquals(AvroCodec.CHUNKS.encode(cs.get(1)), store.get(NeuronStore.inboxKey(n, 0)));
    assertEquals(null, store.get(NeuronStore.inboxKey(n, 1)));
    // no punctuation for longer than the ring: the chunk that finds every slot used is snapshotted
    for (int i = 2; i < 2 + NeuronStore.INBOX_SLOTS; i++) {
      in.pipeInput("n", AvroCodec.CHUNKS.encode(cs.get(i)));
    }
    int last = 1 + NeuronStore.INBOX_SLOTS;
    assertArrayEquals(
        AvroCodec.CHUNKS.encode(cs.get(last - 1)),
        store.get(NeuronStore.inboxKey(n, NeuronStore.INBOX_SLOTS - 1)));
    byte[] forced = store.get(NeuronStore.snapshotKey(n));
    assertEquals(
        (last + 1) * 10L,
        NeuronSession.fromBytes(forced, detectors.create("unet", DetectorOptions.defaults()))
            .nextSample(),
        "the forced snapshot covers the chunk that found the ring full");
    in.pipeInput("n", AvroCodec.CHUNKS.encode(cs.get(last + 1)));
    assertArrayEquals(
        AvroCodec.CHUNKS.encode(cs.get(last + 1)), store.get(NeuronStore.inboxKey(n, 0)));
    // the whole stored state of a neuron, every slot in use: snapshot + inbox + mark
    for (int i = last + 2; i < last + 2 + 3 * NeuronStore.INBOX_SLOTS; i++) {
      send("n", cs.get(i));
    }
    long bytes = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        bytes += kv.key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + kv.value.length;
      }
    }
    // the default operating point's calibration (its counts, the flipped accumulators) adds
    // about 1.5 KiB to the 16 KiB of the fixed rule
    assertTrue(bytes <= 18 * 1024, "stored state of one neuron: " + bytes + " bytes");
  }

  @Test
  void aStoredStateNoVersionCanReadIsDroppedSaidAndTheNeuronStartsAfresh() {
    start("threshold");
    var store = driver.<String, byte[]>getKeyValueStore(Topics.STATE_STORE);
    String unit = NeuronStore.unit("n", "s");
    store.put(NeuronStore.snapshotKey(unit), "left by an unknown release".getBytes());
    Recording r = trace(77);
    for (VoltageChunk c : ChunkSplitter.split("s", "n", r.voltage(), 1000, 10, 0, true)) {
      send("n", c);
    }
    driver.advanceWallClockTime(Duration.ofMillis(20));
    List<DeadLetter> letters = dead.readValuesToList();
    assertEquals(1, letters.size(), letters.toString());
    assertEquals("state_unreadable", letters.get(0).getReason());
    assertTrue(letters.get(0).getDetail().contains("the unit starts afresh"));
    assertEquals(1, stats.badCount(DeadLetterReason.STATE_UNREADABLE));
    List<Long> got =
        spikes.readValuesToList().stream().map(SpikeEvent::getSample).collect(Collectors.toList());
    assertEquals(offline("threshold", r.voltage()), got);
  }

  @Test
  void twoSessionsOfTheSameNeuronsAreEachTheirOfflineSpikesAndEndedStateIsGone() {
    start("threshold");
    var store = driver.<String, byte[]>getKeyValueStore(Topics.STATE_STORE);
    Recording day1 = trace(71);
    Recording day2 = trace(72);
    for (String session : new String[] {"day1", "day2"}) {
      Recording r = session.equals("day1") ? day1 : day2;
      for (String neuron : new String[] {"n1", "n2"}) {
        for (VoltageChunk c :
            ChunkSplitter.split(session, neuron, r.voltage(), 1000, 10, 0, true)) {
          send(neuron, c);
        }
      }
      driver.advanceWallClockTime(Duration.ofMillis(20));
    }
    List<SpikeEvent> events = spikes.readValuesToList();
    for (String session : new String[] {"day1", "day2"}) {
      Recording r = session.equals("day1") ? day1 : day2;
      for (String neuron : new String[] {"n1", "n2"}) {
        List<Long> got =
            events.stream()
                .filter(e -> e.getSession().equals(session) && e.getNeuron().equals(neuron))
                .map(SpikeEvent::getSample)
                .collect(Collectors.toList());
        assertEquals(offline("threshold", r.voltage()), got, session + "/" + neuron);
      }
    }
    assertTrue(dead.isEmpty(), "a second session is not 'after_end'");
    // the ended sessions' state is gone: only their end markers are left
    try (var it = store.all()) {
      while (it.hasNext()) {
        String k = it.next().key;
        assertTrue(k.startsWith("E"), "left in the store: " + k.replace('\u0001', '/'));
      }
    }
    // a late chunk of an ended session is refused, not started anew
    send("n1", ChunkSplitter.split("day1", "n1", day1.voltage(), 1000, 10, 0, false).get(5));
    assertEquals("after_end", dead.readValue().getReason());
  }

  @Test
  void anIdleSessionEndsItsSpikesAreOutAndItsStateIsDeleted() {
    StreamSettings s =
        StreamSettings.defaults()
            .withDetector("threshold", DetectorOptions.defaults())
            .withSessionIdleMs(60_000);
    Properties p = StreamSettings.streamsProperties("dummy:9092", "test", "eos", null);
    driver = new TopologyTestDriver(DetectorTopology.build(s, detectors, stats), p);
    in = driver.createInputTopic(Topics.SAMPLES, new StringSerializer(), new ByteArraySerializer());
    spikes = driver.createOutputTopic(Topics.SPIKES, new StringDeserializer(), SPIKE);
    dead = driver.createOutputTopic(Topics.DEAD_LETTER, new StringDeserializer(), DEAD);
    Recording r = trace(73);
    // no end_of_session: the rig stopped
    for (VoltageChunk c : ChunkSplitter.split("s9", "n1", r.voltage(), 1000, 10, 0, false)) {
      send("n1", c);
    }
    List<Long> before = spikesOf("n1");
    driver.advanceWallClockTime(Duration.ofSeconds(70));
    List<Long> after = spikesOf("n1");
    List<Long> all = new ArrayList<>(before);
    all.addAll(after);
    assertEquals(offline("threshold", r.voltage()), all, "the expiry decided the last samples");
    var store = driver.<String, byte[]>getKeyValueStore(Topics.STATE_STORE);
    String unit = NeuronStore.unit("n1", "s9");
    assertEquals(null, store.get(NeuronStore.snapshotKey(unit)));
    assertTrue(store.get(NeuronStore.endedKey(unit)) != null);
    // the end marker itself goes after another idle period
    driver.advanceWallClockTime(Duration.ofSeconds(70));
    assertEquals(null, store.get(NeuronStore.endedKey(unit)));
  }

  @Test
  void stateMovedToAnotherInstanceContinuesExactly() {
    Recording r = trace(71);
    List<VoltageChunk> cs = ChunkSplitter.split("s", "n", r.voltage(), 1000, 10, 0, true);
    int half = cs.size() / 2 + 3 + 7;
    driver = null;
    start("unet");
    // a few chunks after the last snapshot: they live in the inbox only
    List<Long> got = feedThenBurst(cs, half - 7, 7);
    List<org.apache.kafka.streams.KeyValue<String, byte[]>> saved = new ArrayList<>();
    try (var it = driver.<String, byte[]>getKeyValueStore(Topics.STATE_STORE).all()) {
      it.forEachRemaining(saved::add);
    }
    assertTrue(saved.size() > 3, "snapshot, mark and inbox entries");
    driver.close();
    start("unet");
    var store = driver.<String, byte[]>getKeyValueStore(Topics.STATE_STORE);
    saved.forEach(kv -> store.put(kv.key, kv.value));
    got.addAll(burstToEnd(cs, half));
    assertEquals(offline("unet", r.voltage()), got);
  }

  /** Neuron n's chunks [0, upTo) one punctuation apart, then {@code burst} more with none. */
  List<Long> feedThenBurst(List<VoltageChunk> cs, int upTo, int burst) {
    for (int i = 0; i < upTo; i++) {
      send("n", cs.get(i));
    }
    for (int i = upTo; i < upTo + burst; i++) {
      in.pipeInput("n", AvroCodec.CHUNKS.encode(cs.get(i)));
    }
    return new ArrayList<>(spikesOf("n"));
  }

  /** The rest of neuron n's chunks from {@code from} before any punctuation runs, then one. */
  List<Long> burstToEnd(List<VoltageChunk> cs, int from) {
    for (int i = from; i < cs.size(); i++) {
      in.pipeInput("n", AvroCodec.CHUNKS.encode(cs.get(i)));
    }
    driver.advanceWallClockTime(Duration.ofMillis(5));
    return spikesOf("n");
  }

  @Test
  void frameBlocksAreReKeyedIntoPerNeuronChunks() {
    start("threshold");
    TestInputTopic<String, byte[]> frames =
        driver.createInputTopic(Topics.FRAMES, new StringSerializer(), new ByteArraySerializer());
    Recording[] rs = {trace(81), trace(82), trace(83)};
    int n = rs.length;
    int len = rs[0].length();
    for (int off = 0; off < len; off += 10) {
      List<Float> block = new ArrayList<>();
      int t = Math.min(10, len - off);
      for (int i = 0; i < t; i++) {
        for (Recording r : rs) {
          block.add(r.voltage()[off + i]);
        }
      }
      io.voltspike.avro.FrameBlock b =
          io.voltspike.avro.FrameBlock.newBuilder()
              .setSession("cam")
              .setFirstSample(off)
              .setSampleRateHz(1000)
              .setAcquiredAtUs(off * 1000L)
              .setNeurons(List.of("a", "b", "c"))
              .setSamples(block)
              .setEndOfSession(off + t >= len)
              .build();
      frames.pipeInput("cam", AvroCodec.FRAMES.encode(b));
      driver.advanceWallClockTime(Duration.ofMillis(5));
    }
    frames.pipeInput("cam", new byte[] {9, 9, 9});
    List<SpikeEvent> events = spikes.readValuesToList();
    String[] names = {"a", "b", "c"};
    for (int j = 0; j < n; j++) {
      String name = names[j];
      List<Long> got =
          events.stream()
              .filter(e -> e.getNeuron().equals(name))
              .map(SpikeEvent::getSample)
              .collect(Collectors.toList());
      assertEquals(offline("threshold", rs[j].voltage()), got, name);
    }
    assertEquals(
        List.of("undecodable from " + Topics.FRAMES),
        dead.readValuesToList().stream()
            .map(d -> d.getReason() + " from " + d.getSourceTopic())
            .collect(Collectors.toList()));
  }

  static SpikeEvent spike() {
    return SpikeEvent.newBuilder()
        .setSession("s")
        .setNeuron("bad")
        .setSample(1)
        .setTimeMs(1)
        .setAcquiredAtUs(1)
        .setProbability(1)
        .setDetector("x")
        .setModelVersion("x")
        .setEmittedAtUs(1)
        .build();
  }

  @Test
  void olderChunkSchemaStillDecodes() throws Exception {
    org.apache.avro.Schema v1 =
        new org.apache.avro.Schema.Parser()
            .parse(getClass().getResourceAsStream("/schemas/old/VoltageChunk.v1.avsc"));
    org.apache.avro.generic.GenericRecord g = new org.apache.avro.generic.GenericData.Record(v1);
    g.put("session", "s");
    g.put("neuron", "n");
    g.put("first_sample", 0L);
    g.put("sample_rate_hz", 1000.0);
    g.put("acquired_at_us", 5L);
    g.put("samples", List.of(1f, 2f));
    var enc =
        new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
            org.apache.avro.generic.GenericData.get(), v1);
    java.nio.ByteBuffer b = enc.encode(g);
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    VoltageChunk c = AvroCodec.CHUNKS.decode(bytes);
    assertEquals(List.of(1f, 2f), new ArrayList<>(c.getSamples()));
    assertFalse(c.getEndOfSession(), "the new field takes its default");
  }
}
