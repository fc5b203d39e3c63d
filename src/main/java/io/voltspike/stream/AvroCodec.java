package io.voltspike.stream;

import io.voltspike.avro.DeadLetter;
import io.voltspike.avro.FrameBlock;
import io.voltspike.avro.SpikeEvent;
import io.voltspike.avro.VoltageChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (a 2-byte marker, the schema's 8-byte fingerprint, then the binary
 * datum), so no schema registry is needed. Every older version of a schema kept in {@code
 * schemas/old/} is registered with the decoder, so records written with it still decode (schema
 * evolution). Avro 1.12 refuses to instantiate classes it has not been told to trust; the generated
 * package is trusted here.
 */
public final class AvroCodec<T extends SpecificRecord> {
  static {
    trustGeneratedClasses();
  }

  /** Adds the generated package to Avro's trusted classes, keeping whatever else is trusted. */
  public static void trustGeneratedClasses() {
    io.voltspike.io.StateCodec.trustGeneratedClasses();
  }

  public static final AvroCodec<VoltageChunk> CHUNKS =
      new AvroCodec<>(VoltageChunk.getClassSchema(), "VoltageChunk");
  public static final AvroCodec<SpikeEvent> SPIKES =
      new AvroCodec<>(SpikeEvent.getClassSchema(), "SpikeEvent");
  public static final AvroCodec<FrameBlock> FRAMES =
      new AvroCodec<>(FrameBlock.getClassSchema(), "FrameBlock");
  public static final AvroCodec<DeadLetter> DEAD_LETTERS =
      new AvroCodec<>(DeadLetter.getClassSchema(), "DeadLetter");

  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private AvroCodec(Schema schema, String name) {
    SpecificData model = SpecificData.getForSchema(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    for (Schema old : OldSchemas.of(name)) {
      decoder.addSchema(old);
    }
  }

  public byte[] encode(T value) {
    try {
      ByteBuffer b = encoder.encode(value);
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes, or explains why not (wrong marker, unknown fingerprint, truncated datum). */
  public T decode(byte[] bytes) throws BadRecordException {
    if (bytes == null || bytes.length == 0) {
      throw new BadRecordException("undecodable", "empty value");
    }
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new BadRecordException(
          "unknown_schema", "unknown schema fingerprint: " + e.getMessage());
    } catch (BadHeaderException e) {
      throw new BadRecordException(
          "undecodable", "not Avro single-object encoded: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new BadRecordException("undecodable", "corrupt Avro datum: " + e);
    }
  }

  /** The older schema versions shipped as resources under {@code schemas/old/}. */
  static final class OldSchemas {
    private OldSchemas() {}

    static java.util.List<Schema> of(String name) {
      return io.voltspike.io.ReleasedSchemas.of("/schemas/old", name);
    }
  }
}
