package io.voltspike.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads one neuron from a CSV with header {@code time_ms,voltage[,spike]}.
 *
 * <p>The sample period is the median time step. Rows must be strictly increasing in time; a row
 * that skips whole periods leaves NaN (missing) samples in between. An empty voltage cell or {@code
 * NaN} is a missing sample; any other non-numeric cell is an error naming its line.
 */
public final class CsvTraceReader {
  private CsvTraceReader() {}

  public static Recording read(Path file) throws IOException {
    List<double[]> rows = new ArrayList<>();
    boolean hasSpike;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || header.isBlank()) {
        throw new RecordingFormatException(file, "line 1", "empty file, expected a header");
      }
      String[] cols = header.strip().toLowerCase(Locale.ROOT).split("\\s*,\\s*");
      hasSpike = cols.length == 3 && cols[2].equals("spike");
      boolean ok = cols.length >= 2 && cols[0].equals("time_ms") && cols[1].equals("voltage");
      if (!ok || (cols.length == 3 && !hasSpike) || cols.length > 3) {
        throw new RecordingFormatException(
            file,
            "line 1",
            "expected header 'time_ms,voltage' or 'time_ms,voltage,spike', found '"
                + header.strip()
                + "'");
      }
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (cells.length != cols.length) {
          throw new RecordingFormatException(
              file, "line " + lineNo, "expected " + cols.length + " cells, found " + cells.length);
        }
        double t = parse(file, lineNo, "time_ms", cells[0], false);
        double v = parse(file, lineNo, "voltage", cells[1], true);
        double s = 0;
        if (hasSpike) {
          s = parse(file, lineNo, "spike", cells[2], false);
          if (s != 0 && s != 1) {
            throw new RecordingFormatException(
                file, "line " + lineNo, "spike must be 0 or 1, found '" + cells[2].strip() + "'");
          }
        }
        if (!rows.isEmpty() && !(t > rows.get(rows.size() - 1)[0])) {
          throw new RecordingFormatException(
              file, "line " + lineNo, "time_ms " + cells[0].strip() + " does not increase");
        }
        rows.add(new double[] {t, v, s, lineNo});
      }
    }
    if (rows.isEmpty()) {
      throw new RecordingFormatException(file, "", "no samples after the header");
    }
    double periodMs = medianStep(rows);
    double rate = rows.size() > 1 ? 1000.0 / periodMs : ReadOptions.DEFAULT_SAMPLE_RATE_HZ;
    double t0 = rows.get(0)[0];
    double last = rows.get(rows.size() - 1)[0];
    int n = rows.size() > 1 ? (int) Math.round((last - t0) / periodMs) + 1 : 1;
    float[] v = new float[n];
    Arrays.fill(v, Float.NaN);
    List<Integer> spikes = new ArrayList<>();
    for (double[] row : rows) {
      double pos = rows.size() > 1 ? (row[0] - t0) / periodMs : 0;
      long idx = Math.round(pos);
      if (Math.abs(pos - idx) > 0.1) {
        throw new RecordingFormatException(
            file,
            "line " + (int) row[3],
            String.format(
                Locale.ROOT,
                "time_ms %.4f is off the %.4f ms sampling grid that starts at %.4f",
                row[0],
                periodMs,
                t0));
      }
      v[(int) idx] = (float) row[1];
      if (row[2] == 1) {
        spikes.add((int) idx);
      }
    }
    int[] truth = hasSpike ? spikes.stream().mapToInt(Integer::intValue).toArray() : null;
    return new Recording(Recordings.stem(file), rate, v, truth, null);
  }

  private static double medianStep(List<double[]> rows) {
    if (rows.size() < 2) {
      return 1000.0 / ReadOptions.DEFAULT_SAMPLE_RATE_HZ;
    }
    double[] d = new double[rows.size() - 1];
    for (int i = 1; i < rows.size(); i++) {
      d[i - 1] = rows.get(i)[0] - rows.get(i - 1)[0];
    }
    Arrays.sort(d);
    return d[d.length / 2];
  }

  private static double parse(Path file, int line, String col, String cell, boolean allowMissing)
      throws RecordingFormatException {
    String c = cell.strip();
    if (c.isEmpty() || c.equalsIgnoreCase("nan")) {
      if (allowMissing) {
        return Double.NaN;
      }
      throw new RecordingFormatException(file, "line " + line, col + " is empty");
    }
    try {
      double v = Double.parseDouble(c);
      if (!allowMissing && !Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new RecordingFormatException(
          file, "line " + line, col + " is not a number: '" + c + "'");
    }
  }
}
