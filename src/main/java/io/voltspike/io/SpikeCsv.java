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

/**
 * The detected-spikes CSV: {@code session,neuron,sample,time_ms,probability}, sample 0-based in the
 * recording's own frames. The session tells apart recordings of the same neuron ids; files without
 * the column ({@code neuron,sample,time_ms,probability}) are still read, as session "".
 */
public final class SpikeCsv {
  public static final String HEADER = "session,neuron,sample,time_ms,probability";
  static final String HEADER_WITHOUT_SESSION = "neuron,sample,time_ms,probability";

  private SpikeCsv() {}

  /** One row of the file. */
  public record Row(
      String session, String neuron, long sample, double timeMs, double probability) {}

  public static void write(Path file, List<Row> rows) throws IOException {
    AtomicFiles.writeText(
        file,
        w -> {
          w.write(HEADER + "\n");
          for (Row r : rows) {
            w.write(
                String.format(
                    Locale.ROOT,
                    "%s,%s,%d,%.3f,%.6f%n",
                    r.session(),
                    r.neuron(),
                    r.sample(),
                    r.timeMs(),
                    r.probability()));
          }
        });
  }

  public static List<Row> rows(
      String session, String neuron, double sampleRateHz, List<Spike> spikes) {
    List<Row> out = new ArrayList<>(spikes.size());
    for (Spike s : spikes) {
      out.add(new Row(session, neuron, s.sample(), s.sample() * 1000.0 / sampleRateHz, s.score()));
    }
    return out;
  }

  public static List<Row> read(Path file) throws IOException {
    List<Row> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      boolean withSession = header != null && header.strip().equals(HEADER);
      if (header == null || !(withSession || header.strip().equals(HEADER_WITHOUT_SESSION))) {
        throw new RecordingFormatException(file, "line 1", "expected header '" + HEADER + "'");
      }
      int cols = withSession ? 5 : 4;
      String line;
      int no = 1;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        String[] c = line.split(",", -1);
        if (c.length != cols) {
          throw new RecordingFormatException(
              file, "line " + no, "expected " + cols + " cells, found " + c.length);
        }
        int o = cols - 4;
        try {
          out.add(
              new Row(
                  withSession ? c[0] : "",
                  c[o],
                  Long.parseLong(c[o + 1].strip()),
                  Double.parseDouble(c[o + 2].strip()),
                  Double.parseDouble(c[o + 3].strip())));
        } catch (NumberFormatException e) {
          throw new RecordingFormatException(file, "line " + no, "not a number: " + e.getMessage());
        }
      }
    }
    return out;
  }
}
