package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.avro.DeadLetter;
import io.voltspike.avro.FrameBlock;
import io.voltspike.avro.SpikeEvent;
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
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Frame blocks, each a group of neurons processed as a unit: the spikes of per-neuron input. */
class GroupedInputTest {
  static final SharedModels MODELS = new SharedModels();

  @AfterAll
  static void closeModels() {
    MODELS.close();
  }

  final StreamStats stats = new StreamStats();
  final Detectors detectors = new Detectors(MODELS);
  TopologyTestDriver driver;
  TestInputTopic<String, byte[]> frames;
  TestOutputTopic<String, SpikeEvent> spikes;
  TestOutputTopic<String, DeadLetter> dead;

  void start(String detector, long sessionIdleMs) {
    StreamSettings s =
        StreamSettings.defaults()
            .withDetector(detector, DetectorOptions.defaults())
            .withSessionIdleMs(sessionIdleMs);
    Properties p = StreamSettings.streamsProperties("dummy:9092", "test", "eos", null);
    driver = new TopologyTestDriver(DetectorTopology.build(s, detectors, stats), p);
    frames =
        driver.createInputTopic(s.framesTopic(), new StringSerializer(), new ByteArraySerializer());
    spikes =
        driver.createOutputTopic(
            Topics.SPIKES, new StringDeserializer(), DetectorTopologyTest.SPIKE);
    dead =
        driver.createOutputTopic(
            Topics.DEAD_LETTER, new StringDeserializer(), DetectorTopologyTest.DEAD);
  }

  void start(String detector) {
    start(detector, StreamSettings.DEFAULT_SESSION_IDLE_MS);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  static List<Recording> neurons(int n, long seed) {
    List<Recording> out = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      Recording r =
          NeuronSimulator.simulate(
              "n" + j, TraceParams.of(Family.REGULAR, 6 + j, 1, 12, 1000), seed + j);
      out.add(r);
    }
    return out;
  }

  Map<String, List<Long>> offline(String detector, List<Recording> rs) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (Recording r : rs) {
      out.put(
          r.name(),
          OfflineDetection.run(detectors.create(detector, DetectorOptions.defaults()), r.voltage())
              .stream()
              .map(Spike::sample)
              .collect(Collectors.toList()));
    }
    return out;
  }

  /** Block k of every group in turn (groups of {@code perGroup} consecutive recordings). */
  static List<KeyValue<String, FrameBlock>> blocks(
      String session, List<Recording> rs, int perGroup, int frames, boolean end) {
    List<KeyValue<String, FrameBlock>> out = new ArrayList<>();
    int len = rs.get(0).length();
    for (int off = 0; off < len; off += frames) {
      int n = Math.min(frames, len - off);
      for (int g = 0; g * perGroup < rs.size(); g++) {
        List<Recording> group = rs.subList(g * perGroup, Math.min(rs.size(), (g + 1) * perGroup));
        out.add(
            KeyValue.pair(
                Replayer.groupKey(g),
                ChunkSplitter.block(session, group, off, n, 0, end && off + n >= len)));
      }
    }
    return out;
  }

  void send(KeyValue<String, FrameBlock> b) {
    frames.pipeInput(b.key, AvroCodec.FRAMES.encode(b.value));
    driver.advanceWallClockTime(Duration.ofMillis(5));
  }

  Map<String, List<Long>> spikesByNeuron() {
    Map<String, List<Long>> got = new TreeMap<>();
    for (SpikeEvent e : spikes.readValuesToList()) {
      got.computeIfAbsent(e.getNeuron(), k -> new ArrayList<>()).add(e.getSample());
    }
    return got;
  }

  @Test
  void everyGroupingGivesEachNeuronItsOfflineSpikes() {
    List<Recording> rs = neurons(4, 900);
    for (String det : new String[] {"unet", "matched"}) {
      Map<String, List<Long>> expected = offline(det, rs);
      assertTrue(expected.values().stream().allMatch(l -> l.size() > 5), expected.toString());
      for (int perGroup : new int[] {1, 3, 4}) {
        start(det);
        blocks("s", rs, perGroup, 10, true).forEach(this::send);
        assertEquals(expected, spikesByNeuron(), det + ", " + perGroup + " per group");
        assertTrue(dead.isEmpty(), dead.readValuesToList().toString());
        driver.close();
        driver = null;
      }
    }
  }

  @Test
  void aBlockIsOneStoredRecordAndTheGroupSnapshotsTogether() {
    start("unet");
    List<Recording> rs = neurons(3, 910);
    List<KeyValue<String, FrameBlock>> bs = blocks("s", rs, 3, 10, false);
    var store = driver.<String, byte[]>getKeyValueStore(Topics.GROUP_STATE_STORE);
    String group = LiveGroups.group(Replayer.groupKey(0), "s");
    frames.pipeInput(bs.get(0).key, AvroCodec.FRAMES.encode(bs.get(0).value));
    List<String> keys = new ArrayList<>();
    try (var it = store.all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    assertEquals(List.of(NeuronStore.groupInboxKey(group, 0)), keys, "one record per block");
    assertArrayEquals(
        AvroCodec.FRAMES.encode(bs.get(0).value), store.get(NeuronStore.groupInboxKey(group, 0)));
    driver.advanceWallClockTime(Duration.ofMillis(5));
    for (Recording r : rs) {
      assertTrue(
          store.get(NeuronStore.snapshotKey(NeuronStore.unit(r.name(), "s"))) != null,
          "every neuron of the group is snapshotted at once");
    }
    // the next block goes to the first slot again; the ring's end forces a group snapshot
    for (int i = 1; i <= NeuronStore.GROUP_INBOX_SLOTS + 1; i++) {
      frames.pipeInput(bs.get(i).key, AvroCodec.FRAMES.encode(bs.get(i).value));
    }
    int slots = NeuronStore.GROUP_INBOX_SLOTS;
    assertArrayEquals(
        AvroCodec.FRAMES.encode(bs.get(slots).value),
        store.get(NeuronStore.groupInboxKey(group, slots - 1)));
    String unit = NeuronStore.unit("n1", "s");
    assertEquals(
        (slots + 2) * 10L,
        NeuronSession.fromBytes(
                store.get(NeuronStore.snapshotKey(unit)),
                detectors.create("unet", DetectorOptions.defaults()))
            .nextSample(),
        "the forced snapshot covers the block that found the ring full");
    frames.pipeInput(bs.get(slots + 2).key, AvroCodec.FRAMES.encode(bs.get(slots + 2).value));
    assertArrayEquals(
        AvroCodec.FRAMES.encode(bs.get(slots + 2).value),
        store.get(NeuronStore.groupInboxKey(group, 0)));
  }

  @Test
  void groupStateMovedToAnotherInstanceContinuesExactly() {
    List<Recording> rs = neurons(3, 920);
    Map<String, List<Long>> expected = offline("unet", rs);
    List<KeyValue<String, FrameBlock>> bs = blocks("s", rs, 2, 10, true);
    int half = bs.size() / 2;
    start("unet");
    for (int i = 0; i < half - 9; i++) {
      send(bs.get(i));
    }
    for (int i = half - 9; i < half; i++) { // after the last snapshot: in the group inbox only
      frames.pipeInput(bs.get(i).key, AvroCodec.FRAMES.encode(bs.get(i).value));
    }
    Map<String, List<Long>> got = spikesByNeuron();
    List<KeyValue<String, byte[]>> saved = new ArrayList<>();
    try (var it = driver.<String, byte[]>getKeyValueStore(Topics.GROUP_STATE_STORE).all()) {
      it.forEachRemaining(saved::add);
    }
    driver.close();
    start("unet");
    var store = driver.<String, byte[]>getKeyValueStore(Topics.GROUP_STATE_STORE);
    saved.forEach(kv -> store.put(kv.key, kv.value));
    for (int i = half; i < bs.size(); i++) {
      frames.pipeInput(bs.get(i).key, AvroCodec.FRAMES.encode(bs.get(i).value));
    }
    driver.advanceWallClockTime(Duration.ofMillis(5));
    spikesByNeuron().forEach((k, v) -> got.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    assertEquals(expected, got);
    assertEquals(0, stats.gapSamples.sum(), "restored, not restarted");
  }

  @Test
  void endedGroupsLeaveOnlyEndMarkersAndALateBlockIsRefusedOnce() {
    start("threshold");
    List<Recording> day1 = neurons(3, 930);
    List<Recording> day2 = neurons(3, 940);
    blocks("day1", day1, 3, 10, true).forEach(this::send);
    blocks("day2", day2, 3, 10, true).forEach(this::send);
    driver.advanceWallClockTime(Duration.ofMillis(20));
    List<SpikeEvent> events = spikes.readValuesToList();
    for (String session : new String[] {"day1", "day2"}) {
      Map<String, List<Long>> got = new TreeMap<>();
      events.stream()
          .filter(e -> e.getSession().equals(session))
          .forEach(
              e -> got.computeIfAbsent(e.getNeuron(), k -> new ArrayList<>()).add(e.getSample()));
      assertEquals(offline("threshold", session.equals("day1") ? day1 : day2), got, session);
    }
    assertTrue(dead.isEmpty(), "a second session of the same group is not 'after_end'");
    var store = driver.<String, byte[]>getKeyValueStore(Topics.GROUP_STATE_STORE);
    try (var it = store.all()) {
      while (it.hasNext()) {
        String k = it.next().key;
        assertTrue(k.startsWith("E"), "left in the store: " + k.replace('\u0001', '/'));
      }
    }
    send(blocks("day1", day1, 3, 10, false).get(5));
    List<DeadLetter> letters = dead.readValuesToList();
    assertEquals(1, letters.size(), "one dead letter for the block, not one per neuron");
    assertEquals("after_end", letters.get(0).getReason());
  }

  @Test
  void anIdleGroupEndsItsSpikesAreOutAndItsBlocksAreDeleted() {
    start("threshold", 60_000);
    List<Recording> rs = neurons(2, 950);
    blocks("s", rs, 2, 10, false).forEach(this::send);
    driver.advanceWallClockTime(Duration.ofSeconds(70));
    assertEquals(offline("threshold", rs), spikesByNeuron(), "the expiry decided the last samples");
    var store = driver.<String, byte[]>getKeyValueStore(Topics.GROUP_STATE_STORE);
    String group = LiveGroups.group(Replayer.groupKey(0), "s");
    assertNull(store.get(NeuronStore.groupInboxKey(group, 0)));
    assertNull(store.get(NeuronStore.snapshotKey(NeuronStore.unit("n0", "s"))));
  }

  @Test
  void badBlocksAreDeadLetteredOnceAndTheGroupCarriesOn() {
    start("threshold");
    List<Recording> rs = neurons(2, 960);
    List<KeyValue<String, FrameBlock>> bs = blocks("s", rs, 2, 10, true);
    send(bs.get(0));
    frames.pipeInput(null, AvroCodec.FRAMES.encode(bs.get(1).value)); // no key
    frames.pipeInput("group-0000", new byte[] {1, 2, 3}); // garbage
    FrameBlock ragged = FrameBlock.newBuilder(bs.get(1).value).build();
    ragged.setSamples(new ArrayList<>(ragged.getSamples().subList(0, 5)));
    frames.pipeInput("group-0000", AvroCodec.FRAMES.encode(ragged));
    FrameBlock twice =
        FrameBlock.newBuilder(bs.get(1).value).setNeurons(List.of("n0", "n0")).build();
    frames.pipeInput("group-0000", AvroCodec.FRAMES.encode(twice));
    FrameBlock other =
        FrameBlock.newBuilder(bs.get(1).value).setNeurons(List.of("n0", "x")).build();
    frames.pipeInput("group-0000", AvroCodec.FRAMES.encode(other));
    FrameBlock faster = FrameBlock.newBuilder(bs.get(1).value).setSampleRateHz(2000).build();
    frames.pipeInput("group-0000", AvroCodec.FRAMES.encode(faster));
    send(bs.get(0)); // a duplicate: counted, not dead-lettered
    for (int i = 1; i < bs.size(); i++) {
      send(bs.get(i));
    }
    assertEquals(
        List.of(
            "missing_key",
            "undecodable",
            "wrong_shape",
            "wrong_shape",
            "wrong_shape",
            "rate_change"),
        dead.readValuesToList().stream().map(DeadLetter::getReason).collect(Collectors.toList()));
    assertEquals(offline("threshold", rs), spikesByNeuron());
  }

  @Test
  void aGroupAtAnUnservableRateIsDeadLetteredOnceAndOtherGroupsCarryOn() {
    start("unet");
    List<Recording> rs = neurons(2, 970);
    List<Recording> slow = new ArrayList<>();
    for (Recording r : rs) {
      slow.add(
          new Recording(
              "slow-" + r.name(),
              200,
              java.util.Arrays.copyOf(r.voltage(), 2000),
              null,
              r.metadata()));
    }
    List<KeyValue<String, FrameBlock>> good = blocks("s", rs, 2, 10, true);
    List<KeyValue<String, FrameBlock>> bad = new ArrayList<>();
    for (KeyValue<String, FrameBlock> b : blocks("s", slow, 2, 20, false)) {
      bad.add(KeyValue.pair("slow-group", b.value));
    }
    for (int i = 0; i < good.size(); i++) {
      if (i < bad.size()) {
        send(bad.get(i));
      }
      send(good.get(i));
    }
    List<DeadLetter> letters = dead.readValuesToList();
    assertEquals(1, letters.size(), "dead-lettered once: " + letters);
    assertEquals("unsupported_rate", letters.get(0).getReason());
    assertEquals(bad.size() - 1, stats.badCount(DeadLetterReason.REFUSED_NEURON));
    assertEquals(offline("unet", rs), spikesByNeuron());
  }
}
