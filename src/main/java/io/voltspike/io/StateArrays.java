package io.voltspike.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Primitive arrays to and from the lists Avro's generated state classes hold, with the length
 * checked on the way back: a stored ring of another length than the configured one is refused.
 */
public final class StateArrays {
  private StateArrays() {}

  public static List<Float> floats(float[] a, int from, int n) {
    List<Float> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(a[from + i]);
    }
    return out;
  }

  public static List<Float> floats(float[] a) {
    return floats(a, 0, a.length);
  }

  public static List<Double> doubles(double[] a, int from, int n) {
    List<Double> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(a[from + i]);
    }
    return out;
  }

  public static List<Double> doubles(double[] a) {
    return doubles(a, 0, a.length);
  }

  public static List<Boolean> booleans(boolean[] a) {
    List<Boolean> out = new ArrayList<>(a.length);
    for (boolean b : a) {
      out.add(b);
    }
    return out;
  }

  /** Copies {@code from} into {@code to}, which it must fill exactly. */
  public static void fill(List<Float> from, float[] to, String what) {
    requireLength(from.size(), to.length, what);
    for (int i = 0; i < to.length; i++) {
      to[i] = from.get(i);
    }
  }

  public static void fill(List<Double> from, double[] to, String what) {
    requireLength(from.size(), to.length, what);
    for (int i = 0; i < to.length; i++) {
      to[i] = from.get(i);
    }
  }

  public static void fill(List<Boolean> from, boolean[] to, String what) {
    requireLength(from.size(), to.length, what);
    for (int i = 0; i < to.length; i++) {
      to[i] = from.get(i);
    }
  }

  public static void requireLength(int stored, int configured, String what) {
    if (stored != configured) {
      throw new StateFormatException(
          "stored "
              + what
              + " holds "
              + stored
              + " values; this configuration needs "
              + configured);
    }
  }
}
