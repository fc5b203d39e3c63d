package io.voltspike.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.ModelLoadException;
import io.voltspike.model.ModelMetadata;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.model.UNetSpec;
import io.voltspike.signal.FeatureConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported ONNX graph computes what the DJL network computes. */
class OnnxParityTest {
  @TempDir static Path dir;
  static final String HASH = FeatureConfig.defaults().hash();

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
    NativeCpuGuard.capIsa(); // as every entry point that loads PyTorch does
  }

  static Map<String, String> meta() {
    return Map.of(
        ModelMetadata.VERSION, "test",
        ModelMetadata.WINDOW, "100",
        ModelMetadata.CHANNELS, "5",
        ModelMetadata.FEATURE_HASH, HASH);
  }

  @Test
  void onnxRuntimeMatchesDjlWithin1e4() throws IOException {
    for (String arch : new String[] {"8-16-32:k5", "4-8-16-32:k3"}) {
      UNetSpec spec = UNetSpec.parse(arch, 5, arch.startsWith("4-") ? 96 : 100);
      int w = spec.windowSamples();
      int batch = 7;
      float[] x = new float[batch * 5 * w];
      Random r = new Random(5);
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (2 * r.nextGaussian());
      }
      float[] djl;
      Map<String, float[]> weights;
      try (Model model = Model.newInstance("parity", "PyTorch");
          NDManager m = NDManager.newBaseManager("PyTorch")) {
        DjlUNet net = new DjlUNet(spec);
        model.setBlock(net);
        net.initialize(m, DataType.FLOAT32, new Shape(batch, 5, w));
        NDArray in = m.create(x, new Shape(batch, 5, w));
        NDArray out =
            net.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
        djl = Activation.sigmoid(out).toFloatArray();
        weights = net.weightArrays();
      }
      Path file = dir.resolve("parity-" + arch.replace(':', '_') + ".onnx");
      java.util.Map<String, String> md = new java.util.HashMap<>(meta());
      md.put(ModelMetadata.WINDOW, Integer.toString(w));
      OnnxExporter.export(spec, weights, md, file);
      float[] ort = new float[batch * w];
      try (OnnxSpikeModel onnx = OnnxSpikeModel.load(file, ExecutionProvider.CPU, 1, HASH)) {
        onnx.predict(x, batch, ort);
        assertEquals(w, onnx.windowSamples());
      }
      double maxDiff = 0;
      for (int i = 0; i < ort.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(ort[i] - djl[i]));
      }
      assertTrue(maxDiff <= 1e-4, arch + ": max |ORT - DJL| = " + maxDiff);
    }
  }

  @Test
  void runtimeRefusesForeignMissingAndCorruptModels() throws IOException {
    UNetSpec spec = UNetSpec.parse("8-16-32", 5, 100);
    Map<String, float[]> zeros = new java.util.HashMap<>();
    for (UNetSpec.Conv c : spec.convolutions()) {
      zeros.put(c.name() + ".weight", new float[c.out() * c.in() * c.kernel()]);
      zeros.put(c.name() + ".bias", new float[c.out()]);
    }
    Path file = dir.resolve("zeros.onnx");
    OnnxExporter.export(spec, zeros, meta(), file);

    var mismatch =
        assertThrows(
            ModelLoadException.class,
            () -> OnnxSpikeModel.load(file, ExecutionProvider.CPU, 1, "0123456789abcdef"));
    assertTrue(mismatch.getMessage().contains(HASH), mismatch.getMessage());
    assertTrue(mismatch.getMessage().contains("0123456789abcdef"));

    var missing =
        assertThrows(
            ModelLoadException.class,
            () -> OnnxSpikeModel.load(dir.resolve("nope.onnx"), ExecutionProvider.CPU, 1, HASH));
    assertTrue(missing.getMessage().contains("not found"));

    try (OnnxSpikeModel m = OnnxSpikeModel.load(file, ExecutionProvider.CPU, 1, HASH)) {
      assertEquals(0.5, m.probabilityThreshold(), "no operating point recorded: 0.5");
    }
    Map<String, String> withThreshold = new java.util.HashMap<>(meta());
    withThreshold.put(ModelMetadata.PROBABILITY_THRESHOLD, "0.85");
    Path calibrated = dir.resolve("calibrated.onnx");
    OnnxExporter.export(spec, zeros, withThreshold, calibrated);
    try (OnnxSpikeModel m = OnnxSpikeModel.load(calibrated, ExecutionProvider.CPU, 1, HASH)) {
      assertEquals(0.85, m.probabilityThreshold());
    }
    withThreshold.put(ModelMetadata.PROBABILITY_THRESHOLD, "1.3");
    Path badThreshold = dir.resolve("bad-threshold.onnx");
    OnnxExporter.export(spec, zeros, withThreshold, badThreshold);
    var outOfRange =
        assertThrows(
            ModelLoadException.class,
            () -> OnnxSpikeModel.load(badThreshold, ExecutionProvider.CPU, 1, HASH));
    assertTrue(
        outOfRange.getMessage().contains("voltspike.probability_threshold' must be in (0, 1)"),
        outOfRange.getMessage());

    Path corrupt = dir.resolve("corrupt.onnx");
    Files.write(corrupt, new byte[] {1, 2, 3, 4, 5});
    var bad =
        assertThrows(
            ModelLoadException.class,
            () -> OnnxSpikeModel.load(corrupt, ExecutionProvider.CPU, 1, HASH));
    assertTrue(bad.getMessage().contains("corrupt.onnx"), bad.getMessage());

    Path foreign = dir.resolve("foreign.onnx");
    OnnxExporter.export(spec, zeros, Map.of(ModelMetadata.VERSION, "x"), foreign);
    var notOurs =
        assertThrows(
            ModelLoadException.class,
            () -> OnnxSpikeModel.load(foreign, ExecutionProvider.CPU, 1, HASH));
    assertTrue(notOurs.getMessage().contains("not a VoltSpike model"));

    // a CUDA request runs on CUDA where the provider loads (the -Pcuda build on a GPU), else falls
    // back to CPU; either way the model answers exactly as on CPU (zero weights: 0.5)
    boolean cudaBuild =
        ai.onnxruntime.OrtEnvironment.getAvailableProviders()
            .contains(ai.onnxruntime.OrtProvider.CUDA);
    try (OnnxSpikeModel m = OnnxSpikeModel.load(file, ExecutionProvider.CUDA, 1, HASH)) {
      if (!cudaBuild) {
        assertEquals(ExecutionProvider.CPU, m.provider(), "no CUDA provider in this build");
      }
      float[] out = new float[100];
      m.predict(new float[500], 1, out);
      assertEquals(0.5f, out[42], 1e-6f);
    }

    // zero weights: sigmoid(0) everywhere
    try (OnnxSpikeModel m = OnnxSpikeModel.load(file, ExecutionProvider.CPU, 1, HASH)) {
      float[] out = new float[2 * 100];
      m.predict(new float[2 * 500], 2, out);
      assertEquals(0.5f, out[137], 1e-7f);
      // a closed model refuses inference with an exception instead of crashing in native code
      m.close();
      m.close();
      IllegalStateException closed =
          assertThrows(IllegalStateException.class, () -> m.predict(new float[500], 1, out));
      assertTrue(closed.getMessage().endsWith("is closed"), closed.getMessage());
    }
  }
}
