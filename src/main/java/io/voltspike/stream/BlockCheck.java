package io.voltspike.stream;

import io.voltspike.avro.FrameBlock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The checks a frame block passes before any neuron state is touched: keyed (by its group),
 * decodable, a whole number of frames of distinct, usable neuron ids, a usable sample rate. A block
 * that fails one is dead-lettered with the reason and reaches no detector.
 */
final class BlockCheck {
  private BlockCheck() {}

  /** The record's block, or the reason it cannot be used. */
  static FrameBlock validate(Record<String, byte[]> record) throws BadRecordException {
    String key = record.key();
    if (key == null || key.isEmpty()) {
      throw new BadRecordException(
          DeadLetterReason.MISSING_KEY,
          "frame blocks must be keyed by their group (e.g. camera or camera/group id)");
    }
    FrameBlock b = AvroCodec.FRAMES.decode(record.value());
    List<String> neurons = b.getNeurons();
    int n = neurons.size();
    int total = b.getSamples().size();
    if (n == 0 || total % n != 0) {
      throw new BadRecordException(
          DeadLetterReason.WRONG_SHAPE,
          total + " samples are not a whole number of frames of " + n + " neurons");
    }
    Set<String> seen = new HashSet<>(n * 2);
    for (String id : neurons) {
      if (id.isEmpty() || id.indexOf(NeuronStore.UNIT_SEP) >= 0 || !seen.add(id)) {
        throw new BadRecordException(
            DeadLetterReason.WRONG_SHAPE,
            "neuron id '" + id + "' is empty, repeated in the block, or holds a control character");
      }
    }
    ChunkCheck.requireUsableRate(b.getSampleRateHz());
    return b;
  }
}
