package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.model.ModelMetadata;
import io.voltspike.model.UNetSpec;
import io.voltspike.train.OnnxExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code voltspike run} refuses bad models and bad configuration at start-up: one line naming the
 * problem, a non-zero exit, nothing left running.
 */
class RunStartupTest {
  @TempDir Path dir;

  static void assertOneLineError(CliTest.Run r, int exit, String... fragments) {
    assertEquals(exit, r.code(), r.err());
    List<String> lines = r.err().lines().filter(l -> l.startsWith("voltspike")).toList();
    assertEquals(1, lines.size(), r.err());
    for (String f : fragments) {
      assertTrue(lines.get(0).contains(f), "'" + f + "' not in: " + lines.get(0));
    }
  }

  String[] runArgs(String... extra) {
    String[] base = {
      "run",
      "--bootstrap-servers",
      "127.0.0.1:" + closedPort(),
      "--metrics-port",
      "0",
      "--state-dir",
      dir.resolve("state").toString()
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void missingModelFile() {
    assertOneLineError(
        CliTest.run(runArgs("--model", dir.resolve("nope.onnx").toString())),
        ErrorHandler.EXIT_INPUT,
        "model file not found",
        "nope.onnx");
  }

  @Test
  void corruptModelFile() throws Exception {
    Path bad = dir.resolve("corrupt.onnx");
    Files.write(bad, new byte[] {8, 7, 1, 2, 3, 0, 0, 42, 'x', 'y'});
    assertOneLineError(
        CliTest.run(runArgs("--model", bad.toString())),
        ErrorHandler.EXIT_INPUT,
        "cannot load model",
        "corrupt.onnx");
  }

  @Test
  void featureHashMismatch() throws Exception {
    UNetSpec spec = UNetSpec.parse("8-16-32", 5, 100);
    Map<String, float[]> zeros = new HashMap<>();
    for (UNetSpec.Conv c : spec.convolutions()) {
      zeros.put(c.name() + ".weight", new float[c.out() * c.in() * c.kernel()]);
      zeros.put(c.name() + ".bias", new float[c.out()]);
    }
    Path file = dir.resolve("foreign.onnx");
    OnnxExporter.export(
        spec,
        zeros,
        Map.of(
            ModelMetadata.VERSION, "foreign",
            ModelMetadata.WINDOW, "100",
            ModelMetadata.CHANNELS, "5",
            ModelMetadata.FEATURE_HASH, "0123456789abcdef"),
        file);
    assertOneLineError(
        CliTest.run(runArgs("--model", file.toString())),
        ErrorHandler.EXIT_INPUT,
        "feature hash 0123456789abcdef");
  }

  @Test
  void unreachableCluster() {
    assertOneLineError(
        CliTest.run(runArgs()), ErrorHandler.EXIT_INPUT, "cannot reach the Kafka cluster");
  }

  @Test
  void invalidProperties() throws Exception {
    Path bad = dir.resolve("bad.properties");
    Files.writeString(bad, "lookahead_ms=soon\n");
    assertOneLineError(
        CliTest.run(runArgs("--config", bad.toString())),
        ErrorHandler.EXIT_INPUT,
        "lookahead_ms must be a number of ms or 'full', was soon");

    Files.writeString(bad, "batch_size=many\n");
    CliTest.Run r = CliTest.run(runArgs("--config", bad.toString()));
    assertEquals(2, r.code(), r.err()); // picocli's usage error names option and value
    assertTrue(r.err().contains("--batch-size") && r.err().contains("many"), r.err());

    Files.writeString(bad, "stride_ms=0\n");
    assertOneLineError(
        CliTest.run(runArgs("--config", bad.toString())),
        ErrorHandler.EXIT_INPUT,
        "stride_ms must be > 0");

    Files.writeString(bad, "kafka.acks=maybe\n");
    assertOneLineError(
        CliTest.run(runArgs("--config", bad.toString())),
        ErrorHandler.EXIT_INPUT,
        "invalid Kafka setting",
        "acks");

    assertOneLineError(
        CliTest.run(runArgs("--profile", "fastest")),
        ErrorHandler.EXIT_INPUT,
        "unknown processing profile 'fastest'",
        "eos, low-latency");

    assertOneLineError(
        CliTest.run(runArgs("--config", dir.resolve("absent.properties").toString())),
        ErrorHandler.EXIT_INPUT,
        "--config names no file");
  }

  /** A loopback port nothing listens on. */
  static int closedPort() {
    try {
      return io.voltspike.stream.EmbeddedBroker.freePort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
