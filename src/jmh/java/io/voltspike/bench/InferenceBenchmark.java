package io.voltspike.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.signal.FeatureConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inference: VoltSpike's model wrapper beside a bare ONNX Runtime call on the same model, input
 * batch and number of intra-op threads. windows/s = ops/s x batch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// JMH's forked JVM dies with SIGSEGV (exit 139, no hs_err file: a native stack overflow) in the
// first ONNX Runtime call when its threads have the default 1 MiB stacks; 2 MiB is enough. The
// detector itself loads and runs the model on threads with 256 KiB stacks.
@Fork(value = 1, jvmArgsAppend = "-Xss2m")
public class InferenceBenchmark {
  @Param({"1", "16", "64", "256"})
  int batch;

  @Param({"models/voltspike-unet.onnx"})
  String model;

  /** ONNX Runtime intra-op threads, the same for both. */
  @Param({"1", "2"})
  int threads;

  OnnxSpikeModel wrapped;
  OrtEnvironment env;
  OrtSession bare;
  OnnxTensor bareInput;
  FloatBuffer bareBuffer; // keeps the tensor's direct memory reachable
  float[] input;
  float[] output;

  @Setup(Level.Trial)
  public void setup() throws OrtException {
    Path file = Path.of(System.getProperty("voltspike.home", "."), model);
    // any shipped model: five features, or them and the whitened channel
    wrapped = OnnxSpikeModel.load(file, ExecutionProvider.CPU, threads, null);
    Random r = new Random(3);
    input = new float[batch * wrapped.channels() * 100];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) r.nextGaussian();
    }
    output = new float[batch * 100];
    env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(threads);
    o.setInterOpNumThreads(1);
    bare = env.createSession(file.toString(), o);
    bareBuffer =
        ByteBuffer.allocateDirect(4 * input.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
    bareBuffer.put(input).rewind();
    bareInput = OnnxTensor.createTensor(env, bareBuffer, new long[] {batch, wrapped.channels(), 100});
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    bareInput.close();
    bare.close();
    wrapped.close();
  }

  /** The detector's path: heap arrays in and out. */
  @Benchmark
  public float voltspikeModel() {
    wrapped.predict(input, batch, output);
    return output[0];
  }

  /**
   * A plain ORT call from heap arrays, as most Java callers write it: the heap input wrapped (ORT
   * copies it into a fresh direct buffer) and the returned tensor copied out.
   */
  @Benchmark
  public float plainOrtFromHeap() throws OrtException {
    try (OnnxTensor t =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(input), new long[] {batch, wrapped.channels(), 100});
        OrtSession.Result r = bare.run(Map.of(OnnxSpikeModel.INPUT, t))) {
      ((OnnxTensor) r.get(0)).getFloatBuffer().get(output);
      return output[0];
    }
  }

  /** ONNX Runtime alone: a reused direct-buffer tensor, output read in place. */
  @Benchmark
  public float onnxRuntimeAlone() throws OrtException {
    try (OrtSession.Result r = bare.run(Map.of(OnnxSpikeModel.INPUT, bareInput))) {
      return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
    }
  }
}
