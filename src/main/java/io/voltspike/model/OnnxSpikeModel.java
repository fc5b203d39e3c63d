package io.voltspike.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The U-Net in ONNX Runtime: one session, created once, shared by every detector of the process
 * (ORT sessions are safe to run concurrently). Batches of windows go in, probabilities come out.
 *
 * <p>The model's metadata must match the feature extractor the detectors run: a different feature
 * hash, window or channel count is refused at load time with a message naming both values. {@link
 * ExecutionProvider#CUDA} is tried when asked for; ORT does not fall back by itself, so a CUDA
 * provider that cannot load falls back to CPU here, with a warning.
 *
 * <p>Each calling thread keeps its own direct input and output buffers, grown as needed and reused
 * by every call: ORT reads a direct buffer in place and writes the probabilities into a pinned
 * output tensor over the other, where a heap array in and a returned tensor out would cost a fresh
 * direct allocation, two copies and a result tensor per call.
 */
public final class OnnxSpikeModel implements WindowModel, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxSpikeModel.class);
  public static final String INPUT = "features";
  public static final String OUTPUT = "probability";

  private final Path file;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final Map<String, String> metadata;
  private final int window;
  private final int channels;
  private final ExecutionProvider provider;
  private final double probabilityThreshold;
  private final double sampleRateHz;

  /**
   * Inference holds the read side, {@link #close} the write side: closing waits for the calls in
   * flight and later calls fail with an exception, never a call into a freed native session (a JVM
   * crash). Stream threads that outlive a shutdown's timeout would otherwise do exactly that.
   */
  private final java.util.concurrent.locks.ReentrantReadWriteLock lock =
      new java.util.concurrent.locks.ReentrantReadWriteLock();

  private boolean closed;

  /**
   * The output's shape after its batch dimension when it is fixed and holds one window and the
   * session runs on the CPU (then the output is pinned into the caller's direct buffer); null
   * otherwise (read from ORT's tensor).
   */
  private final long[] outputTail;

  private final ThreadLocal<IoBuffers> buffers = ThreadLocal.withInitial(IoBuffers::new);

  /** One thread's direct buffers, in native order, grown to the largest batch it has run. */
  private static final class IoBuffers {
    FloatBuffer in = direct(0);
    FloatBuffer out = direct(0);

    FloatBuffer input(float[] values, int n) {
      if (in.capacity() < n) {
        in = direct(n);
      }
      in.clear();
      in.put(values, 0, n);
      return in.flip();
    }

    FloatBuffer output(int n) {
      if (out.capacity() < n) {
        out = direct(n);
      }
      out.clear();
      return out.limit(n);
    }

    private static FloatBuffer direct(int floats) {
      return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
  }

  private OnnxSpikeModel(
      Path file,
      OrtEnvironment env,
      OrtSession session,
      Map<String, String> metadata,
      ExecutionProvider provider,
      double probabilityThreshold) {
    this.file = file;
    this.env = env;
    this.session = session;
    this.metadata = metadata;
    this.window = Integer.parseInt(metadata.get(ModelMetadata.WINDOW));
    this.channels = Integer.parseInt(metadata.get(ModelMetadata.CHANNELS));
    this.provider = provider;
    this.probabilityThreshold = probabilityThreshold;
    this.sampleRateHz = ModelMetadata.sampleRateHz(metadata, file);
    // pinned on the CPU only: the CUDA path stays the plain call it was measured and tested with
    this.outputTail = provider == ExecutionProvider.CPU ? outputTail(session, window) : null;
  }

  /** See {@link #outputTail}: e.g. {@code [1, 100]} for an output of shape {@code [-1, 1, 100]}. */
  private static long[] outputTail(OrtSession session, int window) {
    try {
      if (!(session.getOutputInfo().get(OUTPUT).getInfo() instanceof TensorInfo info)) {
        return null;
      }
      long[] shape = info.getShape();
      long[] tail = Arrays.copyOfRange(shape, Math.min(1, shape.length), shape.length);
      long product = 1;
      for (long d : tail) {
        product *= Math.max(d, 0); // a dynamic dimension (-1) makes it 0: not pinned
      }
      return shape.length >= 2 && product == window ? tail : null;
    } catch (OrtException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Loads a model and checks it against the expected feature hash.
   *
   * @param intraOpThreads ORT intra-op threads (1 is best for small batches on few cores)
   */
  public static OnnxSpikeModel load(
      Path file, ExecutionProvider wanted, int intraOpThreads, String expectedFeatureHash) {
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException("model file not found: " + file.toAbsolutePath());
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    ExecutionProvider used = wanted;
    OrtSession session;
    try {
      session = env.createSession(file.toString(), options(wanted, intraOpThreads));
    } catch (OrtException e) {
      if (wanted == ExecutionProvider.CUDA) {
        LOG.warn(
            "CUDA execution provider unavailable ({}); falling back to CPU",
            oneLine(e.getMessage()));
        used = ExecutionProvider.CPU;
        try {
          session = env.createSession(file.toString(), options(used, intraOpThreads));
        } catch (OrtException e2) {
          throw new ModelLoadException(
              "cannot load model " + file + ": " + oneLine(e2.getMessage()), e2);
        }
      } else {
        throw new ModelLoadException(
            "cannot load model " + file + ": " + oneLine(e.getMessage()), e);
      }
    }
    try {
      Map<String, String> meta = session.getMetadata().getCustomMetadata();
      for (String k : ModelMetadata.REQUIRED) {
        if (!meta.containsKey(k)) {
          session.close();
          throw new ModelLoadException(
              "model " + file + " is not a VoltSpike model: metadata '" + k + "' is missing");
        }
      }
      String hash = meta.get(ModelMetadata.FEATURE_HASH);
      if (expectedFeatureHash != null && !expectedFeatureHash.equals(hash)) {
        session.close();
        throw new ModelLoadException(
            "model "
                + file
                + " was trained with feature hash "
                + hash
                + " but this detector's feature extractor has hash "
                + expectedFeatureHash
                + "; retrain the model or use the feature settings it was trained with ("
                + meta.getOrDefault(ModelMetadata.FEATURE_CONFIG, "not recorded")
                + ")");
      }
      double threshold;
      try {
        threshold = ModelMetadata.probabilityThreshold(meta, file);
      } catch (ModelLoadException e) {
        session.close();
        throw e;
      }
      return new OnnxSpikeModel(file, env, session, meta, used, threshold);
    } catch (OrtException e) {
      throw new ModelLoadException("cannot read metadata of model " + file, e);
    }
  }

  private static SessionOptions options(ExecutionProvider p, int threads) throws OrtException {
    SessionOptions o = new SessionOptions();
    o.setIntraOpNumThreads(Math.max(1, threads));
    o.setInterOpNumThreads(1);
    o.setOptimizationLevel(SessionOptions.OptLevel.ALL_OPT);
    if (p == ExecutionProvider.CUDA) {
      o.addCUDA(0);
    }
    return o;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").strip();
  }

  public Path file() {
    return file;
  }

  public ExecutionProvider provider() {
    return provider;
  }

  /** Whether ORT writes the probabilities straight into this thread's direct output buffer. */
  boolean pinsOutput() {
    return outputTail != null;
  }

  @Override
  public String executionProvider() {
    return provider.toString();
  }

  @Override
  public double probabilityThreshold() {
    return probabilityThreshold;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public int windowSamples() {
    return window;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public String featureHash() {
    return metadata.get(ModelMetadata.FEATURE_HASH);
  }

  /**
   * The features' rate: {@code voltspike.sample_rate_hz}, else the {@code fs=} of the recorded
   * feature configuration, else 1000 Hz (models before either were all trained at 1 kHz).
   */
  @Override
  public double sampleRateHz() {
    return sampleRateHz;
  }

  @Override
  public String version() {
    return metadata.get(ModelMetadata.VERSION);
  }

  @Override
  public void predict(float[] input, int batch, float[] output) {
    int n = batch * channels * window;
    if (input.length < n || output.length < batch * window) {
      throw new IllegalArgumentException(
          "buffers too small for a batch of "
              + batch
              + ": "
              + Arrays.toString(new int[] {input.length, output.length}));
    }
    long[] shape = {batch, channels, window};
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("model " + file + " is closed");
      }
      IoBuffers io = buffers.get();
      try (OnnxTensor t = OnnxTensor.createTensor(env, io.input(input, n), shape)) {
        if (outputTail != null) {
          runPinned(t, io.output(batch * window), batch, output);
        } else {
          try (OrtSession.Result r = session.run(Map.of(INPUT, t))) {
            OnnxValue v = r.get(0);
            ((OnnxTensor) v).getFloatBuffer().get(output, 0, batch * window);
          }
        }
      } catch (OrtException e) {
        throw new IllegalStateException("inference failed: " + oneLine(e.getMessage()), e);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** ORT writes the probabilities into {@code out}, a direct buffer; they are copied from there. */
  private void runPinned(OnnxTensor in, FloatBuffer out, int batch, float[] output)
      throws OrtException {
    long[] shape = new long[1 + outputTail.length];
    shape[0] = batch;
    System.arraycopy(outputTail, 0, shape, 1, outputTail.length);
    try (OnnxTensor o = OnnxTensor.createTensor(env, out, shape);
        OrtSession.Result r = session.run(Map.of(INPUT, in), Map.of(OUTPUT, o))) {
      out.get(0, output, 0, batch * window);
    }
  }

  /** Waits for inference calls in flight, then frees the session; later calls throw. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing the ONNX session failed: {}", e.getMessage());
    } finally {
      lock.writeLock().unlock();
    }
  }
}
