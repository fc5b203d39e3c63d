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

  private ModelMetadata() {}

  /** The keys every model must carry. */
  public static final String[] REQUIRED = {VERSION, WINDOW, CHANNELS, FEATURE_HASH};
}
