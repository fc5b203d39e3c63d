package io.voltspike.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code voltspike} in a JVM of its own, on the packaged jar and runtime libraries exactly
 * as {@code bin/voltspike} does (integration tests run after {@code package}). The test class path
 * is not reused: with some orders of the same jars, ONNX Runtime's native library crashes the JVM
 * while loading (see the README's known issues).
 */
public final class Launcher {
  public static final String CLASSPATH = "target/voltspike.jar:target/lib/*";

  private Launcher() {}

  /** A process builder for {@code voltspike ARGS} with extra JVM flags. */
  public static ProcessBuilder voltspike(List<String> jvmFlags, String... args) {
    if (!Files.isRegularFile(Path.of("target/voltspike.jar"))) {
      throw new IllegalStateException("target/voltspike.jar is missing: run mvn package first");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.add("-Dvoltspike.home=" + Path.of("").toAbsolutePath());
    cmd.add("-cp");
    cmd.add(CLASSPATH);
    cmd.add("io.voltspike.cli.Main");
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }
}
