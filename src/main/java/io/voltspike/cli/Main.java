package io.voltspike.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code voltspike} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    ShutdownSequence.install();
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    ShutdownSequence.exit(code);
  }

  /** Runs the CLI with the given writers (tests capture them); returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl;
    try {
      cl = commandLine(out, err, configArgument(args));
    } catch (RuntimeException e) {
      err.println("voltspike: error: " + e.getMessage());
      err.flush();
      return ErrorHandler.EXIT_INPUT;
    }
    return cl.execute(args);
  }

  /** The value of {@code --config FILE} or {@code --config=FILE}, which sets option defaults. */
  static String configArgument(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith("--config=")) {
        return args[i].substring("--config=".length());
      }
    }
    return null;
  }

  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, null);
  }

  public static CommandLine commandLine(PrintWriter out, PrintWriter err, String configFile) {
    CommandLine cl = new CommandLine(new VoltSpikeCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setDefaultValueProvider(
        configFile == null
            ? ConfigDefaults.fromEnvironment()
            : ConfigDefaults.fromFile(configFile));
    cl.setExecutionExceptionHandler(new ErrorHandler());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }
}
