package io.voltspike.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The durable format of a state kept in a changelog: Avro single-object encoding (a 2-byte marker,
 * the schema's 8-byte fingerprint, the binary datum) of its schema in {@code schemas/state/}. Every
 * released version of the schema is kept in {@code schemas/old/state/NAME.vN.avsc} and registered
 * with the decoder, so state written by an earlier release restores into this one (Avro schema
 * resolution); {@code StateSchemasTest} checks each stored version against the current one.
 */
public final class StateCodec<T extends SpecificRecord> {
  static {
    trustGeneratedClasses();
  }

  private final String name;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  /**
   * @param name the schema's name, which is also the stem of its old versions' files
   */
  public StateCodec(Schema schema, String name) {
    this.name = name;
    SpecificData model = SpecificData.getForSchema(schema);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    for (Schema old : oldVersions(name)) {
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

  public byte[] encode(T state) {
    try {
      ByteBuffer b = encoder.encode(state);
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes a stored state; one that no known version of the schema wrote is refused. */
  public T decode(byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new StateFormatException(
          name + " state was written with a schema this version does not know: " + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      throw new StateFormatException(name + " state is not readable: " + e, e);
    }
  }

  /** The released versions of a state schema, oldest first. */
  public static List<Schema> oldVersions(String name) {
    return ReleasedSchemas.of("/schemas/old/state", name);
  }
}
