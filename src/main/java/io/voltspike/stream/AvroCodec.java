package io.voltspike.stream;

import io.voltspike.avro.DeadLetter;
import io.voltspike.avro.FrameBlock;
import io.voltspike.avro.SpikeEvent;
import io.voltspike.avro.VoltageChunk;
import io.voltspike.io.SingleObjectCodec;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topics' records in Avro single-object encoding ({@link SingleObjectCodec}), so no schema
 * registry is needed. Every older version of a schema kept in {@code schemas/old/} is registered
 * with the decoder, so records written with it still decode (schema evolution); what cannot be
 * decoded is a {@link BadRecordException} with the reason for the dead letter.
 */
public final class AvroCodec<T extends SpecificRecord> {
  public static final AvroCodec<VoltageChunk> CHUNKS =
      new AvroCodec<>(VoltageChunk.getClassSchema(), "VoltageChunk");
  public static final AvroCodec<SpikeEvent> SPIKES =
      new AvroCodec<>(SpikeEvent.getClassSchema(), "SpikeEvent");
  public static final AvroCodec<FrameBlock> FRAMES =
      new AvroCodec<>(FrameBlock.getClassSchema(), "FrameBlock");
  public static final AvroCodec<DeadLetter> DEAD_LETTERS =
      new AvroCodec<>(DeadLetter.getClassSchema(), "DeadLetter");

  private final SingleObjectCodec<T> codec;

  private AvroCodec(Schema schema, String name) {
    this.codec = new SingleObjectCodec<>(schema, "/schemas/old", name);
  }

  public byte[] encode(T value) {
    return codec.encode(value);
  }

  /** Decodes, or explains why not (wrong marker, unknown fingerprint, truncated datum). */
  public T decode(byte[] bytes) throws BadRecordException {
    if (bytes == null || bytes.length == 0) {
      throw new BadRecordException(DeadLetterReason.UNDECODABLE, "empty value");
    }
    try {
      return codec.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new BadRecordException(
          DeadLetterReason.UNKNOWN_SCHEMA, "unknown schema fingerprint: " + e.getMessage());
    } catch (BadHeaderException e) {
      throw new BadRecordException(
          DeadLetterReason.UNDECODABLE, "not Avro single-object encoded: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new BadRecordException(DeadLetterReason.UNDECODABLE, "corrupt Avro datum: " + e);
    }
  }
}
