package io.voltspike.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spike times from another source (a reference detector, electrophysiology): any CSV with a header
 * that has a {@code sample} column (0-based indices into the recording), such as VoltSpike's own
 * spikes CSV or {@code sample,time_ms}.
 */
public final class ReferenceSpikes {
  private ReferenceSpikes() {}

  public static int[] read(Path file) throws IOException {
    List<Integer> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null) {
        throw new RecordingFormatException(file, "line 1", "empty file, expected a header");
      }
      String[] cols = header.strip().toLowerCase(Locale.ROOT).split("\\s*,\\s*");
      int col = List.of(cols).indexOf("sample");
      if (col < 0) {
        throw new RecordingFormatException(
            file, "line 1", "expected a 'sample' column, found '" + header.strip() + "'");
      }
      String line;
      int no = 1;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        String[] c = line.split(",", -1);
        try {
          int s = (int) Double.parseDouble(c[col].strip());
          if (s < 0) {
            throw new RecordingFormatException(file, "line " + no, "negative sample " + s);
          }
          out.add(s);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          throw new RecordingFormatException(file, "line " + no, "no sample number");
        }
      }
    }
    return out.stream().mapToInt(Integer::intValue).sorted().toArray();
  }
}
