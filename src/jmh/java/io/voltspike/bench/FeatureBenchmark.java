package io.voltspike.bench;

import io.voltspike.signal.FeatureConfig;
import io.voltspike.signal.FeatureExtractor;
import io.voltspike.signal.FeatureSink;
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
 * Feature extraction cost: nanoseconds per sample, 10 ms chunks; with {@code neurons} > 1 the
 * chunks go to that many extractors in turn, as a stream thread serves its neurons (their state
 * no longer all in the core's cache).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FeatureBenchmark {
  static final int N = 10_000;
  @Param({"1"})
  int neurons;

  float[] trace;
  FeatureExtractor[] fx;
  int[] at;

  @Setup
  public void setup() {
    Random r = new Random(1);
    trace = new float[N];
    for (int i = 0; i < N; i++) {
      trace[i] = (float) (1000 + 30 * r.nextGaussian());
    }
    fx = new FeatureExtractor[neurons];
    at = new int[neurons];
    for (int n = 0; n < neurons; n++) {
      fx[n] = new FeatureExtractor(FeatureConfig.defaults());
      at[n] = 10 * n % N;
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void extract(Blackhole bh) {
    FeatureSink sink = (i, f, imp) -> bh.consume(f[3]);
    for (int c = 0, n = 0; c < N / 10; c++) {
      fx[n].push(trace, at[n], 10, sink);
      at[n] = at[n] + 10 == N ? 0 : at[n] + 10;
      n = n + 1 == neurons ? 0 : n + 1;
    }
  }
}
