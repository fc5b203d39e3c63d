package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.stream.EmbeddedBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rig.md's walk-through, run as written (on a free port instead of 9092, with Debian's python3
 * first on the PATH): a broker at Kafka's stock settings, {@code run}, the Python producer, {@code
 * spikes}, and {@code detect} offline. The spikes that come back are the offline ones, and no
 * stream thread is replaced.
 */
class RigWalkthroughIT {
  static final Path DOC = Path.of("docs/rig.md");
  final List<Process> background = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (int i = background.size() - 1; i >= 0; i--) {
      Process p = background.get(i);
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** The fenced bash blocks of the walk-through section, in order. */
  static List<String> blocks() throws IOException {
    String doc = Files.readString(DOC);
    String section = doc.substring(doc.indexOf("## Walk-through"));
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?s)```bash\\n(.*?)```").matcher(section);
    while (m.find()) {
      out.add(m.group(1).strip());
    }
    return out;
  }

  ProcessBuilder shell(String script, int port, Path log) {
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash", "-c", "set -e\n" + script.replace("9092", Integer.toString(port)));
    pb.environment().put("PATH", "/usr/bin:" + System.getenv("PATH"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return pb;
  }

  /** Starts a long-running block ({@code exec}: signals reach the JVM) and waits for its line. */
  Process startUntil(String block, int port, Path log, String ready) throws Exception {
    Process p = shell("exec " + block, port, log).start();
    background.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(ready)) {
        return p;
      }
      assertTrue(p.isAlive(), "exited before '" + ready + "':\n" + Files.readString(log));
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + ready + "' within 120 s:\n" + Files.readString(log));
  }

  String runToEnd(String block, int port, Path log) throws Exception {
    Process p = shell(block, port, log).start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "still running:\n" + Files.readString(log));
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), block + "\n" + out);
    return out;
  }

  static Map<String, List<Long>> spikes(Stream<Path> csvs) throws IOException {
    return spikes(csvs, "rig1");
  }

  static Map<String, List<Long>> spikes(Stream<Path> csvs, String session) throws IOException {
    Map<String, List<Long>> out = new TreeMap<>();
    for (Path f : (Iterable<Path>) csvs::iterator) {
      List<String> lines = Files.readAllLines(f);
      assertEquals("session,neuron,sample,time_ms,probability", lines.get(0));
      for (String l : lines.subList(1, lines.size())) {
        String[] c = l.split(",");
        assertEquals(session, c[0]);
        out.computeIfAbsent(c[1], k -> new ArrayList<>()).add(Long.parseLong(c[2]));
      }
    }
    out.values().forEach(java.util.Collections::sort);
    return out;
  }

  /**
   * Runs the walkthrough's spikes command for {@code session} (instead of rig1) into {@code
   * spikes-NAME.csv} and reads back that session's spikes by neuron.
   */
  Map<String, List<Long>> followed(
      String spikesCommand, String session, String name, int port, Path logs, Path rig)
      throws Exception {
    String file = "spikes-" + name + ".csv";
    runToEnd(
        spikesCommand.replace("rig1", session).replace("spikes.csv", file),
        port,
        logs.resolve("spikes-" + name + ".log"));
    try (Stream<Path> s = Stream.of(rig.resolve(file))) {
      return spikes(s, session);
    }
  }

  @Test
  void theWalkthroughGivesTheOfflineSpikesOnAStockBroker() throws Exception {
    List<String> b = blocks();
    assertEquals(5, b.size(), "broker, run, rig, spikes, detect: " + b);
    Path rig = Path.of("target/rig");
    if (Files.exists(rig)) {
      try (Stream<Path> w = Files.walk(rig)) {
        w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(Path.of("target/rig-logs"));
    Path logs = Files.createTempDirectory(Path.of("target/rig-logs"), "run");
    int port = EmbeddedBroker.freePort();

    startUntil(b.get(0), port, logs.resolve("broker.log"), "broker listening");
    startUntil(b.get(1), port, logs.resolve("run.log"), "detector running");
    String run = Files.readString(logs.resolve("run.log"));
    assertTrue(run.contains("consumer session timeout 6.0 s"), run);
    String rigOut = runToEnd(b.get(2), port, logs.resolve("rig.log"));
    assertTrue(rigOut.contains("sent ") && rigOut.contains("of 4 neurons"), rigOut);
    runToEnd(b.get(3), port, logs.resolve("spikes.log"));
    runToEnd(b.get(4), port, logs.resolve("detect.log"));

    Map<String, List<Long>> streamed;
    try (Stream<Path> s = Stream.of(rig.resolve("spikes.csv"))) {
      streamed = spikes(s);
    }
    Map<String, List<Long>> offline;
    try (Stream<Path> s = Files.list(rig.resolve("offline"))) {
      offline = spikes(s.filter(f -> f.toString().endsWith(".spikes.csv")).sorted());
    }
    assertEquals(4, offline.size(), "neurons with spikes offline: " + offline.keySet());
    assertTrue(offline.values().stream().mapToInt(List::size).sum() > 40, "" + offline);
    assertEquals(offline, streamed);
    // the producer's JSON encoding, in a second session of the same neurons
    String json = b.get(2).lines().filter(l -> l.startsWith("python3")).findFirst().orElseThrow();
    runToEnd(
        json.replace("--session rig1", "--session rig2") + " --encoding json",
        port,
        logs.resolve("rig-json.log"));
    assertEquals(offline, followed(b.get(3), "rig2", "json", port, logs, rig), "JSON chunks");
    // the same recordings through `replay`, the Java rig, in a third session
    String replay =
        Files.readString(DOC)
            .lines()
            .map(l -> l.replaceAll(".*`(bin/voltspike replay [^`]*)`.*", "$1"))
            .filter(l -> l.startsWith("bin/voltspike replay"))
            .findFirst()
            .orElseThrow();
    runToEnd(replay.replace("rig2", "rig3") + " --speed max", port, logs.resolve("replay.log"));
    assertEquals(offline, followed(b.get(3), "rig3", "replay", port, logs, rig), "replay");
    // and as frame blocks of two neurons each (a camera rig's groups), in a fourth session
    runToEnd(
        replay.replace("rig2", "rig4") + " --speed max --group-neurons 2",
        port,
        logs.resolve("replay-blocks.log"));
    assertEquals(offline, followed(b.get(3), "rig4", "blocks", port, logs, rig), "frame blocks");
    // a session timeout the cluster refuses: one line, exit 1, before anything runs
    Path bad = logs.resolve("bad.properties");
    Files.writeString(bad, "kafka.consumer.session.timeout.ms=3000\n");
    Path refusedLog = logs.resolve("refused.log");
    Process refused =
        shell(
                "bin/voltspike run --bootstrap-servers localhost:9092 --config "
                    + bad
                    + " --state-dir target/rig/state-refused --metrics-port 0",
                port,
                refusedLog)
            .start();
    assertTrue(refused.waitFor(120, TimeUnit.SECONDS));
    String refusal = Files.readString(refusedLog).strip();
    assertEquals(1, refused.exitValue(), refusal);
    assertEquals(1, refusal.lines().count(), refusal);
    assertTrue(
        refusal.startsWith("voltspike run: error: ")
            && refusal.contains("group.min.session.timeout.ms is 6000"),
        refusal);
    String runLog = Files.readString(logs.resolve("run.log"));
    assertTrue(
        !runLog.contains("replacing it") && !runLog.contains("stopping the detector"), runLog);
  }
}
