package io.voltspike.train;

import ai.onnx.proto.OnnxMl;
import io.voltspike.io.Recording;
import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.ModelMetadata;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.model.UNetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds an averaged ensemble ({@link OnnxEnsemble}) from trained model files and chooses its
 * operating threshold the way training does: the real detector on the validation traces, the best
 * F1 within the false-positive budget. The members' own thresholds do not carry over: averaging two
 * networks changes how confident the mean is.
 *
 * @param validationTraces validation traces, simulated as {@code voltspike train} simulates them
 * @param preset the preset of those traces ({@link TrainConfig#PRESETS})
 * @param seed the training seed whose validation traces are used (7: the default model's)
 * @param fpBudgetPerS false positives per second per neuron allowed at the chosen threshold
 */
public record EnsembleBuilder(int validationTraces, String preset, long seed, double fpBudgetPerS) {

  /** What was written: the chosen threshold, the validation counts there, and the metadata. */
  public record Result(
      double threshold, io.voltspike.eval.Counts validation, Map<String, String> meta) {}

  public Result build(List<Path> members, Path output) throws IOException {
    List<OnnxMl.ModelProto> protos = new ArrayList<>();
    for (Path p : members) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("ensemble member not found: " + p.toAbsolutePath());
      }
      protos.add(OnnxMl.ModelProto.parseFrom(Files.readAllBytes(p)));
    }
    Map<String, String> first = OnnxEnsemble.metadata(protos.get(0));
    OnnxMl.ModelProto merged = OnnxEnsemble.merge(protos, first);
    Path tmp = Files.createTempFile("voltspike-ensemble", ".onnx");
    try {
      Files.write(tmp, merged.toByteArray());
      int channels = Integer.parseInt(first.get(ModelMetadata.CHANNELS));
      int window = Integer.parseInt(first.get(ModelMetadata.WINDOW));
      UNetSpec spec = UNetSpec.parse(first.get(ModelMetadata.ARCHITECTURE), channels, window);
      UNetTrainer trainer = new UNetTrainer(config(spec, output));
      List<Recording> val =
          trainer.recordings(validationTraces, seed + UNetTrainer.VALIDATION_SEED);
      UNetTrainer.Validation v;
      try (OnnxSpikeModel m =
          OnnxSpikeModel.load(
              tmp, ExecutionProvider.CPU, 1, first.get(ModelMetadata.FEATURE_HASH))) {
        v = trainer.validate(val, m);
      }
      Map<String, String> meta = metadata(protos, members, first, v);
      // the same graph, its own metadata instead of the first member's
      OnnxExporter.write(
          OnnxExporter.withMetadata(merged.toBuilder().clearMetadataProps(), meta).build(), output);
      return new Result(v.threshold(), v.counts(), meta);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The command that rebuilds this ensemble from its member files. */
  String command(List<Path> members) {
    return String.format(
            Locale.ROOT,
            "voltspike ensemble --validation-traces %d --training-preset %s --seed %d"
                + " --fp-budget-per-s %s",
            validationTraces,
            preset,
            seed,
            fpBudgetPerS)
        + members.stream().map(p -> " --member " + p).collect(Collectors.joining());
  }

  private TrainConfig config(UNetSpec spec, Path output) {
    return new TrainConfig(
        spec,
        0,
        validationTraces,
        30,
        null,
        20,
        128,
        0.002f,
        "cosine",
        1f,
        1,
        fpBudgetPerS,
        1,
        1,
        seed,
        output,
        preset);
  }

  private Map<String, String> metadata(
      List<OnnxMl.ModelProto> protos,
      List<Path> files,
      Map<String, String> first,
      UNetTrainer.Validation v) {
    List<Map<String, String>> ms = protos.stream().map(OnnxEnsemble::metadata).toList();
    Map<String, String> m = new LinkedHashMap<>();
    for (String k :
        List.of(
            ModelMetadata.WINDOW,
            ModelMetadata.CHANNELS,
            "voltspike.channel_order",
            ModelMetadata.FEATURE_CONFIG,
            ModelMetadata.FEATURE_HASH,
            ModelMetadata.SAMPLE_RATE_HZ)) {
      if (first.containsKey(k)) {
        m.put(k, first.get(k));
      }
    }
    m.put(ModelMetadata.VERSION, "mean(" + join(ms, ModelMetadata.VERSION, ",") + ")");
    m.put(ModelMetadata.ARCHITECTURE, "mean of " + join(ms, ModelMetadata.ARCHITECTURE, " and "));
    m.put(ModelMetadata.TRAINED_ON, join(ms, ModelMetadata.TRAINED_ON, "; and "));
    StringBuilder cmd = new StringBuilder();
    for (int i = 0; i < files.size(); i++) {
      cmd.append(ms.get(i).getOrDefault(ModelMetadata.TRAINING_COMMAND, "(not recorded)"))
          .append(" --output ")
          .append(files.get(i))
          .append(" && ");
    }
    m.put(ModelMetadata.TRAINING_COMMAND, cmd + command(files));
    m.put(ModelMetadata.VALIDATION_F1, UNetTrainer.validationF1(v.counts(), v.threshold()));
    m.put(ModelMetadata.PROBABILITY_THRESHOLD, String.format(Locale.ROOT, "%.3f", v.threshold()));
    return m;
  }

  private static String join(List<Map<String, String>> ms, String key, String sep) {
    return ms.stream().map(x -> x.getOrDefault(key, "?")).collect(Collectors.joining(sep));
  }
}
