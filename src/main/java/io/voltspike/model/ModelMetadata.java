package io.voltspike.model;

/**
 * What a VoltSpike model file says about itself (ONNX metadata_props): enough for the runtime to
 * refuse a model that does not fit its feature extractor.
 */
public final class ModelMetadata {
  public static final String VERSION = "voltspike.model_version";
  public static final String WINDOW = "voltspike.window_samples";
  public static final String CHANNELS = "voltspike.channels";
  public static final String FEATURE_CONFIG = "voltspike.feature_config";
  public static final String FEATURE_HASH = "voltspike.feature_hash";
  public static final String ARCHITECTURE = "voltspike.architecture";
  public static final String TRAINED_ON = "voltspike.trained_on";
  public static final String TRAINING_COMMAND = "voltspike.training_command";
  public static final String VALIDATION_F1 = "voltspike.validation_f1";

  /** The rate of the features the model was trained on (recordings are resampled to it). */
  public static final String SAMPLE_RATE_HZ = "voltspike.sample_rate_hz";

  /**
   * The operating point chosen on validation data (averaged probability above which a sample is a
   * spike candidate); the detector's default when {@code probability_threshold} is "model".
   */
  public static final String PROBABILITY_THRESHOLD = "voltspike.probability_threshold";

  /**
   * The threshold a model without {@link #PROBABILITY_THRESHOLD} runs at: the poster's rounding.
   */
  public static final double DEFAULT_PROBABILITY_THRESHOLD = 0.5;

  /**
   * The model's operating threshold from its metadata, or {@link #DEFAULT_PROBABILITY_THRESHOLD}.
   *
   * @throws ModelLoadException if the value is not a number in (0, 1)
   */
  public static double probabilityThreshold(java.util.Map<String, String> meta, Object file) {
    String v = meta.get(PROBABILITY_THRESHOLD);
    if (v == null) {
      return DEFAULT_PROBABILITY_THRESHOLD;
    }
    try {
      double t = Double.parseDouble(v.strip());
      if (t > 0 && t < 1) {
        return t;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ModelLoadException(
        "model " + file + ": metadata '" + PROBABILITY_THRESHOLD + "' must be in (0, 1), was " + v);
  }

  /**
   * The model's feature rate: {@link #SAMPLE_RATE_HZ}, else the {@code fs=} of {@link
   * #FEATURE_CONFIG}, else 1000 Hz.
   */
  public static double sampleRateHz(java.util.Map<String, String> meta, Object file) {
    String v = meta.get(SAMPLE_RATE_HZ);
    if (v == null) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(";fs=([0-9.]+);")
              .matcher(meta.getOrDefault(FEATURE_CONFIG, ""));
      v = m.find() ? m.group(1) : "1000";
    }
    try {
      double r = Double.parseDouble(v.strip());
      if (r > 0 && Double.isFinite(r)) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ModelLoadException(
        "model " + file + ": metadata '" + SAMPLE_RATE_HZ + "' must be a rate in Hz, was " + v);
  }

  private ModelMetadata() {}

  /** The keys every model must carry. */
  public static final String[] REQUIRED = {VERSION, WINDOW, CHANNELS, FEATURE_HASH};
}
