package io.voltspike.cli;

import io.voltspike.io.AtomicFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voltspike reference}: writes docs/reference.md from the code. */
@Command(
    name = "reference",
    mixinStandardHelpOptions = true,
    description = {
      "Print the reference (commands, configuration keys, metrics, dead-letter reasons, topic",
      "schemas) generated from the code, or write it to a file."
    })
public final class ReferenceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--output",
      description = "Write here (e.g. docs/reference.md) instead of to standard output.")
  Path output;

  @Override
  public Integer call() throws Exception {
    String text = ReferenceDoc.render();
    if (output == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } else {
      AtomicFiles.writeText(output, w -> w.write(text));
      spec.commandLine().getOut().println("wrote " + output);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
