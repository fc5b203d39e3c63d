package io.voltspike.cli;

import picocli.CommandLine.Command;

/** The top-level command: verbs only. */
@Command(
    name = "voltspike",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Real-time spike detection for neuronal voltage-imaging data.",
    subcommands = {
      SimulateCommand.class,
      DetectCommand.class,
      EvaluateCommand.class,
      CeilingCommand.class,
      TrainCommand.class,
      EnsembleCommand.class,
      DemoCommand.class,
      RunCommand.class,
      BenchCommand.class,
      ReplayCommand.class,
      SpikesCommand.class,
      BrokerCommand.class,
      ReferenceCommand.class,
      picocli.CommandLine.HelpCommand.class
    })
public final class VoltSpikeCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
