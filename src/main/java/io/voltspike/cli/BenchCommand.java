package io.voltspike.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voltspike.bench.CapacityBench;
import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.PeakSign;
import io.voltspike.stream.DetectorApp;
import io.voltspike.stream.EmbeddedBroker;
import io.voltspike.stream.GroupTimeouts;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code voltspike bench}: end-to-end capacity on the embedded broker. Ramps the number of neurons
 * (doubling, then bisecting) and reports the largest sustained for the hold time, with latency, CPU
 * and heap at that load and at half of it. The last line is one JSON object.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "End-to-end capacity on the embedded broker, or a Kafka cluster (--bootstrap-servers), with",
      "the kafka.* settings of --config: N simulated neurons at real-time 1 kHz (10 ms chunks),",
      "ramped until the input lag grows; latency p50/p99/p99.9, CPU and heap at the largest",
      "sustained N and at half of it. The last line is one JSON object. On a cluster each load's",
      "topics are deleted after it."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin DetectorMixin detector;
  @Mixin KafkaMixin kafka;

  @Option(
      names = "--profile",
      defaultValue = "low-latency",
      description = "eos or low-latency. Default: ${DEFAULT-VALUE}.")
  String profile;

  @Option(
      names = "--start-neurons",
      defaultValue = "32",
      description = "First load of the ramp. Default: ${DEFAULT-VALUE}.")
  int startNeurons;

  @Option(
      names = "--max-neurons",
      defaultValue = "1024",
      description = "The ramp stops here. Default: ${DEFAULT-VALUE}.")
  int maxNeurons;

  @Option(
      names = "--fixed-neurons",
      defaultValue = "0",
      description = "Run this one load only (no ramp; e.g. a soak with a long --hold-s).")
  int fixedNeurons;

  @Option(
      names = "--hold-s",
      defaultValue = "60",
      description = "Seconds each load runs. Default: ${DEFAULT-VALUE}.")
  double holdS;

  @Option(
      names = "--stream-threads",
      defaultValue = "1",
      description = "Kafka Streams threads of the detector. Default: ${DEFAULT-VALUE}.")
  int streamThreads;

  @Option(
      names = "--batch-wait-ms",
      defaultValue = "5",
      description = "Longest a window waits for batched inference. Default: ${DEFAULT-VALUE}.")
  long batchWaitMs;

  @Option(
      names = "--warmup-s",
      defaultValue = "20",
      description =
          "Seconds of untimed load before the ramp (JIT, first ONNX calls). Default:"
              + " ${DEFAULT-VALUE}.")
  double warmupS;

  @Option(
      names = "--group-neurons",
      defaultValue = "0",
      description =
          "0: the simulated rig sends per-neuron chunks to the samples topic; N: frame blocks of N"
              + " neurons each to the frames topic, keyed by group. Default: ${DEFAULT-VALUE}.")
  int groupNeurons;

  @Option(
      names = "--rig-process",
      description =
          "Run the simulated rig in a process of its own (voltspike replay in a child JVM), so"
              + " that the CPU reported is the detector's and the probe's (with"
              + " --bootstrap-servers, not the broker's either); the rig's is reported apart"
              + " (rigCpuCores).")
  boolean rigProcess;

  @Option(
      names = "--json",
      description = "Print only the JSON result line (progress still goes to stderr).")
  boolean jsonOnly;

  @Override
  public Integer call() throws Exception {
    if (startNeurons < 1 || maxNeurons < startNeurons || !(holdS >= 10) || groupNeurons < 0) {
      throw new IllegalArgumentException(
          "need 1 <= --start-neurons <= --max-neurons, --hold-s >= 10 and --group-neurons >= 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DetectorOptions opts = detector.options().withPeakSign(PeakSign.POS);
    Path dir = Files.createTempDirectory("voltspike-bench");
    List<CapacityBench.Step> steps = new ArrayList<>();
    CapacityBench.Step best = null;
    CapacityBench.Step half = null;
    Properties streams = null;
    boolean external = !kafka.embedded();
    // the kafka.* settings apply as `run` applies them, on the embedded broker too
    Properties clientProps = kafka.clientProperties();
    try (EmbeddedBroker broker = external ? null : EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      String bootstrap = external ? kafka.bootstrapServers : broker.bootstrapServers();
      GroupTimeouts timeouts = null;
      if (external) {
        Properties probe = new Properties();
        probe.putAll(clientProps);
        probe.put("bootstrap.servers", bootstrap);
        timeouts =
            GroupTimeouts.fit(
                GroupTimeouts.BrokerLimits.describe(DetectorApp.adminProperties(probe)),
                clientProps);
        err.println(timeouts.describe());
      }
      CapacityBench bench =
          new CapacityBench(
              bootstrap,
              ShutdownSequence.detectors(),
              opts,
              profile,
              dir.resolve("state"),
              holdS,
              streamThreads,
              32,
              7,
              batchWaitMs,
              clientProps,
              timeouts,
              external,
              groupNeurons,
              rigProcess);
      streams = bench.streamsProperties("bench");
      if (warmupS > 0) {
        bench.run(startNeurons, warmupS, line -> status(err, "warm-up " + line));
        err.println();
      }
      java.util.function.IntFunction<CapacityBench.Step> run =
          n -> {
            CapacityBench.Step s = bench.run(n, holdS, line -> status(err, line));
            err.println();
            steps.add(s);
            if (!jsonOnly) {
              out.println(describe(s));
              out.flush();
            }
            return s;
          };
      if (fixedNeurons > 0) {
        best = run.apply(fixedNeurons);
      } else {
        int lo = 0;
        int hi = 0;
        for (int n = startNeurons; n <= maxNeurons; n *= 2) {
          CapacityBench.Step s = run.apply(n);
          if (s.sustained()) {
            lo = n;
            best = s;
          } else {
            hi = n;
            break;
          }
        }
        // bisect between the last sustained and the first failed load, to within an eighth
        while (hi > 0 && hi - lo > Math.max(4, lo / 8)) {
          int mid = lo == 0 ? hi / 2 : (lo + hi) / 2;
          CapacityBench.Step s = run.apply(mid);
          if (s.sustained()) {
            lo = mid;
            best = s;
          } else {
            hi = mid;
          }
          if (mid < 1) {
            break;
          }
        }
        if (best != null && best.neurons() >= 2) {
          int h = best.neurons() / 2;
          for (CapacityBench.Step s : steps) {
            if (s.neurons() == h) {
              half = s;
            }
          }
          if (half == null) {
            half = run.apply(h);
          }
        }
      }
    }
    deleteQuietly(dir);
    out.println(json(best, half, steps, streams));
    out.flush();
    return 0;
  }

  private static void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException | RuntimeException e) {
      // a temporary directory: leaving it is harmless
    }
  }

  private static void status(PrintWriter err, String line) {
    err.print("\r" + line + "   ");
    err.flush();
  }

  static String describe(CapacityBench.Step s) {
    return String.format(
        Locale.ROOT,
        "%4d neurons: %s; lag %d chunks (max in last third %d); %.0f samples/s, %.0f windows/s"
            + " through the network; latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms"
            + " (last two thirds of the hold: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms; until the"
            + " detector forwards the spike: p50 %.1f ms, p99 %.1f ms); CPU %.2f cores (last two"
            + " thirds %.2f; the rig's own process %.2f); heap max %.0f MiB; %d spikes, %d bad"
            + " records",
        s.neurons(),
        s.sustained() ? "sustained" : "NOT sustained",
        s.lagEndChunks(),
        s.lagMaxLastThirdChunks(),
        s.samplesPerS(),
        s.windowsPerS(),
        s.p50Ms(),
        s.p99Ms(),
        s.p999Ms(),
        s.maxMs(),
        s.steadyP50Ms(),
        s.steadyP99Ms(),
        s.steadyP999Ms(),
        s.emittedP50Ms(),
        s.emittedP99Ms(),
        s.cpuCores(),
        s.steadyCpuCores(),
        s.rigCpuCores(),
        s.heapMaxMiB(),
        s.spikes(),
        s.badRecords());
  }

  String json(
      CapacityBench.Step best,
      CapacityBench.Step half,
      List<CapacityBench.Step> steps,
      Properties streams) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode o = m.createObjectNode();
    o.put("date", LocalDate.now().toString());
    o.put("cores", Runtime.getRuntime().availableProcessors());
    o.put("heap_max_mib", Runtime.getRuntime().maxMemory() / 1048576);
    o.put("jvm", ManagementFactory.getRuntimeMXBean().getVmVersion());
    o.put("profile", profile);
    o.put("hold_s", holdS);
    o.put("stream_threads", streamThreads);
    o.put("batch_wait_ms", batchWaitMs);
    o.put("group_neurons", groupNeurons);
    o.put("rig_process", rigProcess);
    o.put("stride_ms", detector.options().unet().strideMs());
    o.put("lookahead_ms", detector.options().unet().lookaheadMs());
    o.put("model", detector.options().unet().modelPath().toString());
    // the detector's delivery guarantee and transaction length as they ran (kafka.* included)
    o.put("processing_guarantee", streams.getProperty("processing.guarantee"));
    o.put("commit_interval_ms", Long.parseLong(streams.getProperty("commit.interval.ms")));
    // a fixed load that was not sustained sustains nothing: scripts read this field
    o.put("max_sustained_neurons", best == null || !best.sustained() ? 0 : best.neurons());
    o.put("sustained", best != null && best.sustained());
    o.set("at_max", best == null ? null : m.valueToTree(best));
    o.set("at_half", half == null ? null : m.valueToTree(half));
    ArrayNode a = o.putArray("steps");
    steps.forEach(s -> a.add(m.valueToTree(s)));
    return o.toString();
  }
}
