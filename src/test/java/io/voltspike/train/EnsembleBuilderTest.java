package io.voltspike.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import io.voltspike.cli.Main;
import io.voltspike.io.Recording;
import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.ModelMetadata;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.model.UNetSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code voltspike ensemble}: the written model is the members' mean, with the threshold the real
 * detector chooses on the validation traces, and says how to rebuild itself.
 */
class EnsembleBuilderTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void writesTheMeanWithTheThresholdItsValidationChooses() throws IOException {
    OnnxMl.ModelProto a = OnnxEnsembleTest.read(OnnxEnsembleTest.WHITENED);
    Path b = dir.resolve("b.onnx");
    Files.write(b, OnnxEnsembleTest.shifted(a, -1.0f).toByteArray());
    Path out = dir.resolve("e.onnx");
    Run r =
        run(
            "ensemble",
            "--member",
            OnnxEnsembleTest.WHITENED.toString(),
            "--member",
            b.toString(),
            "--validation-traces",
            "2",
            "--output",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ensemble of 2"), r.out());

    Map<String, String> meta = OnnxEnsemble.metadata(OnnxEnsembleTest.read(out));
    Map<String, String> first = OnnxEnsemble.metadata(a);
    assertEquals(first.get(ModelMetadata.FEATURE_HASH), meta.get(ModelMetadata.FEATURE_HASH));
    String cmd = meta.get(ModelMetadata.TRAINING_COMMAND);
    assertTrue(cmd.startsWith(first.get(ModelMetadata.TRAINING_COMMAND)), cmd);
    assertTrue(cmd.endsWith("--member " + b), cmd);
    assertTrue(
        cmd.contains("voltspike ensemble --validation-traces 2 --training-preset train"), cmd);

    // the recorded threshold is what the trainer's own validation picks for this graph
    double threshold = Double.parseDouble(meta.get(ModelMetadata.PROBABILITY_THRESHOLD));
    assertTrue(
        Arrays.stream(io.voltspike.eval.ThresholdSweep.THRESHOLDS)
            .anyMatch(t -> Math.abs(t - threshold) < 1e-9));
    // a less confident second member: the mean needs a lower bar than the first member's own
    assertTrue(
        threshold < Double.parseDouble(first.get(ModelMetadata.PROBABILITY_THRESHOLD)),
        "threshold " + threshold);
    EnsembleBuilder builder = new EnsembleBuilder(2, "train", 7, 0.2);
    UNetTrainer trainer =
        new UNetTrainer(
            new TrainConfig(
                UNetSpec.parse("8-16-32:k5", 6, 100),
                0,
                2,
                30,
                null,
                20,
                128,
                0.002f,
                "cosine",
                1f,
                1,
                0.2,
                1,
                1,
                7,
                out,
                "train"));
    List<Recording> val = trainer.recordings(2, 7 + UNetTrainer.VALIDATION_SEED);
    try (OnnxSpikeModel m =
        OnnxSpikeModel.load(out, ExecutionProvider.CPU, 1, meta.get(ModelMetadata.FEATURE_HASH))) {
      assertEquals(threshold, m.probabilityThreshold(), 1e-9);
      assertEquals(trainer.validate(val, m).threshold(), threshold, 1e-9);
    }
    assertTrue(builder.command(List.of(b)).endsWith("--member " + b));
  }

  @Test
  void refusesOneMemberAnExistingOutputAndAMissingFile() throws IOException {
    String w = OnnxEnsembleTest.WHITENED.toString();
    Run one = run("ensemble", "--member", w, "--output", dir.resolve("x.onnx").toString());
    assertEquals(io.voltspike.cli.ErrorHandler.EXIT_INPUT, one.code(), one.err());
    assertTrue(one.err().contains("at least 2 --member"), one.err());

    Path existing = Files.writeString(dir.resolve("exists.onnx"), "x");
    Run exists = run("ensemble", "--member", w, "--member", w, "--output", existing.toString());
    assertEquals(io.voltspike.cli.ErrorHandler.EXIT_INPUT, exists.code(), exists.err());
    assertTrue(exists.err().contains("--overwrite"), exists.err());
    assertEquals("x", Files.readString(existing));

    Path out = dir.resolve("y.onnx");
    Run missing =
        run(
            "ensemble",
            "--member",
            w,
            "--member",
            dir.resolve("none.onnx").toString(),
            "--output",
            out.toString());
    assertTrue(missing.err().contains("ensemble member not found"), missing.err());
    assertFalse(Files.exists(out));
  }
}
