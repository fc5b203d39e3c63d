package io.voltspike.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One ONNX Runtime session per model file and provider, created on first use and shared by the
 * detectors of every neuron built from it. Whoever creates it owns the sessions and closes them,
 * after everything that runs inference has stopped (the CLI's {@code ShutdownSequence} does so
 * last); tests create their own.
 */
public final class SharedModels implements AutoCloseable {
  private final Map<String, OnnxSpikeModel> models = new HashMap<>();

  /**
   * A relative model path is tried against the working directory, then against {@code
   * voltspike.home} (where the launcher lives), so the shipped model is found from anywhere.
   */
  public static Path resolve(Path model) {
    if (model.isAbsolute() || Files.exists(model)) {
      return model;
    }
    String home = System.getProperty("voltspike.home");
    if (home != null) {
      Path p = Path.of(home).resolve(model);
      if (Files.exists(p)) {
        return p;
      }
    }
    return model;
  }

  /**
   * The process's session for a model file and provider, loaded on first use. Whether the model
   * fits a detector's features is the detector's check, so a neuron it does not fit never causes a
   * reload.
   */
  public synchronized OnnxSpikeModel get(Path model, ExecutionProvider provider) {
    Path file = resolve(model).toAbsolutePath().normalize();
    String key = file + "|" + provider;
    OnnxSpikeModel m = models.get(key);
    if (m == null) {
      m = OnnxSpikeModel.load(file, provider, 1, null);
      models.put(key, m);
    }
    return m;
  }

  /** The same, refused unless the model was trained with features of {@code featureHash}. */
  public OnnxSpikeModel get(Path model, ExecutionProvider provider, String featureHash) {
    OnnxSpikeModel m = get(model, provider);
    if (!m.featureHash().equals(featureHash)) {
      throw new ModelLoadException(
          "model "
              + m.file()
              + " was trained with feature hash "
              + m.featureHash()
              + ", not "
              + featureHash);
    }
    return m;
  }

  /** Closes every session (each waits for inference in flight, then refuses further calls). */
  @Override
  public synchronized void close() {
    models.values().forEach(OnnxSpikeModel::close);
    models.clear();
  }
}
