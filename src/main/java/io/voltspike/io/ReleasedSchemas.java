package io.voltspike.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The released versions of an Avro schema, shipped as resources {@code
 * /schemas/old/[DIR/]NAME.vN.avsc} (N from 1 up): the decoders register them so that data written
 * by an earlier release still decodes, and the evolution tests check the current schema against
 * each.
 */
public final class ReleasedSchemas {
  private ReleasedSchemas() {}

  /**
   * @param folder the resource folder, e.g. {@code /schemas/old} or {@code /schemas/old/state}
   */
  public static List<Schema> of(String folder, String name) {
    List<Schema> out = new ArrayList<>();
    for (int v = 1; v < 100; v++) {
      String res = folder + "/" + name + ".v" + v + ".avsc";
      try (InputStream in = ReleasedSchemas.class.getResourceAsStream(res)) {
        if (in == null) {
          break;
        }
        out.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + res, e);
      }
    }
    return out;
  }
}
