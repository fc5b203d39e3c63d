package io.voltspike.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads NWB 2.x (HDF5) files through jhdf: a TimeSeries or RoiResponseSeries {@code data} ({@code
 * [T]} or {@code [T,N]}), timed by {@code starting_time} with its {@code rate} attribute or by
 * {@code timestamps}. Ground truth comes from {@code /units/spike_times} (with {@code
 * spike_times_index}) when there is one unit per trace.
 *
 * <p>A TimeSeries is any group holding a {@code data} dataset and {@code starting_time} or {@code
 * timestamps}. With several in a file, {@link ReadOptions#dataset()} chooses; the error lists them.
 */
public final class NwbReader {
  private NwbReader() {}

  public static List<Recording> read(Path file, ReadOptions options) throws IOException {
    try (HdfFile hdf = new HdfFile(file)) {
      Group series = chooseSeries(file, hdf, options.dataset());
      Dataset data = (Dataset) series.getChild("data");
      int[] dims = data.getDimensions();
      if (dims.length < 1 || dims.length > 2 || dims[0] == 0) {
        throw new RecordingFormatException(
            file,
            data.getPath(),
            "expected data of shape [T] or [T,N], found " + Arrays.toString(dims));
      }
      double conversion = numberAttr(data, "conversion", 1.0);
      double[] flat = toDoubles(file, data.getPath(), data.getDataFlat());
      int t = dims[0];
      int n = dims.length == 2 ? dims[1] : 1;
      double[] timing = timing(file, series, t);
      double start = timing[0];
      double rate = timing[1];
      List<int[]> truths = unitTruth(file, hdf, start, rate, n);
      String stem = Recordings.stem(file);
      List<Recording> out = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        float[] v = new float[t];
        for (int i = 0; i < t; i++) {
          v[i] = (float) (flat[i * n + j] * conversion);
        }
        String name = n == 1 ? stem : stem + "#" + j;
        out.add(
            new Recording(
                name,
                rate,
                v,
                truths == null ? null : truths.get(j),
                Map.of("nwb_series", series.getPath())));
      }
      return out;
    } catch (RecordingFormatException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RecordingFormatException(
          file, "", "not a readable NWB/HDF5 file (" + e.getMessage() + ")", e);
    }
  }

  private static Group chooseSeries(Path file, HdfFile hdf, String wanted)
      throws RecordingFormatException {
    List<Group> found = new ArrayList<>();
    collect(hdf, found);
    if (wanted != null && !wanted.isBlank()) {
      String w = wanted.endsWith("/data") ? wanted.substring(0, wanted.length() - 5) : wanted;
      String norm = w.startsWith("/") ? w : "/" + w;
      for (Group g : found) {
        if (stripSlash(g.getPath()).equals(stripSlash(norm))) {
          return g;
        }
      }
      throw new RecordingFormatException(
          file, wanted, "no such TimeSeries; available: " + paths(found));
    }
    if (found.isEmpty()) {
      throw new RecordingFormatException(
          file,
          "",
          "no TimeSeries found (a group with 'data' and 'starting_time' or 'timestamps')");
    }
    if (found.size() > 1) {
      throw new RecordingFormatException(
          file, "", "several TimeSeries found, choose one with --dataset: " + paths(found));
    }
    return found.get(0);
  }

  private static String stripSlash(String p) {
    String s = p.startsWith("/") ? p : "/" + p;
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String paths(List<Group> groups) {
    List<String> p = new ArrayList<>();
    for (Group g : groups) {
      p.add(stripSlash(g.getPath()));
    }
    return String.join(", ", p);
  }

  private static void collect(Group g, List<Group> out) {
    Map<String, Node> children = g.getChildren();
    Node data = children.get("data");
    if (data instanceof Dataset
        && (children.containsKey("starting_time") || children.containsKey("timestamps"))
        && !stripSlash(g.getPath()).startsWith("/units")) {
      out.add(g);
    }
    for (Node c : children.values()) {
      if (c instanceof Group sub && !c.isLink()) {
        collect(sub, out);
      }
    }
  }

  /** {start seconds, rate Hz}. */
  private static double[] timing(Path file, Group series, int t) throws RecordingFormatException {
    Node st = series.getChild("starting_time");
    if (st instanceof Dataset ds) {
      double start = toDoubles(file, ds.getPath(), ds.getData())[0];
      Attribute rate = ds.getAttribute("rate");
      if (rate == null) {
        throw new RecordingFormatException(
            file, ds.getPath(), "starting_time has no 'rate' attribute");
      }
      double r = ((Number) scalar(rate.getData())).doubleValue();
      if (!(r > 0)) {
        throw new RecordingFormatException(file, ds.getPath(), "rate must be > 0, found " + r);
      }
      return new double[] {start, r};
    }
    Dataset ts = (Dataset) series.getChild("timestamps");
    double[] times = toDoubles(file, ts.getPath(), ts.getDataFlat());
    if (times.length != t) {
      throw new RecordingFormatException(
          file, ts.getPath(), "has " + times.length + " timestamps for " + t + " samples");
    }
    if (t < 2) {
      return new double[] {times[0], ReadOptions.DEFAULT_SAMPLE_RATE_HZ};
    }
    double[] d = new double[t - 1];
    for (int i = 1; i < t; i++) {
      d[i - 1] = times[i] - times[i - 1];
    }
    Arrays.sort(d);
    double step = d[d.length / 2];
    if (!(step > 0)) {
      throw new RecordingFormatException(file, ts.getPath(), "timestamps do not increase");
    }
    return new double[] {times[0], 1.0 / step};
  }

  private static List<int[]> unitTruth(Path file, HdfFile hdf, double start, double rate, int n)
      throws RecordingFormatException {
    Node units = hdf.getChildren().get("units");
    if (!(units instanceof Group ug)) {
      return null;
    }
    Node st = ug.getChildren().get("spike_times");
    if (!(st instanceof Dataset times)) {
      return null;
    }
    double[] all = toDoubles(file, times.getPath(), times.getDataFlat());
    long[] ends;
    Node idx = ug.getChildren().get("spike_times_index");
    if (idx instanceof Dataset ids) {
      double[] e = toDoubles(file, ids.getPath(), ids.getDataFlat());
      ends = new long[e.length];
      for (int i = 0; i < e.length; i++) {
        ends[i] = (long) e[i];
      }
    } else {
      ends = new long[] {all.length};
    }
    if (ends.length != n) {
      return null;
    }
    List<int[]> out = new ArrayList<>(n);
    long from = 0;
    for (long end : ends) {
      if (end < from || end > all.length) {
        throw new RecordingFormatException(
            file, "/units/spike_times_index", "index " + end + " is out of range");
      }
      int[] s = new int[(int) (end - from)];
      for (long i = from; i < end; i++) {
        s[(int) (i - from)] = (int) Math.round((all[(int) i] - start) * rate);
      }
      Arrays.sort(s);
      out.add(s);
      from = end;
    }
    return out;
  }

  private static double numberAttr(Node node, String name, double dflt) {
    Attribute a = node.getAttribute(name);
    if (a == null) {
      return dflt;
    }
    Object v = scalar(a.getData());
    return v instanceof Number num ? num.doubleValue() : dflt;
  }

  private static Object scalar(Object o) {
    if (o != null && o.getClass().isArray()) {
      return Array.getLength(o) > 0 ? Array.get(o, 0) : null;
    }
    return o;
  }

  private static double[] toDoubles(Path file, String where, Object data)
      throws RecordingFormatException {
    if (data instanceof Number num) {
      return new double[] {num.doubleValue()};
    }
    if (data == null || !data.getClass().isArray()) {
      throw new RecordingFormatException(file, where, "is not numeric");
    }
    int len = Array.getLength(data);
    double[] out = new double[len];
    for (int i = 0; i < len; i++) {
      Object v = Array.get(data, i);
      if (!(v instanceof Number num)) {
        throw new RecordingFormatException(file, where, "is not numeric");
      }
      out[i] = num.doubleValue();
    }
    return out;
  }
}
