package io.voltspike.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code voltspike} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given writers (tests capture them); returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return commandLine(out, err).execute(args);
  }

  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new VoltSpikeCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setDefaultValueProvider(ConfigDefaults.fromEnvironment());
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }
}
