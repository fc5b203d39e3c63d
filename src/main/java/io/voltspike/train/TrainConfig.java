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
 * @param learningRate Adam learning rate
 * @param positiveWeight weight of spike samples in the loss
 * @param maxEpochs epoch limit
 * @param patience epochs without a better validation F1 before stopping
 * @param seed seed of simulation, initialisation and shuffling
 * @param output the ONNX file to write
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
    float positiveWeight,
    int maxEpochs,
    int patience,
    long seed,
    Path output) {}
