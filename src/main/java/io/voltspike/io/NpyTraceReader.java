package io.voltspike.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jetbrains.bio.npy.NpyArray;
import org.jetbrains.bio.npy.NpyFile;

/**
 * Reads NPY traces: {@code [T]} (one neuron), {@code [N,T]} (N neurons) or the research poster's
 * three-row layout {@code [3,T]}: row 0 voltage, row 1 0/1 spike labels, row 2 the total spike
 * count. A {@code [3,T]} array is taken as the poster layout when row 1 holds only 0 and 1 and row
 * 2 holds that row's sum (everywhere, or in its first cell with zeros after); otherwise it is three
 * neurons. NPY carries no timing: the sample rate comes from {@link ReadOptions}.
 */
public final class NpyTraceReader {
  private NpyTraceReader() {}

  /** The reader's message with the file's own bytes (quoted in it) shown as '?' if unprintable. */
  private static String printable(String message) {
    return String.valueOf(message).replaceAll("[^\\x20-\\x7E]", "?");
  }

  public static List<Recording> read(Path file, ReadOptions options) throws IOException {
    NpyArray arr;
    try {
      arr = NpyFile.read(file, Integer.MAX_VALUE);
    } catch (RuntimeException e) {
      throw new RecordingFormatException(
          file, "header", "not a readable NPY array (" + printable(e.getMessage()) + ")", e);
    }
    int[] shape = arr.getShape();
    double[] data = asDoubles(file, arr.getData());
    String stem = Recordings.stem(file);
    double rate = options.sampleRateHz();
    if (shape.length == 1) {
      if (shape[0] == 0) {
        throw new RecordingFormatException(file, "shape [0]", "the array is empty");
      }
      return List.of(new Recording(stem, rate, toFloat(data, 0, shape[0]), null, null));
    }
    if (shape.length != 2) {
      throw new RecordingFormatException(
          file,
          "shape " + Arrays.toString(shape),
          "expected [T], [N,T] or the poster's [3,T] layout");
    }
    int rows = shape[0];
    int t = shape[1];
    if (rows == 0 || t == 0) {
      throw new RecordingFormatException(file, "shape " + Arrays.toString(shape), "empty array");
    }
    if (rows == 3 && isPosterLayout(data, t)) {
      List<Integer> spikes = new ArrayList<>();
      for (int i = 0; i < t; i++) {
        if (data[t + i] == 1.0) {
          spikes.add(i);
        }
      }
      int[] truth = spikes.stream().mapToInt(Integer::intValue).toArray();
      return List.of(new Recording(stem, rate, toFloat(data, 0, t), truth, null));
    }
    List<Recording> out = new ArrayList<>(rows);
    for (int n = 0; n < rows; n++) {
      String name = rows == 1 ? stem : stem + "#" + n;
      out.add(new Recording(name, rate, toFloat(data, n * t, t), null, null));
    }
    return out;
  }

  static boolean isPosterLayout(double[] d, int t) {
    double sum = 0;
    for (int i = 0; i < t; i++) {
      double l = d[t + i];
      if (l != 0.0 && l != 1.0) {
        return false;
      }
      sum += l;
    }
    boolean constant = true;
    boolean firstOnly = d[2 * t] == sum;
    for (int i = 0; i < t; i++) {
      double c = d[2 * t + i];
      constant &= c == sum;
      if (i > 0) {
        firstOnly &= c == 0.0;
      }
    }
    return constant || firstOnly;
  }

  private static float[] toFloat(double[] d, int from, int len) {
    float[] f = new float[len];
    for (int i = 0; i < len; i++) {
      f[i] = (float) d[from + i];
    }
    return f;
  }

  private static double[] asDoubles(Path file, Object data) throws RecordingFormatException {
    if (data instanceof double[] d) {
      return d;
    }
    if (data instanceof float[] f) {
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    if (data instanceof int[] a) {
      return Arrays.stream(a).asDoubleStream().toArray();
    }
    if (data instanceof long[] a) {
      return Arrays.stream(a).asDoubleStream().toArray();
    }
    if (data instanceof short[] a) {
      double[] d = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        d[i] = a[i];
      }
      return d;
    }
    if (data instanceof byte[] a) {
      double[] d = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        d[i] = a[i];
      }
      return d;
    }
    throw new RecordingFormatException(
        file,
        "dtype",
        "unsupported element type "
            + data.getClass().getSimpleName()
            + "; expected float64, float32 or an integer type");
  }
}
