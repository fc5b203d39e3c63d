package io.voltspike.bench;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.MatchedDetector;
import io.voltspike.detect.SpikeDetector;
import io.voltspike.detect.SpikeSink;
import io.voltspike.detect.ThresholdDetector;
import io.voltspike.detect.VolPyDetector;
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
 * The detectors that need no model, whole (features included): nanoseconds per sample, one neuron,
 * 10 ms chunks. {@code threshold} is the baseline the others are read against in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ClassicalDetectorBenchmark {
  static final int N = 20_000;

  @Param({"threshold", "matched", "volpy"})
  public String detector;

  float[] trace;
  SpikeDetector d;

  @Setup
  public void setup() {
    Random r = new Random(1);
    trace = new float[N];
    for (int i = 0; i < N; i++) {
      trace[i] = (float) (1000 + 30 * r.nextGaussian() + (i % 150 == 0 ? 300 : 0));
    }
    DetectorOptions o = DetectorOptions.defaults();
    d =
        switch (detector) {
          case "matched" -> new MatchedDetector(o);
          case "volpy" -> new VolPyDetector(o);
          default -> new ThresholdDetector(o);
        };
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void detect(Blackhole bh) {
    SpikeSink sink = (s, v) -> bh.consume(s);
    for (int off = 0; off < N; off += 10) {
      d.push(trace, off, 10, sink);
    }
  }
}
