package io.voltspike.bench;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.SpikeSink;
import io.voltspike.detect.UNetDetector;
import io.voltspike.model.WindowModel;
import io.voltspike.signal.FeatureConfig;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Everything but the network: features, window cutting, averaging, thresholding and shadowing,
 * with a model that costs nothing. Nanoseconds per sample at the default stride (10 ms); with
 * {@code -p neurons=N}, N neurons' detectors are fed 10 samples in turn, as a stream thread serves
 * its neurons (their state no longer all in the core's cache).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PostProcessingBenchmark {
  static final int N = 10_000;
  @Param({"1"})
  int neurons;

  float[] trace;
  UNetDetector[] detectors;
  int[] at;

  @Setup
  public void setup() {
    Random r = new Random(1);
    trace = new float[N];
    for (int i = 0; i < N; i++) {
      trace[i] = (float) (1000 + 30 * r.nextGaussian());
    }
    String hash = FeatureConfig.defaults().hash();
    WindowModel free =
        new WindowModel() {
          public int windowSamples() {
            return 100;
          }

          public int channels() {
            return 5;
          }

          public String featureHash() {
            return hash;
          }

          public String version() {
            return "free";
          }

          public void predict(float[] in, int batch, float[] out) {
            for (int i = 0; i < batch * 100; i++) {
              out[i] = in[i] > 3 ? 0.9f : 0.01f;
            }
          }
        };
    detectors = new UNetDetector[neurons];
    at = new int[neurons];
    for (int n = 0; n < neurons; n++) {
      detectors[n] = new UNetDetector(DetectorOptions.defaults(), free);
      at[n] = 10 * n % N;
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void detect(Blackhole bh) {
    SpikeSink sink = (s, p) -> bh.consume(s);
    for (int c = 0, n = 0; c < N / 10; c++) {
      detectors[n].push(trace, at[n], 10, sink);
      at[n] = at[n] + 10 == N ? 0 : at[n] + 10;
      n = n + 1 == neurons ? 0 : n + 1;
    }
  }
}
