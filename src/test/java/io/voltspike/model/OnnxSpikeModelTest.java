package io.voltspike.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wrapper's reused direct buffers and pinned output give exactly what a plain ORT call on the
 * same model gives, whatever the order of batch sizes and however many threads call at once.
 */
class OnnxSpikeModelTest {
  /** A plain ORT call: a heap buffer in, the returned tensor out. */
  static float[] plain(Path file, float[] input, int batch, int channels, int window)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(1);
    o.setInterOpNumThreads(1);
    o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    try (OrtSession s = env.createSession(file.toString(), o);
        OnnxTensor t =
            OnnxTensor.createTensor(
                env,
                FloatBuffer.wrap(input, 0, batch * channels * window),
                new long[] {batch, channels, window});
        OrtSession.Result r = s.run(Map.of(OnnxSpikeModel.INPUT, t))) {
      float[] out = new float[batch * window];
      ((OnnxTensor) r.get(0)).getFloatBuffer().get(out);
      return out;
    }
  }

  static float[] windows(int batch, int channels, int window, long seed) {
    Random r = new Random(seed);
    float[] x = new float[batch * channels * window];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * r.nextGaussian());
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "models/voltspike-unet-whitened.onnx",
        "models/voltspike-unet-student.onnx",
        "models/voltspike-unet.onnx",
        "models/voltspike-unet-4-8-16.onnx"
      })
  void equalsAPlainOrtCallAtEveryBatchSize(String model) throws OrtException {
    Path file = Path.of(model);
    try (OnnxSpikeModel m = OnnxSpikeModel.load(file, ExecutionProvider.CPU, 1, null)) {
      assertTrue(m.pinsOutput(), "the shipped models' output is pinned");
      int c = m.channels();
      int w = m.windowSamples();
      // growing, shrinking and growing again: the buffers are reused and regrown
      for (int batch : new int[] {1, 64, 3, 200, 7}) {
        float[] in = windows(batch, c, w, batch);
        float[] out = new float[batch * w + 5]; // longer than needed: the tail stays untouched
        out[batch * w] = -1f;
        m.predict(in, batch, out);
        float[] want = plain(file, in, batch, c, w);
        float[] got = java.util.Arrays.copyOf(out, batch * w);
        assertArrayEquals(want, got, "batch " + batch);
        assertEquals(-1f, out[batch * w], "nothing written past the batch");
      }
    }
  }

  @Test
  void theStudentReadsWhatTheDefaultReadsAndRecordsItsTeacher() throws OrtException {
    try (OnnxSpikeModel d =
            OnnxSpikeModel.load(
                Path.of("models/voltspike-unet-whitened.onnx"), ExecutionProvider.CPU, 1, null);
        OnnxSpikeModel s =
            OnnxSpikeModel.load(
                Path.of("models/voltspike-unet-student.onnx"), ExecutionProvider.CPU, 1, null)) {
      assertEquals(d.featureHash(), s.featureHash());
      assertEquals(d.channels(), s.channels());
      assertEquals(0.55, s.probabilityThreshold(), 1e-9);
      String command = s.metadata().get(ModelMetadata.TRAINING_COMMAND);
      assertTrue(
          command.contains("--teacher models/voltspike-unet-ensemble.onnx --teacher-weight 1.0")
              && command.contains("--train-traces 1080")
              && command.contains("--fp-budget-per-s 0.18"),
          command);
    }
  }

  @Test
  void threadsCallingAtOnceEachGetTheirOwnAnswer() throws Exception {
    int threads = 4;
    Path file = Path.of("models/voltspike-unet-4-8-16.onnx");
    try (OnnxSpikeModel m = OnnxSpikeModel.load(file, ExecutionProvider.CPU, 1, null)) {
      int c = m.channels();
      int w = m.windowSamples();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Boolean>> done = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
          int batch = 5 + 17 * k;
          float[] in = windows(batch, c, w, 100 + k);
          float[] want = plain(file, in, batch, c, w);
          done.add(
              pool.submit(
                  () -> {
                    float[] out = new float[batch * w];
                    for (int rep = 0; rep < 50; rep++) {
                      m.predict(in, batch, out);
                      if (!java.util.Arrays.equals(want, out)) {
                        return false;
                      }
                    }
                    return true;
                  }));
        }
        for (Future<Boolean> f : done) {
          assertTrue(f.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aClosedModelRefusesCalls() {
    int batch = 2;
    OnnxSpikeModel m =
        OnnxSpikeModel.load(
            Path.of("models/voltspike-unet-4-8-16.onnx"), ExecutionProvider.CPU, 1, null);
    m.close();
    float[] in = new float[batch * m.channels() * m.windowSamples()];
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> m.predict(in, batch, new float[batch * m.windowSamples()]));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }
}
