package io.voltspike.stream;

import io.voltspike.detect.UnsupportedRateException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Neurons at a rate no detector can be built for (a frame rate outside what the model serves, a
 * detector that cannot be created): the first chunk is dead-lettered with the reason, later ones
 * are only counted ({@code refused_neuron}), never retried per chunk.
 */
final class RefusedNeurons {
  private final Map<String, String> refused = new HashMap<>();
  private final DeadLetters deadLetters;
  private final StreamStats stats;

  RefusedNeurons(DeadLetters deadLetters, StreamStats stats) {
    this.deadLetters = deadLetters;
    this.stats = stats;
  }

  /**
   * True, and counted, for a record of a neuron (or of a group of neurons) refused before at the
   * record's rate.
   */
  boolean refusedBefore(String key, double sampleRateHz) {
    if (refused.isEmpty() || !refused.containsKey(key(key, sampleRateHz))) {
      return false;
    }
    stats.bad(DeadLetterReason.REFUSED_NEURON);
    return true;
  }

  /** Refuses the record's key at its rate, dead-lettering this record with the reason. */
  void refuse(Record<String, byte[]> record, double sampleRateHz, RuntimeException e) {
    refused.put(key(record.key(), sampleRateHz), e.getMessage());
    if (e instanceof UnsupportedRateException) {
      deadLetters.record(
          record,
          DeadLetterReason.UNSUPPORTED_RATE,
          e.getMessage() + "; later chunks are counted only");
    } else {
      deadLetters.record(
          record,
          DeadLetterReason.DETECTOR_ERROR,
          "cannot create a detector: " + e.getMessage() + "; later chunks are counted only");
    }
  }

  private static String key(String key, double sampleRateHz) {
    return key + "@" + sampleRateHz;
  }
}
