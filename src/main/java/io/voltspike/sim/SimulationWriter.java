package io.voltspike.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.voltspike.io.AtomicFiles;
import io.voltspike.io.Recording;
import io.voltspike.io.Recordings;
import io.voltspike.io.TraceWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** Simulates a list of traces into a directory: one file each plus {@code manifest.json}. */
public final class SimulationWriter {
  /** Output file format. */
  public enum Format {
    CSV,
    NPY;

    public static Format parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown format '" + s + "'; valid values: csv, npy");
      }
    }
  }

  private SimulationWriter() {}

  /**
   * @param onTrace called after each trace is written (progress)
   * @return the written recordings' names
   */
  public static List<String> write(
      Path dir,
      List<Preset.Spec> specs,
      Format format,
      Map<String, String> overrides,
      Map<String, Object> header,
      Consumer<Recording> onTrace)
      throws IOException {
    List<Map<String, Object>> entries = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Preset.Spec spec : specs) {
      TraceParams params = spec.params().with(overrides);
      Recording r = NeuronSimulator.simulate(spec.name(), params, spec.seed());
      String ext = format == Format.CSV ? ".csv" : ".npy";
      Path file = dir.resolve(spec.name() + ext);
      if (format == Format.CSV) {
        TraceWriter.writeCsv(file, r);
      } else {
        TraceWriter.writeNpy(file, r);
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", spec.name());
      e.put("file", file.getFileName().toString());
      e.put("seed", spec.seed());
      e.put("spikes", r.truth().length);
      e.put("peak_sign", params.polarity() > 0 ? "pos" : "neg");
      e.putAll(params.asMap());
      entries.add(e);
      names.add(spec.name());
      onTrace.accept(r);
    }
    Map<String, Object> root = new LinkedHashMap<>(header);
    root.put("traces", entries);
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    AtomicFiles.writeText(dir.resolve(Recordings.MANIFEST), w -> om.writeValue(w, root));
    return names;
  }
}
