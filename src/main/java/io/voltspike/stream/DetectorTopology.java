package io.voltspike.stream;

import io.voltspike.avro.DeadLetter;
import io.voltspike.avro.SpikeEvent;
import io.voltspike.detect.Detectors;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the detector topology: per-neuron chunks -> detector (+ neuron store) -> spikes, and
 * beside it frame blocks -> the same detector step reading a group of neurons per record (+ group
 * store) -> spikes. The two are separate sub-topologies, so the topics need not be co-partitioned.
 */
public final class DetectorTopology {
  public static final String SOURCE = "samples-source";
  public static final String DETECTOR = "detector";
  public static final String FRAMES_SOURCE = "frames-source";
  public static final String BLOCK_DETECTOR = "block-detector";

  /**
   * The stores' changelog topics: compacted, in 64 MiB segments instead of the broker's 1 GiB. The
   * snapshots alone are about 9 KiB per neuron per second, so at 1,000 neurons a changelog
   * partition fills a 1 GiB segment in minutes and holds it uncompacted until it rolls (every byte
   * of it read back by a restore), and then the broker's cleaner compacts the whole GiB in one go:
   * seconds of a core. Small segments keep the changelog near its compacted size and spread the
   * cleaning out. Applied when Kafka Streams creates the topic.
   */
  public static final Map<String, String> CHANGELOG_CONFIG =
      Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(64 << 20));

  private DetectorTopology() {}

  /**
   * @param detectors builds each neuron's detector
   * @param stats the counters the topology's processors update (one instance per app)
   */
  public static Topology build(StreamSettings s, Detectors detectors, StreamStats stats) {
    Topology t = new Topology();
    DetectorProcessor.Input chunks = DetectorProcessor.Input.CHUNKS;
    addDetector(
        t, SOURCE, s.samplesTopic(), DETECTOR, chunks, Topics.STATE_STORE, s, detectors, stats);
    // frame blocks: each record a group of neurons, processed as a unit with its own store
    DetectorProcessor.Input blocks = DetectorProcessor.Input.BLOCKS;
    addDetector(
        t,
        FRAMES_SOURCE,
        s.framesTopic(),
        BLOCK_DETECTOR,
        blocks,
        Topics.GROUP_STATE_STORE,
        s,
        detectors,
        stats);
    return t;
  }

  /** One input topic -> the detector step with its changelogged store -> spikes, dead letters. */
  private static void addDetector(
      Topology t,
      String source,
      String topic,
      String name,
      DetectorProcessor.Input input,
      String store,
      StreamSettings s,
      Detectors detectors,
      StreamStats stats) {
    t.addSource(source, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic);
    t.addProcessor(name, () -> new DetectorProcessor(input, s, detectors, stats), source);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
            .withLoggingEnabled(CHANGELOG_CONFIG),
        name);
    t.addSink(
        input.spikesSink(), s.spikesTopic(), Serdes.String().serializer(), spikeSerializer(), name);
    t.addSink(
        input.deadLetterSink(),
        s.deadLetterTopic(),
        Serdes.String().serializer(),
        deadLetterSerializer(),
        name);
  }

  static Serializer<Object> spikeSerializer() {
    return (topic, v) -> AvroCodec.SPIKES.encode((SpikeEvent) v);
  }

  static Serializer<Object> deadLetterSerializer() {
    return (topic, v) -> AvroCodec.DEAD_LETTERS.encode((DeadLetter) v);
  }
}
