package io.voltspike.bench;

import io.voltspike.signal.SlidingMedian;
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

/**
 * One push and one median read of the feature extractor's running medians (200 entries: the
 * baseline; 1,000: the noise estimate), nanoseconds per push, against the previous implementation
 * ({@link SortedArrayMedian}) in the same run. The input is a trace's values: shot noise on a slow
 * wave, the order the extractor sees them in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MedianBenchmark {
  static final int N = 10_000;

  @Param({"200", "1000"})
  int window;

  float[] values;
  SlidingMedian current;
  SortedArrayMedian baseline;

  @Setup
  public void setup() {
    Random r = new Random(3);
    values = new float[N];
    for (int i = 0; i < N; i++) {
      values[i] = (float) (r.nextGaussian() + 3 * Math.sin(2 * Math.PI * i / 700.0));
    }
    current = new SlidingMedian(window);
    baseline = new SortedArrayMedian(window);
    for (float v : values) {
      current.push(v);
      baseline.push(v);
    }
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public double current() {
    double s = 0;
    for (float v : values) {
      current.push(v);
      s += current.median();
    }
    return s;
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public double baseline() {
    double s = 0;
    for (float v : values) {
      baseline.push(v);
      s += baseline.median();
    }
    return s;
  }
}
