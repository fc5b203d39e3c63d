package io.voltspike.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One ONNX Runtime session per model file and provider for the whole process, created on first use
 * and closed at exit: detectors of every neuron share it.
 */
public final class SharedModels {
  private static final Map<String, OnnxSpikeModel> MODELS = new HashMap<>();
  private static boolean hookInstalled;

  private SharedModels() {}

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

  public static synchronized OnnxSpikeModel get(
      Path model, ExecutionProvider provider, String featureHash) {
    Path file = resolve(model).toAbsolutePath().normalize();
    String key = file + "|" + provider + "|" + featureHash;
    OnnxSpikeModel m = MODELS.get(key);
    if (m == null) {
      m = OnnxSpikeModel.load(file, provider, 1, featureHash);
      MODELS.put(key, m);
      if (!hookInstalled) {
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(SharedModels::closeAll, "close-models"));
      }
    }
    return m;
  }

  public static synchronized void closeAll() {
    MODELS.values().forEach(OnnxSpikeModel::close);
    MODELS.clear();
  }
}
