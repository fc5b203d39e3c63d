package io.voltspike.model;

/**
 * Spike probabilities for batches of feature windows. Implementations are thread-safe: several
 * detectors may share one.
 */
public interface WindowModel {
  /** Samples per window. */
  int windowSamples();

  /** Feature channels per sample. */
  int channels();

  /** The feature-extractor hash the model was trained with. */
  String featureHash();

  /**
   * The sample rate the model's features are computed at; recordings at other rates are resampled
   * to it on the way in.
   */
  default double sampleRateHz() {
    return 1000.0;
  }

  /** Model version, for spike events. */
  String version();

  /**
   * Where inference runs, for metrics and the start-up line ("cpu", "cuda"; an ONNX session says
   * the provider it actually got, "cpu" after a CUDA fallback).
   */
  default String executionProvider() {
    return "cpu";
  }

  /**
   * The averaged probability above which this model's detector calls a spike candidate, chosen when
   * the model was trained (the detector's default).
   */
  default double probabilityThreshold() {
    return ModelMetadata.DEFAULT_PROBABILITY_THRESHOLD;
  }

  /**
   * @param input {@code batch} windows, channels first: {@code input[(b*channels + c)*window + t]}
   * @param batch number of windows
   * @param output receives {@code batch * window} probabilities, {@code output[b*window + t]}
   */
  void predict(float[] input, int batch, float[] output);
}
