package io.voltspike.io;

import io.voltspike.detect.Spike;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The detected-spikes CSV: {@code neuron,sample,time_ms,probability}, sample 0-based. */
public final class SpikeCsv {
  public static final String HEADER = "neuron,sample,time_ms,probability";

  private SpikeCsv() {}

  /** One row of the file. */
  public record Row(String neuron, long sample, double timeMs, double probability) {}

  public static void write(Path file, List<Row> rows) throws IOException {
    AtomicFiles.writeText(
        file,
        w -> {
          w.write(HEADER + "\n");
          for (Row r : rows) {
            w.write(
                String.format(
                    Locale.ROOT,
                    "%s,%d,%.3f,%.6f%n",
                    r.neuron(),
                    r.sample(),
                    r.timeMs(),
                    r.probability()));
          }
        });
  }

  public static List<Row> rows(String neuron, double sampleRateHz, List<Spike> spikes) {
    List<Row> out = new ArrayList<>(spikes.size());
    for (Spike s : spikes) {
      out.add(new Row(neuron, s.sample(), s.sample() * 1000.0 / sampleRateHz, s.score()));
    }
    return out;
  }

  public static List<Row> read(Path file) throws IOException {
    List<Row> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || !header.strip().equals(HEADER)) {
        throw new RecordingFormatException(file, "line 1", "expected header '" + HEADER + "'");
      }
      String line;
      int no = 1;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        String[] c = line.split(",", -1);
        if (c.length != 4) {
          throw new RecordingFormatException(
              file, "line " + no, "expected 4 cells, found " + c.length);
        }
        try {
          out.add(
              new Row(
                  c[0],
                  Long.parseLong(c[1].strip()),
                  Double.parseDouble(c[2].strip()),
                  Double.parseDouble(c[3].strip())));
        } catch (NumberFormatException e) {
          throw new RecordingFormatException(file, "line " + no, "not a number: " + e.getMessage());
        }
      }
    }
    return out;
  }
}
