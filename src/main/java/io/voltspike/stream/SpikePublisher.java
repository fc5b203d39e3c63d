package io.voltspike.stream;

import io.voltspike.avro.SpikeEvent;
import io.voltspike.detect.Spike;
import io.voltspike.detect.SpikeDetector;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Turns a session's decided spikes into spike events, each once: a spike at or before the unit's
 * published mark went out before a restart and is skipped, and the mark (in the store, in the same
 * transaction as the events) moves with what is sent.
 */
final class SpikePublisher {
  private final ProcessorContext<String, Object> context;
  private final NeuronStore store;
  private final StreamStats stats;
  private final String sink;
  private final String detectorVersion;

  /**
   * @param detectorVersion stamped on events of detectors without a model
   */
  SpikePublisher(
      ProcessorContext<String, Object> context,
      NeuronStore store,
      StreamStats stats,
      String sink,
      String detectorVersion) {
    this.context = context;
    this.store = store;
    this.stats = stats;
    this.sink = sink;
    this.detectorVersion = detectorVersion;
  }

  /** Publishes the unit's outbox and empties it. */
  void publish(String unit, NeuronSession s, long nowMs) {
    String neuron = NeuronStore.neuronOf(unit);
    List<Spike> out = s.outbox();
    long last = s.publishedUpTo();
    for (Spike sp : out) {
      if (sp.sample() <= s.publishedUpTo()) {
        continue; // published before a restart
      }
      SpikeEvent ev = event(neuron, s, sp, nowMs);
      context.forward(new Record<String, Object>(neuron, ev, nowMs), sink);
      stats.spike(neuron, nowMs * 1000 - ev.getAcquiredAtUs());
      last = sp.sample();
    }
    out.clear();
    if (last > s.publishedUpTo()) {
      s.publishedUpTo(last);
      store.published(unit, last);
    }
  }

  private SpikeEvent event(String neuron, NeuronSession s, Spike sp, long nowMs) {
    SpikeDetector d = s.detector();
    return SpikeEvent.newBuilder()
        .setSession(s.session())
        .setNeuron(neuron)
        .setSample(sp.sample())
        .setTimeMs(sp.sample() * 1000.0 / s.sampleRateHz())
        .setAcquiredAtUs(s.acquiredAtUs(sp.sample()))
        .setProbability(sp.score())
        .setDetector(d.name())
        .setModelVersion(d.model() != null ? d.model().version() : detectorVersion)
        .setEmittedAtUs(nowMs * 1000)
        .build();
  }
}
