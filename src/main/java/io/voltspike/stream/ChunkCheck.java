package io.voltspike.stream;

import io.voltspike.avro.VoltageChunk;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The checks a record passes before any neuron state is touched: keyed by a neuron, decodable, its
 * key the chunk's own neuron, a usable sample rate. A record that fails one is dead-lettered with
 * the reason and never reaches a detector.
 */
final class ChunkCheck {
  private ChunkCheck() {}

  /** The record's chunk, or the reason it cannot be used. */
  static VoltageChunk validate(Record<String, byte[]> record) throws BadRecordException {
    String key = record.key();
    if (key == null || key.isEmpty()) {
      throw new BadRecordException(
          DeadLetterReason.MISSING_KEY, "records must be keyed by neuron id");
    }
    VoltageChunk chunk = ChunkDecoder.decode(record.value());
    if (!key.equals(chunk.getNeuron())) {
      throw new BadRecordException(
          DeadLetterReason.KEY_MISMATCH,
          "record key '" + key + "' is not the chunk's neuron '" + chunk.getNeuron() + "'");
    }
    requireUsableRate(chunk.getSampleRateHz());
    return chunk;
  }

  /** A sample rate a detector can be asked for: positive and finite (of a chunk or a block). */
  static void requireUsableRate(double rateHz) throws BadRecordException {
    if (!(rateHz > 0) || !Double.isFinite(rateHz)) {
      throw new BadRecordException(
          DeadLetterReason.BAD_RATE, "sample_rate_hz must be > 0, was " + rateHz);
    }
  }

  /**
   * True for a chunk whose every sample is NaN, infinite or null: reported, then processed as
   * missing samples so the neuron's sample indices stay consistent.
   */
  static boolean allMissing(VoltageChunk chunk) {
    return allMissing(chunk.getSamples());
  }

  /** True for samples (of a chunk or a frame block) that are all NaN, infinite or null. */
  static boolean allMissing(java.util.List<Float> samples) {
    for (Float f : samples) {
      if (f != null && Float.isFinite(f)) {
        return false;
      }
    }
    return !samples.isEmpty();
  }

  /** The exception's class and message, for a dead letter. */
  static String describe(Throwable e) {
    return e.getClass().getName() + ": " + e.getMessage();
  }
}
