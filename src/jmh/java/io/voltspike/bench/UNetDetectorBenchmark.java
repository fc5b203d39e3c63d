package io.voltspike.bench;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.OperatingPoint;
import io.voltspike.detect.SpikeSink;
import io.voltspike.detect.UNetDetector;
import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.sim.Family;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.TraceParams;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole U-Net detector with a shipped network on 30 s of a simulated recording (spikes,
 * subthreshold waves), its windows run in batches of 64 as in {@code detect} (the stream's batches
 * span neurons instead): nanoseconds per sample, the network included. At {@code fixed} the windows whose decisions
 * could not change are not run (detection.md, "Windows the network need not see"); at {@code
 * balanced} every window is run, and some again sign-flipped.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// ONNX Runtime's first call needs more than JMH's default thread stack (InferenceBenchmark)
@Fork(value = 1, jvmArgsAppend = "-Xss2m")
public class UNetDetectorBenchmark {
  static final int N = 30_000;

  @Param({"models/voltspike-unet-whitened.onnx", "models/voltspike-unet-4-8-16.onnx"})
  String model;

  @Param({"fixed", "balanced"})
  String operatingPoint;

  OnnxSpikeModel network;
  DetectorOptions options;
  float[] trace;

  @Setup(Level.Trial)
  public void setup() {
    network =
        OnnxSpikeModel.load(
            Path.of(System.getProperty("voltspike.home", "."), model),
            ExecutionProvider.CPU,
            1,
            null);
    options =
        DetectorOptions.defaults().withOperatingPoint(OperatingPoint.parse(operatingPoint));
    trace =
        NeuronSimulator.simulate("b", TraceParams.of(Family.SUBTHRESHOLD, 6, 1, 30, 1000), 7)
            .voltage();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    network.close();
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public void detect(Blackhole bh) {
    SpikeSink sink = (s, p) -> bh.consume(s);
    UNetDetector d = new UNetDetector(options, network);
    d.push(trace, 0, N, sink);
    d.flush(sink);
  }
}
