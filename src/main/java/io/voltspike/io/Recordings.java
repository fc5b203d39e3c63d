package io.voltspike.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Entry point for reading recordings in every supported format, by file extension: {@code .csv},
 * {@code .npy}, {@code .nwb}/{@code .h5}/{@code .hdf5}. A directory is read file by file in name
 * order; a {@code manifest.json} beside the files (written by the simulator) adds each trace's
 * metadata (SNR, family, polarity).
 */
public final class Recordings {
  public static final String MANIFEST = "manifest.json";
  public static final String SPIKES_SUFFIX = ".spikes.csv";

  private Recordings() {}

  /** The recording files of a file or directory, in name order. */
  public static List<Path> list(Path input) throws IOException {
    if (!Files.exists(input)) {
      throw new IOException(input + ": no such file or directory");
    }
    if (!Files.isDirectory(input)) {
      if (format(input) == null) {
        throw new RecordingFormatException(
            input, "", "unknown format; expected .csv, .npy, .nwb, .h5 or .hdf5");
      }
      return List.of(input);
    }
    try (Stream<Path> s = Files.list(input)) {
      List<Path> files =
          s.filter(Files::isRegularFile)
              .filter(p -> format(p) != null)
              .filter(p -> !p.getFileName().toString().endsWith(SPIKES_SUFFIX))
              .sorted()
              .toList();
      if (files.isEmpty()) {
        throw new IOException(input + ": no recordings (.csv, .npy, .nwb, .h5) in this directory");
      }
      return files;
    }
  }

  /** Reads every trace of one file, with manifest metadata when the directory has one. */
  public static List<Recording> read(Path file, ReadOptions options) throws IOException {
    String fmt = format(file);
    if (fmt == null) {
      throw new RecordingFormatException(
          file, "", "unknown format; expected .csv, .npy, .nwb, .h5 or .hdf5");
    }
    if (Files.size(file) == 0) {
      throw new RecordingFormatException(file, "", "empty file");
    }
    List<Recording> recs =
        switch (fmt) {
          case "csv" -> List.of(CsvTraceReader.read(file));
          case "npy" -> NpyTraceReader.read(file, options);
          default -> NwbReader.read(file, options);
        };
    Map<String, Map<String, String>> manifest = manifest(file.toAbsolutePath().getParent());
    if (manifest.isEmpty()) {
      return recs;
    }
    List<Recording> out = new ArrayList<>(recs.size());
    for (Recording r : recs) {
      Map<String, String> m = manifest.get(r.name());
      out.add(m == null ? r : r.withMetadata(m));
    }
    return out;
  }

  /** Reads every trace of a file or directory. */
  public static List<Recording> readAll(Path input, ReadOptions options) throws IOException {
    List<Recording> all = new ArrayList<>();
    for (Path f : list(input)) {
      all.addAll(read(f, options));
    }
    return all;
  }

  static String format(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".csv")) {
      return "csv";
    }
    if (n.endsWith(".npy")) {
      return "npy";
    }
    if (n.endsWith(".nwb") || n.endsWith(".h5") || n.endsWith(".hdf5")) {
      return "nwb";
    }
    return null;
  }

  /** The file name without its extension. */
  public static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /** A parsed manifest and the file version it came from (rewritten files are read again). */
  private record Cached(Object version, long size, Map<String, Map<String, String>> traces) {}

  private static final Map<Path, Cached> MANIFESTS = new HashMap<>();

  /** name -> metadata from {@code dir/manifest.json}; empty when there is none. */
  public static synchronized Map<String, Map<String, String>> manifest(Path dir)
      throws IOException {
    if (dir == null) {
      return Map.of();
    }
    Path f = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(f)) {
      return Map.of();
    }
    Object version = Files.getLastModifiedTime(f);
    long size = Files.size(f);
    Cached cached = MANIFESTS.get(f);
    if (cached != null && cached.version().equals(version) && cached.size() == size) {
      return cached.traces();
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(f.toFile());
    } catch (IOException e) {
      throw new RecordingFormatException(f, "", "not valid JSON: " + e.getMessage(), e);
    }
    Map<String, Map<String, String>> out = new TreeMap<>();
    JsonNode traces = root.path("traces");
    for (JsonNode t : traces) {
      Map<String, String> m = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = t.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isValueNode()) {
          m.put(e.getKey(), e.getValue().asText());
        }
      }
      String name = m.get("name");
      if (name != null) {
        out.put(name, m);
      }
    }
    MANIFESTS.put(f, new Cached(version, size, out));
    return out;
  }
}
