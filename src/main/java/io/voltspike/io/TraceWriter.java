package io.voltspike.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jetbrains.bio.npy.NpyFile;

/** Writes traces as CSV ({@code time_ms,voltage[,spike]}) or NPY, atomically. */
public final class TraceWriter {
  private TraceWriter() {}

  /** CSV with a spike column when the recording has ground truth. */
  public static void writeCsv(Path file, Recording r) throws IOException {
    float[] labels = r.hasTruth() ? r.truthLabels() : null;
    double periodMs = 1000.0 / r.sampleRateHz();
    AtomicFiles.writeText(
        file,
        w -> {
          w.write(labels == null ? "time_ms,voltage\n" : "time_ms,voltage,spike\n");
          StringBuilder sb = new StringBuilder(32);
          float[] v = r.voltage();
          for (int i = 0; i < v.length; i++) {
            sb.setLength(0);
            sb.append(formatTime(i * periodMs)).append(',');
            if (!Float.isNaN(v[i])) {
              sb.append(v[i]);
            }
            if (labels != null) {
              sb.append(',').append(labels[i] == 1f ? '1' : '0');
            }
            sb.append('\n');
            w.write(sb.toString());
          }
        });
  }

  private static String formatTime(double ms) {
    long whole = Math.round(ms);
    if (Math.abs(ms - whole) < 1e-9) {
      return Long.toString(whole);
    }
    return String.format(Locale.ROOT, "%.6f", ms);
  }

  /**
   * NPY: the poster's {@code [3,T]} float64 layout (voltage, 0/1 labels, total count) when the
   * recording has ground truth, else {@code [T]} float32.
   */
  public static void writeNpy(Path file, Recording r) throws IOException {
    int t = r.length();
    if (r.hasTruth()) {
      double[] d = new double[3 * t];
      float[] labels = r.truthLabels();
      double count = 0;
      for (float l : labels) {
        count += l;
      }
      for (int i = 0; i < t; i++) {
        d[i] = r.voltage()[i];
        d[t + i] = labels[i];
        d[2 * t + i] = count;
      }
      AtomicFiles.write(file, tmp -> NpyFile.write(tmp, d, new int[] {3, t}));
    } else {
      AtomicFiles.write(file, tmp -> NpyFile.write(tmp, r.voltage(), new int[] {t}));
    }
  }
}
