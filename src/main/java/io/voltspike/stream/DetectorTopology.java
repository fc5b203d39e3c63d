package io.voltspike.stream;

import io.voltspike.avro.DeadLetter;
import io.voltspike.avro.SpikeEvent;
import io.voltspike.detect.Detectors;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/** Builds the detector topology: samples -> per-neuron detector (+ state store) -> spikes. */
public final class DetectorTopology {
  public static final String SOURCE = "samples-source";
  public static final String DETECTOR = "detector";

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
    // frame blocks -> per-neuron chunks on the samples topic (re-keyed and repartitioned there)
    t.addSource(
        "frames-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        s.framesTopic());
    t.addProcessor(
        "frame-splitter", () -> new FrameSplitter(s.framesTopic(), stats), "frames-source");
    t.addSink(
        FrameSplitter.CHUNKS_SINK,
        s.samplesTopic(),
        Serdes.String().serializer(),
        (topic, v) -> (byte[]) v,
        "frame-splitter");
    t.addSink(
        DetectorProcessor.DEAD_LETTER_SINK + "-frames",
        s.deadLetterTopic(),
        Serdes.String().serializer(),
        deadLetterSerializer(),
        "frame-splitter");
    return t;
  }

  static Serializer<Object> spikeSerializer() {
    return (topic, v) -> AvroCodec.SPIKES.encode((SpikeEvent) v);
  }

  static Serializer<Object> deadLetterSerializer() {
    return (topic, v) -> AvroCodec.DEAD_LETTERS.encode((DeadLetter) v);
  }
}
