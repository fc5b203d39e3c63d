package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.avro.SpikeEvent;
import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.OfflineDetection;
import io.voltspike.detect.PeakSign;
import io.voltspike.detect.Spike;
import io.voltspike.io.Recording;
import io.voltspike.model.SharedModels;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.Preset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real (embedded) Kafka broker: the stream gives exactly the offline spikes. */
class StreamParityIT {
  /** This class's own model sessions and detector registry, closed after its tests. */
  static final SharedModels MODELS = new SharedModels();

  static final Detectors DETECTORS = new Detectors(MODELS);

  @org.junit.jupiter.api.AfterAll
  static void closeModels() {
    MODELS.close();
  }

  @TempDir static Path dir;
  static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  /** n of the bench's traces, 20 s each, spread over its SNR range (2-10) and families. */
  /** {@code n} bench recordings of one polarity, spread over the preset's families and SNRs. */
  static List<Recording> benchRecordings(int n, int polarity) {
    List<Preset.Spec> all =
        Preset.BENCH.specs(null, 20.0, null, 1000).stream()
            .filter(s -> s.params().polarity() == polarity)
            .toList();
    List<Recording> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Preset.Spec s = all.get(i * all.size() / n);
      out.add(NeuronSimulator.simulate(s.name(), s.params(), s.seed()));
    }
    return out;
  }

  static Map<String, List<Long>> offline(List<Recording> recs) {
    return offline(recs, DETECTORS);
  }

  /** Each recording's spikes from the offline detector, at its polarity, by recording name. */
  static Map<String, List<Long>> offline(List<Recording> recs, Detectors detectors) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (Recording r : recs) {
      DetectorOptions o =
          DetectorOptions.defaults().withPeakSign(PeakSign.parse(r.metadata().get("peak_sign")));
      out.put(
          r.name(),
          OfflineDetection.run(detectors.create("unet", o), r.voltage()).stream()
              .map(Spike::sample)
              .collect(Collectors.toList()));
    }
    return out;
  }

  static StreamSettings settings(String suffix, PeakSign sign) {
    StreamSettings d = StreamSettings.defaults();
    return new StreamSettings(
        "samples-" + suffix,
        "spikes-" + suffix,
        "dead-" + suffix,
        "unet",
        DetectorOptions.defaults().withPeakSign(sign),
        5,
        "it",
        StreamSettings.DEFAULT_SESSION_IDLE_MS);
  }

  static Map<String, List<Long>> collect(SpikeFollower f, int expected, Duration timeout) {
    return collect(f, expected, timeout, SpikeEvent::getNeuron);
  }

  /** The spike samples read within {@code timeout}, by {@code key} of the event. */
  static Map<String, List<Long>> collect(
      SpikeFollower f,
      int expected,
      Duration timeout,
      java.util.function.Function<SpikeEvent, String> key) {
    Map<String, List<Long>> got = new TreeMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    int[] count = {0};
    while (System.nanoTime() < deadline && count[0] < expected) {
      f.poll(
          Duration.ofMillis(200),
          (SpikeEvent e) -> {
            got.computeIfAbsent(key.apply(e), k -> new ArrayList<>()).add(e.getSample());
            count[0]++;
          });
    }
    // a little longer: duplicates would show up here
    long extra = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() < extra) {
      f.poll(
          Duration.ofMillis(200),
          (SpikeEvent e) ->
              got.computeIfAbsent(key.apply(e), k -> new ArrayList<>()).add(e.getSample()));
    }
    return got;
  }

  /** An exactly-once detector app on the test broker, two stream threads, its own state dir. */
  static DetectorApp start(StreamSettings s, String appId, String stateDir) {
    Properties p = StreamSettings.streamsProperties(broker.bootstrapServers(), appId, "eos", null);
    return DetectorApp.start(
        s,
        DetectorTopology.build(s, DETECTORS, new StreamStats()),
        p,
        dir.resolve(stateDir),
        2,
        Duration.ofSeconds(60));
  }

  @Test
  void replayedBenchRecordingsGiveExactlyTheOfflineSpikes() {
    // one polarity per app (the detector's peak_sign is a job setting)
    List<Recording> recs = benchRecordings(10, 1);
    Map<String, List<Long>> expected = offline(recs);
    int total = expected.values().stream().mapToInt(List::size).sum();
    StreamSettings s = settings("parity", PeakSign.POS);
    try (DetectorApp app = start(s, "parity-app", "state1");
        Replayer rp = new Replayer(broker.bootstrapServers(), s.samplesTopic(), null);
        SpikeFollower f =
            new SpikeFollower(broker.bootstrapServers(), s.spikesTopic(), false, null)) {
      rp.replay("it", recs, 10, 0, 0, true, n -> {});
      Map<String, List<Long>> got = collect(f, total, Duration.ofSeconds(90));
      assertEquals(expected, got);
      assertTrue(total > 100, "" + total);
    }
  }

  @Test
  void frameBlocksAtEveryGroupingGiveExactlyTheOfflineSpikes() {
    List<Recording> recs = benchRecordings(6, 1);
    Map<String, List<Long>> offline = offline(recs);
    Map<String, List<Long>> expected = new TreeMap<>();
    int[] groupings = {1, 4, 6};
    for (int g : groupings) {
      offline.forEach((neuron, spikes) -> expected.put("g" + g + "/" + neuron, spikes));
    }
    int total = expected.values().stream().mapToInt(List::size).sum();
    StreamSettings s = settings("grouped", PeakSign.POS);
    try (DetectorApp app = start(s, "grouped-app", "state-grouped");
        SpikeFollower f =
            new SpikeFollower(broker.bootstrapServers(), s.spikesTopic(), false, null)) {
      for (int g : groupings) {
        try (Replayer rp = Replayer.grouped(broker.bootstrapServers(), s.framesTopic(), null, g)) {
          rp.replay("g" + g, recs, 10, 0, 0, true, n -> {});
        }
      }
      Map<String, List<Long>> got =
          collect(f, total, Duration.ofSeconds(90), e -> e.getSession() + "/" + e.getNeuron());
      assertEquals(expected, got);
    }
  }

  @Test
  void aCalibratedUNetGivesTheOfflineSpikesChunkedAndGrouped() {
    // windows that could matter also run sign-flipped, and windows kept back wait with samples:
    // both copies travel in the stream's batches, per-neuron and for a group of neurons alike
    assertChunkedAndGroupedMatchOffline(
        "calibrated",
        benchRecordings(4, 1),
        DetectorOptions.defaults()
            .withPeakSign(PeakSign.POS)
            .withOperatingPoint(io.voltspike.detect.OperatingPoint.CLOSED_LOOP),
        4);
  }

  @Test
  void theAveragedModelGivesTheOfflineSpikesChunkedAndGrouped() {
    // models/voltspike-unet-ensemble.onnx: one graph, two networks; at the default operating
    // point, so its windows also run sign-flipped
    DetectorOptions d = DetectorOptions.defaults().withPeakSign(PeakSign.POS);
    assertChunkedAndGroupedMatchOffline(
        "averaged",
        benchRecordings(3, 1),
        d.withUnet(
            d.unet().withModel(java.nio.file.Path.of("models/voltspike-unet-ensemble.onnx"))),
        3);
  }

  /**
   * The recordings replayed as per-neuron chunks (session "c") and as frame blocks of {@code group}
   * neurons (session "g" + group) through one app running {@code o} give each neuron the offline
   * detector's spikes.
   */
  static void assertChunkedAndGroupedMatchOffline(
      String name, List<Recording> recs, DetectorOptions o, int group) {
    Map<String, List<Long>> expected = new TreeMap<>();
    for (Recording r : recs) {
      List<Long> spikes =
          OfflineDetection.run(DETECTORS.create("unet", o), r.voltage()).stream()
              .map(Spike::sample)
              .collect(Collectors.toList());
      expected.put("c/" + r.name(), spikes);
      expected.put("g" + group + "/" + r.name(), spikes);
    }
    int total = expected.values().stream().mapToInt(List::size).sum();
    assertTrue(total > 50, "spikes: " + total);
    StreamSettings s = settings(name, PeakSign.POS).withDetector("unet", o);
    try (DetectorApp app = start(s, name + "-app", "state-" + name);
        SpikeFollower f =
            new SpikeFollower(broker.bootstrapServers(), s.spikesTopic(), false, null)) {
      try (Replayer rp = new Replayer(broker.bootstrapServers(), s.samplesTopic(), null)) {
        rp.replay("c", recs, 10, 0, 0, true, n -> {});
      }
      try (Replayer rp =
          Replayer.grouped(broker.bootstrapServers(), s.framesTopic(), null, group)) {
        rp.replay("g" + group, recs, 10, 0, 0, true, n -> {});
      }
      Map<String, List<Long>> got =
          collect(f, total, Duration.ofSeconds(90), e -> e.getSession() + "/" + e.getNeuron());
      assertEquals(expected, got);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0} neurons per record (0: chunks)")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 3})
  void restartMidStreamLosesAndDuplicatesNothing(int groupNeurons) {
    List<Recording> recs = benchRecordings(6, -1);
    Map<String, List<Long>> expected = offline(recs);
    int total = expected.values().stream().mapToInt(List::size).sum();
    assertTrue(total > 50, "spikes: " + total);
    String suffix = "restart" + groupNeurons;
    StreamSettings s = settings(suffix, PeakSign.NEG);
    Properties p =
        StreamSettings.streamsProperties(broker.bootstrapServers(), suffix + "-app", "eos", null);
    List<Recording> firstHalf = new ArrayList<>();
    List<Recording> secondHalf = new ArrayList<>();
    for (Recording r : recs) {
      int half = r.length() / 2;
      firstHalf.add(
          new Recording(
              r.name(),
              r.sampleRateHz(),
              java.util.Arrays.copyOf(r.voltage(), half),
              null,
              r.metadata()));
      secondHalf.add(r);
    }
    try (Replayer rp =
            groupNeurons == 0
                ? new Replayer(broker.bootstrapServers(), s.samplesTopic(), null)
                : Replayer.grouped(broker.bootstrapServers(), s.framesTopic(), null, groupNeurons);
        SpikeFollower f =
            new SpikeFollower(broker.bootstrapServers(), s.spikesTopic(), false, null)) {
      StreamStats first = new StreamStats();
      try (DetectorApp app =
          DetectorApp.start(
              s,
              DetectorTopology.build(s, DETECTORS, first),
              p,
              dir.resolve("state-a" + groupNeurons),
              2,
              Duration.ofSeconds(60))) {
        rp.replay("it", firstHalf, 10, 0, 0, false, n -> {});
        DetectorApp.sleep(3000);
      }
      assertChangelogConfig(suffix + "-app-" + Topics.STATE_STORE + "-changelog");
      assertChangelogConfig(suffix + "-app-" + Topics.GROUP_STATE_STORE + "-changelog");
      // a fresh instance with an empty state directory: state comes back from the changelog
      StreamStats second = new StreamStats();
      try (DetectorApp app =
          DetectorApp.start(
              s,
              DetectorTopology.build(s, DETECTORS, second),
              p,
              dir.resolve("state-b" + groupNeurons),
              2,
              Duration.ofSeconds(60))) {
        // the second half: the rest of each recording (chunks from the middle on)
        List<Recording> rest = new ArrayList<>();
        for (Recording r : secondHalf) {
          rest.add(r);
        }
        rp.replayFrom("it", rest, 10, r -> r.length() / 2, 0, true);
        Map<String, List<Long>> got = collect(f, total, Duration.ofSeconds(90));
        assertTrue(second.chunks.sum() > 0, "the second instance took the second half");
        assertEquals(0, second.gapSamples.sum(), "state was restored, not restarted");
        assertEquals(expected, got);
      }
    }
  }

  /** The changelog Kafka Streams created is compacted, in the topology's small segments. */
  static void assertChangelogConfig(String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
      assertEquals("compact", c.get("cleanup.policy").value(), topic);
      assertEquals("67108864", c.get("segment.bytes").value(), topic); // 64 MiB
    } catch (Exception e) {
      throw new AssertionError("describing " + topic + ": " + e, e);
    }
  }
}
