package io.voltspike.cli;

import io.voltspike.model.UNetSpec;
import io.voltspike.signal.FeatureConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code voltspike train}: trains the U-Net with DJL (PyTorch engine) and exports it to ONNX. The
 * training engine is not on the detector's runtime classpath; the launcher adds it for this verb.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the U-Net on simulated traces (and optional labelled recordings) with DJL's",
      "PyTorch engine; early stopping on the validation F1 of the real detector; export the",
      "best epoch to ONNX with its feature hash and training command in the metadata."
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--architecture",
      defaultValue = "8-16-32:k5",
      description = "Channel widths per level and kernel. Default: ${DEFAULT-VALUE}.")
  String architecture;

  @Option(
      names = "--train-traces",
      defaultValue = "360",
      description = "Default: ${DEFAULT-VALUE}.")
  int trainTraces;

  @Option(
      names = "--validation-traces",
      defaultValue = "20",
      description = "Default: ${DEFAULT-VALUE}.")
  int validationTraces;

  @Option(names = "--duration-s", defaultValue = "30", description = "Default: ${DEFAULT-VALUE}.")
  double durationS;

  @Option(names = "--data", description = "Extra labelled recordings (file or directory).")
  Path data;

  @Option(
      names = "--window-stride",
      defaultValue = "20",
      description = "Training windows start every N samples. Default: ${DEFAULT-VALUE}.")
  int windowStride;

  @Option(
      names = {"--train-batch-size", "--batch-size"},
      defaultValue = "128",
      description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--learning-rate",
      defaultValue = "0.002",
      description = "Default: ${DEFAULT-VALUE}.")
  float learningRate;

  @Option(
      names = "--lr-schedule",
      defaultValue = "cosine",
      description =
          "cosine (from --learning-rate down to 1/50 of it over --max-epochs) or fixed."
              + " Default: ${DEFAULT-VALUE}.")
  String learningRateSchedule;

  @Option(
      names = "--positive-weight",
      defaultValue = "1",
      description = "Loss weight of spike samples. Default: ${DEFAULT-VALUE}.")
  float positiveWeight;

  @Option(
      names = "--label-radius",
      defaultValue = "1",
      description =
          "Samples either side of each true spike also labelled spike (0: the exact sample)."
              + " Default: ${DEFAULT-VALUE}.")
  int labelRadius;

  @Option(
      names = "--fp-budget-per-s",
      defaultValue = "0.2",
      description =
          "The operating threshold recorded in the model is the best-F1 one on the validation"
              + " traces with at most this many false positives per second per neuron."
              + " Default: ${DEFAULT-VALUE}.")
  double fpBudgetPerS;

  @Option(names = "--max-epochs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
  int maxEpochs;

  @Option(names = "--patience", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
  int patience;

  @Option(names = "--seed", defaultValue = "7", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--training-preset",
      defaultValue = "train",
      description =
          "Simulated traces to train and validate on: default (the classic families at 1 kHz)"
              + " or train (domain randomisation: any"
              + " waveform, nuisance, spike-free traces, 400-2000 Hz) or mixed (half each,"
              + " interleaved). Default: ${DEFAULT-VALUE}.")
  String trainingPreset;

  @Option(
      names = "--whitened-channel",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Give the network a sixth input: the normalized channel whitened by the neuron's own"
              + " AR(8) noise model (the model's feature hash says so); --no-whitened-channel"
              + " trains on the five features alone. Default: ${DEFAULT-VALUE}.")
  boolean whitenedChannel;

  @Option(
      names = "--teacher",
      description =
          "A model (e.g. one written by ensemble) whose window probabilities are blended into the"
              + " labels: one network learns what the teacher knows. Default: none.")
  Path teacher;

  @Option(
      names = "--teacher-weight",
      defaultValue = "0.5",
      description =
          "The teacher's share of each label, 0-1 (with --teacher). Default: ${DEFAULT-VALUE}.")
  float teacherWeight;

  @Option(
      names = "--output",
      defaultValue = "target/trained/voltspike-unet.onnx",
      description =
          "The ONNX file to write; an existing file is replaced only with --overwrite (the shipped"
              + " models in models/ are never written by default). Default: ${DEFAULT-VALUE}.")
  Path output;

  @Option(
      names = "--overwrite",
      description = "Replace the --output file if it exists. Default: false.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    UNetSpec arch =
        UNetSpec.parse(
            architecture, FeatureConfig.CHANNELS.length + (whitenedChannel ? 1 : 0), 100);
    PrintWriter out = spec.commandLine().getOut();
    refuseExisting(output, overwrite);
    try {
      return TrainRunner.run(this, arch, out);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "a training class is missing ("
              + e.getMessage()
              + "); the training engine (DJL) is on the classpath only through bin/voltspike"
              + " train, which adds target/train-lib",
          e);
    }
  }

  /**
   * A model file is replaced only when asked: the shipped ones must not be overwritten by accident.
   */
  static void refuseExisting(Path output, boolean overwrite) {
    if (java.nio.file.Files.exists(output) && !overwrite) {
      throw new IllegalArgumentException(
          output + " exists: choose another --output, or add --overwrite to replace it");
    }
  }
}
