package io.voltspike.bench;

import io.voltspike.io.Recording;
import io.voltspike.io.TraceWriter;
import io.voltspike.stream.StreamSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.LongConsumer;

/**
 * The simulated rig as a process of its own: {@code voltspike replay} at real time in a child JVM,
 * so that the benchmark's own CPU is the detector's, not the rig's. The chunks it has sent are
 * known by the clock from the moment it says it starts ({@code replaying ...}; it keeps real time,
 * one chunk per neuron every 10 ms), its CPU by the child's accounting.
 */
final class RigProcess {
  private final List<String> command;
  private final Path log;
  private final long chunksPerTick;
  private final long totalChunks;
  private volatile Process process;
  private volatile double cpuS;
  private volatile double startupS;

  RigProcess(
      String bootstrap,
      StreamSettings s,
      Path stateDir,
      List<Recording> recordings,
      String session,
      int groupNeurons,
      Properties clientProps) {
    if (clientProps != null && !clientProps.isEmpty()) {
      throw new IllegalArgumentException(
          "a rig in its own process connects without kafka.* security settings; run it against a"
              + " plain listener");
    }
    Path dir = stateDir.resolve("rig-recordings");
    try {
      Files.createDirectories(dir);
      for (Recording r : recordings) {
        TraceWriter.writeCsv(dir.resolve(r.name() + ".csv"), r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the rig's recordings: " + e.getMessage(), e);
    }
    this.log = stateDir.resolve("rig.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    this.command =
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "io.voltspike.cli.Main",
            "replay",
            "--input",
            dir.toString(),
            "--bootstrap-servers",
            bootstrap,
            "--topic",
            s.samplesTopic(),
            "--session",
            session,
            "--speed",
            "1",
            "--chunk-samples",
            Integer.toString(LiveRun.CHUNK_SAMPLES),
            "--group-neurons",
            Integer.toString(groupNeurons));
    this.chunksPerTick = recordings.size();
    long chunks = 0;
    for (Recording r : recordings) {
      chunks += (r.length() + LiveRun.CHUNK_SAMPLES - 1) / LiveRun.CHUNK_SAMPLES;
    }
    this.totalChunks = chunks;
  }

  /**
   * Starts the child and waits for it, reporting the chunks sent by the clock; throws if it fails.
   */
  void run(LongConsumer sent) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("VOLTSPIKE_CONFIG"); // the rig takes its settings from the command
    pb.redirectOutput(log.toFile());
    try {
      long launched = System.nanoTime();
      long t0 = 0;
      process = pb.start();
      while (process.isAlive()) {
        if (t0 == 0 && Files.readString(log).contains("replaying ")) {
          t0 = System.nanoTime(); // the rig's clock starts after its JVM's start-up
          startupS = (t0 - launched) / 1e9;
        }
        long ticks = t0 == 0 ? 0 : (System.nanoTime() - t0) / (LiveRun.CHUNK_SAMPLES * 1_000_000L);
        sent.accept(Math.min(totalChunks, (ticks + 1) * chunksPerTick));
        process.info().totalCpuDuration().map(Duration::toNanos).ifPresent(ns -> cpuS = ns / 1e9);
        if (process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the rig process: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroy();
      return;
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "the rig process exited with " + process.exitValue() + " (its output: " + log + ")");
    }
    sent.accept(totalChunks);
  }

  /** Seconds from launching the child to its first chunk. */
  double startupS() {
    return startupS;
  }

  /** CPU seconds the child used (its last reading while it ran). */
  double cpuS() {
    return cpuS;
  }

  void destroy() {
    Process p = process;
    if (p != null) {
      p.destroy();
    }
  }
}
