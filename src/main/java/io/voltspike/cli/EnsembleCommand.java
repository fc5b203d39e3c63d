package io.voltspike.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code voltspike ensemble}: one model file whose output is the mean of several trained networks'
 * probabilities, with its threshold chosen on validation traces as {@code train} chooses one. Like
 * {@code train} it needs the training libraries (the ONNX protobuf classes), which the launcher
 * adds for this verb.
 */
@Command(
    name = "ensemble",
    mixinStandardHelpOptions = true,
    description = {
      "Average trained U-Nets that read the same inputs into one ONNX model (their mean",
      "probability), choosing its threshold on the validation traces of a training seed."
    })
public final class EnsembleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--member",
      required = true,
      description = "A trained model file; at least two, all with the same feature hash.")
  List<Path> members;

  @Option(
      names = "--validation-traces",
      defaultValue = "20",
      description = "Default: ${DEFAULT-VALUE}.")
  int validationTraces;

  @Option(
      names = "--training-preset",
      defaultValue = "train",
      description =
          "The preset whose validation traces choose the threshold (as in train)."
              + " Default: ${DEFAULT-VALUE}.")
  String trainingPreset;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description =
          "The training seed whose validation traces are used (7: the default model's)."
              + " Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--fp-budget-per-s",
      defaultValue = "0.2",
      description =
          "The threshold is the best-F1 one on the validation traces with at most this many false"
              + " positives per second per neuron. Default: ${DEFAULT-VALUE}.")
  double fpBudgetPerS;

  @Option(
      names = "--output",
      required = true,
      description = "The ONNX file to write (an existing one only with --overwrite).")
  Path output;

  @Option(names = "--overwrite", description = "Replace the --output file if it exists.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (members.size() < 2) {
      throw new IllegalArgumentException(
          "an ensemble needs at least 2 --member files, got " + members.size());
    }
    TrainCommand.refuseExisting(output, overwrite);
    PrintWriter out = spec.commandLine().getOut();
    try {
      io.voltspike.train.EnsembleBuilder.Result r =
          new io.voltspike.train.EnsembleBuilder(
                  validationTraces, trainingPreset, seed, fpBudgetPerS)
              .build(members, output);
      out.printf(
          Locale.ROOT,
          "ensemble of %d: validation F1 %.4f at threshold %.3f (%.3f false positives/s);"
              + " wrote %s%n",
          members.size(),
          r.validation().f1(),
          r.threshold(),
          r.validation().fpPerSecond(),
          output);
      out.flush();
      return 0;
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "a training class is missing ("
              + e.getMessage()
              + "); bin/voltspike ensemble adds target/train-lib, which holds it",
          e);
    }
  }
}
