package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voltspike.io.SpikeCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpOnEveryCommand() {
    java.util.Set<String> commands =
        Main.commandLine(
                new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()))
            .getSubcommands()
            .keySet();
    assertTrue(commands.size() >= 11, "" + commands);
    Run top = run("--help");
    for (String c : commands) {
      Run r = run(c, "--help");
      assertEquals(0, r.code(), c);
      assertTrue(r.out().contains("Usage: voltspike " + c), r.out());
      assertTrue(top.out().contains(c), "top-level help lists " + c);
    }
  }

  @Test
  void ceilingReadsTheManifestAndRefusesAForeignOne() throws IOException {
    Path sim = simulateBench(100, 3);
    Path json = dir.resolve("ceiling.json");
    Run c = run("ceiling", "--input", sim.toString(), "--json", json.toString());
    assertEquals(0, c.code(), c.err());
    assertTrue(c.out().contains("best F1") && c.out().contains("0.20 false positives/s"), c.out());
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    JsonNode rows = root.get("best_f1");
    assertEquals("overall", rows.get(rows.size() - 1).get("snr_band").asText());
    // Higher SNR, higher ceiling.
    assertTrue(
        rows.get(0).get("f1").asDouble() < rows.get(rows.size() - 2).get("f1").asDouble(),
        rows.toString());
    for (JsonNode r : root.get("at_fp_budget")) {
      assertEquals(0.2, r.get("fp_per_s").asDouble(), 0.01);
    }

    Path manifest = sim.resolve("manifest.json");
    Files.writeString(
        manifest, Files.readString(manifest).replaceFirst("\"spikes\" : \\d+", "\"spikes\" : 1"));
    Run bad = run("ceiling", "--input", sim.toString());
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("manifest lists 1 spikes"), bad.err());
    Run none = run("ceiling", "--input", dir.toString());
    assertEquals(1, none.code());
    assertTrue(none.err().contains("needs a simulated set"), none.err());
  }

  @Test
  void detectSaysHowManySamplesAreMissing() throws IOException {
    StringBuilder gappy = new StringBuilder("time_ms,voltage\n");
    StringBuilder empty = new StringBuilder("time_ms,voltage\n");
    StringBuilder full = new StringBuilder("time_ms,voltage\n");
    for (int i = 0; i < 3000; i++) {
      gappy.append(i).append(',').append(i >= 1000 && i < 1250 ? "nan" : "1.0").append('\n');
      empty.append(i).append(",nan\n");
      full.append(i).append(",1.0\n");
    }
    Files.writeString(dir.resolve("gappy.csv"), gappy);
    Files.writeString(dir.resolve("empty.csv"), empty);
    Files.writeString(dir.resolve("full.csv"), full);
    Run r =
        run(
            "detect",
            "--input",
            dir.toString(),
            "--output",
            dir.resolve("out").toString(),
            "--detector",
            "threshold");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("gappy: 250 of 3000 samples missing (NaN or infinite)"), r.out());
    assertTrue(r.out().contains("empty: every sample is missing"), r.out());
    assertTrue(r.out().contains("full: 0 spikes"), r.out());
    assertFalse(r.out().lines().anyMatch(l -> l.startsWith("full:") && l.contains("missing")));
  }

  @Test
  void simulateDetectEvaluateEndToEnd() throws IOException {
    Path sim = dir.resolve("sim");
    Run s = run("simulate", "--out", sim.toString(), "--neurons", "3", "--duration-s", "12");
    assertEquals(0, s.code(), s.err());
    assertTrue(Files.exists(sim.resolve("manifest.json")));
    assertTrue(Files.exists(sim.resolve("neuron002.csv")));

    Path out = dir.resolve("spikes");
    Run d =
        run("detect", "--input", sim.toString(), "--output", out.toString(), "--detector", "volpy");
    assertEquals(0, d.code(), d.err());
    List<SpikeCsv.Row> rows = SpikeCsv.read(out.resolve("neuron001.spikes.csv"));
    assertFalse(rows.isEmpty());
    assertEquals("neuron001", rows.get(0).neuron());

    Path json = dir.resolve("eval.json");
    Path report = dir.resolve("report");
    Run e =
        run(
            "evaluate",
            "--input",
            sim.toString(),
            "--detector",
            "threshold,volpy",
            "--json",
            json.toString(),
            "--report",
            report.toString(),
            "--per-file");
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("overall") && e.out().contains("neuron000"), e.out());
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertEquals(2.0, root.get("tolerance_ms").asDouble());
    JsonNode overall = root.path("detectors").path("volpy").path("overall");
    long tp = overall.get("tp").asLong();
    long fp = overall.get("fp").asLong();
    long fn = overall.get("fn").asLong();
    assertEquals(2.0 * tp / (2 * tp + fp + fn), overall.get("f1").asDouble(), 1e-9);
    assertTrue(Files.readString(report.resolve("index.html")).contains("f1_vs_snr.png"));
    byte[] png = Files.readAllBytes(report.resolve("f1_vs_snr.png"));
    assertArrayEquals(
        new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), "a real PNG");
    try (Stream<Path> pngs = Files.list(report)) {
      assertTrue(pngs.filter(p -> p.toString().endsWith(".png")).count() >= 2);
    }
  }

  @Test
  void toleranceZeroGivesTheExactSampleMatrix() throws IOException {
    Path sim = dir.resolve("sim");
    run("simulate", "--out", sim.toString(), "--neurons", "2", "--duration-s", "12");
    Path j0 = dir.resolve("t0.json");
    Path j2 = dir.resolve("t2.json");
    for (String[] t : new String[][] {{"0", j0.toString()}, {"2", j2.toString()}}) {
      Run r =
          run(
              "evaluate",
              "--input",
              sim.toString(),
              "--detector",
              "threshold",
              "--tolerance-ms",
              t[0],
              "--json",
              t[1]);
      assertEquals(0, r.code(), r.err());
    }
    long tp0 = tp(j0);
    long tp2 = tp(j2);
    assertTrue(tp0 < tp2, "exact-sample matching finds fewer matches: " + tp0 + " vs " + tp2);
  }

  @Test
  void aThresholdSweepGivesWhatARunAtEachThresholdGives() throws IOException {
    Path sim = simulateBench(4, 15);
    Path sweep = dir.resolve("sweep.json");
    Run r =
        run("evaluate", "--input", sim.toString(), "--threshold-sweep", "--json", sweep.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("best F1 within 0.20 false positives per second"), r.out());
    JsonNode rows = new ObjectMapper().readTree(sweep.toFile()).get("thresholds");
    assertEquals(38, rows.size());
    // the real detector run at a threshold finds exactly the sweep's spikes there
    for (int i : new int[] {4, 19, 30}) {
      JsonNode row = rows.get(i);
      String t = row.get("threshold").asText();
      Path one = dir.resolve("at" + i + ".json");
      Run d =
          run(
              "evaluate",
              "--input",
              sim.toString(),
              "--detector",
              "unet",
              "--operating-point",
              "fixed",
              "--probability-threshold",
              t,
              "--json",
              one.toString());
      assertEquals(0, d.code(), d.err());
      JsonNode overall =
          new ObjectMapper().readTree(one.toFile()).path("detectors").path("unet").path("overall");
      for (String k : new String[] {"tp", "fp", "fn"}) {
        assertEquals(overall.get(k).asLong(), row.get(k).asLong(), k + " at threshold " + t);
      }
    }
    assertTrue(
        rows.get(4).get("tp").asLong() > rows.get(30).get("tp").asLong(),
        "a lower threshold finds more: " + rows);
  }

  @Test
  void aThresholdSweepRefusesWhatItCannotHonour() {
    String in = dir.toString();
    String[][] bad = {
      {"--detector", "volpy"},
      {"--operating-point", "balanced"},
      {"--probability-threshold", "0.4"},
      {"--per-file"}
    };
    String[] expected = {
      "is not just unet", "rule alone", "drop --probability-threshold", "own table"
    };
    for (int i = 0; i < bad.length; i++) {
      List<String> args =
          new java.util.ArrayList<>(List.of("evaluate", "--input", in, "--threshold-sweep"));
      args.addAll(List.of(bad[i]));
      Run r = run(args.toArray(String[]::new));
      assertEquals(ErrorHandler.EXIT_INPUT, r.code(), r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains(expected[i]), r.err());
    }
  }

  /** A bench-preset set of {@code neurons} traces of {@code durationS} s in dir/sim. */
  private Path simulateBench(int neurons, int durationS) {
    Path sim = dir.resolve("sim");
    Run s =
        run(
            "simulate",
            "--out",
            sim.toString(),
            "--preset",
            "bench",
            "--neurons",
            String.valueOf(neurons),
            "--duration-s",
            String.valueOf(durationS));
    assertEquals(0, s.code(), s.err());
    return sim;
  }

  static long tp(Path json) throws IOException {
    return new ObjectMapper()
        .readTree(json.toFile())
        .path("detectors")
        .path("threshold")
        .path("overall")
        .get("tp")
        .asLong();
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws IOException {
    Path in = dir.resolve("in");
    Files.createDirectories(in);
    Files.writeString(in.resolve("a.csv"), "time_ms,voltage\n0,1\n1,2\n2,3\n");
    Files.writeString(in.resolve("b.csv"), "time_ms,voltage\n0,1\n1,oops\n");
    Path out = dir.resolve("out");
    Run r = run("detect", "--input", in.toString(), "--output", out.toString());
    assertEquals(ErrorHandler.EXIT_INPUT, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("b.csv") && r.err().contains("line 3"), r.err());
    assertFalse(Files.exists(out), "no partial output");
  }

  @Test
  void unknownDetectorNamesTheValidOnes() {
    Run r =
        run(
            "detect",
            "--input",
            dir.toString(),
            "--output",
            dir.resolve("o").toString(),
            "--detector",
            "magic");
    assertEquals(ErrorHandler.EXIT_INPUT, r.code());
    assertTrue(r.err().contains("valid values: matched, threshold, unet, volpy"), r.err());
  }

  @Test
  void missingInputIsAClearError() {
    Run r = run("evaluate", "--input", dir.resolve("nope").toString());
    assertEquals(ErrorHandler.EXIT_INPUT, r.code());
    assertTrue(r.err().contains("no such file"), r.err());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, run("simulate").code(), "--out is required");
    assertEquals(2, run("frobnicate").code());
  }

  @Test
  void trainNeverReplacesAnExistingModelUnlessTold() throws IOException {
    Path model = dir.resolve("model.onnx");
    Files.writeString(model, "a model someone shipped");
    Run r = run("train", "--output", model.toString());
    assertEquals(ErrorHandler.EXIT_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("--overwrite"), r.err());
    assertEquals("a model someone shipped", Files.readString(model));
    String defaultOutput =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))
            .getSubcommands()
            .get("train")
            .getCommandSpec()
            .findOption("--output")
            .defaultValue();
    assertTrue(!defaultOutput.startsWith("models/"), defaultOutput);
  }
}
