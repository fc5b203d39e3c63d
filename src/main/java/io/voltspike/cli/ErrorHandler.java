package io.voltspike.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any failure of a command into one line on stderr and an exit code: 1 for bad input or
 * configuration, 3 for anything unexpected (with the stack trace when VOLTSPIKE_DEBUG is set).
 */
public final class ErrorHandler implements IExecutionExceptionHandler {
  public static final int EXIT_INPUT = 1;
  public static final int EXIT_INTERNAL = 3;

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    Throwable t = ex;
    if (t instanceof UncheckedIOException u && u.getCause() != null) {
      t = u.getCause();
    }
    boolean expected =
        t instanceof IOException
            || t instanceof IllegalArgumentException
            || t instanceof IllegalStateException;
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    cmd.getErr().println("voltspike " + cmd.getCommandName() + ": error: " + msg);
    if (System.getenv("VOLTSPIKE_DEBUG") != null) {
      t.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    return expected ? EXIT_INPUT : EXIT_INTERNAL;
  }
}
