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

  private DetectorTopology() {}

  /**
   * @param detectors builds each neuron's detector
   * @param stats the counters the topology's processors update (one instance per app)
   */
  public static Topology build(StreamSettings s, Detectors detectors, StreamStats stats) {
    Topology t = new Topology();
    t.addSource(
        SOURCE,
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        s.samplesTopic());
    t.addProcessor(DETECTOR, () -> new DetectorProcessor(s, detectors, stats), SOURCE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(Topics.STATE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingEnabled(Map.of("cleanup.policy", "compact")),
        DETECTOR);
    t.addSink(
        DetectorProcessor.SPIKES_SINK,
        s.spikesTopic(),
        Serdes.String().serializer(),
        spikeSerializer(),
        DETECTOR);
    t.addSink(
        DetectorProcessor.DEAD_LETTER_SINK,
        s.deadLetterTopic(),
        Serdes.String().serializer(),
        deadLetterSerializer(),
        DETECTOR);
    // frame blocks: each record a group of neurons, processed as a unit with its own store
    DetectorProcessor.Input blocks = DetectorProcessor.Input.BLOCKS;
    t.addSource(
        FRAMES_SOURCE,
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        s.framesTopic());
    t.addProcessor(
        BLOCK_DETECTOR, () -> new DetectorProcessor(blocks, s, detectors, stats), FRAMES_SOURCE);
    t.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(Topics.GROUP_STATE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingEnabled(Map.of("cleanup.policy", "compact")),
        BLOCK_DETECTOR);
    t.addSink(
        blocks.spikesSink(),
        s.spikesTopic(),
        Serdes.String().serializer(),
        spikeSerializer(),
        BLOCK_DETECTOR);
    t.addSink(
        blocks.deadLetterSink(),
        s.deadLetterTopic(),
        Serdes.String().serializer(),
        deadLetterSerializer(),
        BLOCK_DETECTOR);
    return t;
  }

  static Serializer<Object> spikeSerializer() {
    return (topic, v) -> AvroCodec.SPIKES.encode((SpikeEvent) v);
  }

  static Serializer<Object> deadLetterSerializer() {
    return (topic, v) -> AvroCodec.DEAD_LETTERS.encode((DeadLetter) v);
  }
}
