package io.voltspike.train;

import io.voltspike.model.UNetSpec;
import java.nio.file.Path;

/**
 * Everything that determines a training run; recorded in the model file so a run can be repeated.
 *
 * @param spec the architecture
 * @param trainTraces simulated training traces (SNR 2-12, every family and polarity)
 * @param validationTraces simulated validation traces (a different seed)
 * @param durationS seconds per simulated trace
 * @param data extra labelled recordings (any supported format), or null
 * @param windowStrideSamples training windows start every this many samples
 * @param batchSize windows per optimiser step
 * @param learningRate Adam learning rate (the peak, with the cosine schedule)
 * @param learningRateSchedule "cosine" (decays to 1/50 of it over {@code maxEpochs}) or "fixed"
 * @param positiveWeight weight of spike samples in the loss
 * @param labelRadiusSamples samples either side of each true spike also labelled spike
 * @param fpBudgetPerS the model's operating threshold is the best-F1 one on the validation traces
 *     among those with at most this many false positives per second per neuron
 * @param maxEpochs epoch limit
 * @param patience epochs without a better validation F1 before stopping
 * @param seed seed of simulation, initialisation and shuffling
 * @param output the ONNX file to write
 * @param preset the simulated training and validation traces: {@code default} (the classic
 *     families, SNR 2-12, 1 kHz: what the shipped models were trained on) or {@code train} (domain
 *     randomisation: waveforms, nuisances, spike-free traces and frame rates drawn per trace) or
 *     {@code mixed} (half each, interleaved)
 * @param teacher a model (typically an averaged one, {@code voltspike ensemble}) whose window
 *     probabilities are blended into the labels, or null: knowledge distillation, so one network of
 *     the default's cost learns what the teacher has
 * @param teacherWeight the teacher's share of each label, in [0, 1] (0: the true spikes alone)
 */
public record TrainConfig(
    UNetSpec spec,
    int trainTraces,
    int validationTraces,
    double durationS,
    Path data,
    int windowStrideSamples,
    int batchSize,
    float learningRate,
    String learningRateSchedule,
    float positiveWeight,
    int labelRadiusSamples,
    double fpBudgetPerS,
    int maxEpochs,
    int patience,
    long seed,
    Path output,
    String preset,
    Path teacher,
    float teacherWeight) {
  public static final java.util.List<String> SCHEDULES = java.util.List.of("cosine", "fixed");

  /** Half {@code default}, half {@code train} traces, interleaved. */
  public static final String MIXED = "mixed";

  public static final java.util.List<String> PRESETS = java.util.List.of("default", "train", MIXED);

  /** A run without a teacher: the labels are the true spikes. */
  public TrainConfig(
      UNetSpec spec,
      int trainTraces,
      int validationTraces,
      double durationS,
      Path data,
      int windowStrideSamples,
      int batchSize,
      float learningRate,
      String learningRateSchedule,
      float positiveWeight,
      int labelRadiusSamples,
      double fpBudgetPerS,
      int maxEpochs,
      int patience,
      long seed,
      Path output,
      String preset) {
    this(
        spec,
        trainTraces,
        validationTraces,
        durationS,
        data,
        windowStrideSamples,
        batchSize,
        learningRate,
        learningRateSchedule,
        positiveWeight,
        labelRadiusSamples,
        fpBudgetPerS,
        maxEpochs,
        patience,
        seed,
        output,
        preset,
        null,
        0f);
  }

  public TrainConfig {
    if (!(teacherWeight >= 0 && teacherWeight <= 1)) {
      throw new IllegalArgumentException("teacher_weight must be in [0, 1], was " + teacherWeight);
    }
    if (labelRadiusSamples < 0) {
      throw new IllegalArgumentException(
          "label_radius must be >= 0 samples, was " + labelRadiusSamples);
    }
    if (!(fpBudgetPerS > 0)) {
      throw new IllegalArgumentException("fp_budget_per_s must be > 0, was " + fpBudgetPerS);
    }
    if (!PRESETS.contains(preset)) {
      throw new IllegalArgumentException(
          "unknown training preset '" + preset + "'; valid values: " + String.join(", ", PRESETS));
    }
    if (!SCHEDULES.contains(learningRateSchedule)) {
      throw new IllegalArgumentException(
          "unknown learning-rate schedule '"
              + learningRateSchedule
              + "'; valid values: "
              + String.join(", ", SCHEDULES));
    }
  }
}
