package io.voltspike.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro single-object encoding (a 2-byte marker, the schema's 8-byte fingerprint, the binary datum)
 * of one generated record type, with every released version of its schema ({@link ReleasedSchemas})
 * registered with the decoder, so data written by an earlier release still decodes. The core of the
 * topics' codec and the state codec, which differ only in how they report what cannot be decoded.
 * Avro 1.12 refuses to instantiate classes it has not been told to trust; the generated package is
 * trusted here.
 */
public final class SingleObjectCodec<T extends SpecificRecord> {
  static {
    trustGeneratedClasses();
  }

  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  /**
   * @param releasedFolder the resource folder of the schema's released versions (see {@link
   *     ReleasedSchemas#of})
   * @param name the schema's name, the stem of its released versions' files
   */
  public SingleObjectCodec(Schema schema, String releasedFolder, String name) {
    SpecificData model = SpecificData.getForSchema(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    for (Schema old : ReleasedSchemas.of(releasedFolder, name)) {
      decoder.addSchema(old);
    }
  }

  /** Adds the generated package to Avro's trusted classes, keeping whatever else is trusted. */
  public static synchronized void trustGeneratedClasses() {
    ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        ClassSecurityValidator.composite(
            current, c -> c.getName().startsWith("io.voltspike.avro.")));
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

  /**
   * Decodes; Avro's own exceptions ({@code MissingSchemaException}, {@code BadHeaderException},
   * others) pass through for the caller to report in its terms.
   */
  public T decode(byte[] bytes) throws IOException {
    return decoder.decode(bytes);
  }
}
