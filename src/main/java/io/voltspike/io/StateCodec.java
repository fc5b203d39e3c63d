package io.voltspike.io;

import java.io.IOException;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecord;

/**
 * The durable format of a state kept in a changelog: Avro single-object encoding ({@link
 * SingleObjectCodec}) of its schema in {@code schemas/state/}. Every released version of the schema
 * is kept in {@code schemas/old/state/NAME.vN.avsc} and registered with the decoder, so state
 * written by an earlier release restores into this one (Avro schema resolution); {@code
 * StateSchemasTest} checks each stored version against the current one.
 */
public final class StateCodec<T extends SpecificRecord> {
  private static final String RELEASED = "/schemas/old/state";

  private final String name;
  private final SingleObjectCodec<T> codec;

  /**
   * @param name the schema's name, which is also the stem of its old versions' files
   */
  public StateCodec(Schema schema, String name) {
    this.name = name;
    this.codec = new SingleObjectCodec<>(schema, RELEASED, name);
  }

  public byte[] encode(T state) {
    return codec.encode(state);
  }

  /** Decodes a stored state; one that no known version of the schema wrote is refused. */
  public T decode(byte[] bytes) {
    try {
      return codec.decode(bytes);
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
    return ReleasedSchemas.of(RELEASED, name);
  }
}
