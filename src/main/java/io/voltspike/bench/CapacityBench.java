package io.voltspike.bench;

import com.sun.management.OperatingSystemMXBean;
import io.voltspike.avro.SpikeEvent;
import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.Detectors;
import io.voltspike.io.Recording;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.Preset;
import io.voltspike.sim.TraceParams;
import io.voltspike.stream.GroupTimeouts;
import io.voltspike.stream.StreamSettings;
import io.voltspike.stream.StreamStats;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * End-to-end capacity on one machine: N simulated neurons at real-time 1 kHz in 10 ms chunks
 * through a real broker and the streaming detector, held for a while; a load is sustained when the
 * input lag stops growing. The rig, the broker, the detector and the latency probe share the
 * machine, as on a one-box rig.
 */
public final class CapacityBench {
  /** How one load went. */
  public record Step(
      int neurons,
      double holdS,
      boolean sustained,
      long lagEndChunks,
      long lagMaxLastThirdChunks,
      double samplesPerS,
      double windowsPerS,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      double steadyP50Ms,
      double steadyP99Ms,
      double steadyP999Ms,
      double emittedP50Ms,
      double emittedP99Ms,
      long spikes,
      double cpuCores,
      double steadyCpuCores,
      double rigCpuCores,
      double heapMaxMiB,
      long badRecords,
      List<Minute> minutes) {}

  /** One minute of a load, to show whether latency and memory stay flat (the soak). */
  public record Minute(
      int minute,
      double p50Ms,
      double p99Ms,
      double maxMs,
      long lagChunks,
      double heapAfterGcMiB) {}

  private final String bootstrap;
  private final DetectorOptions options;
  private final Detectors detectors;
  private final String profile;
  private final Path stateRoot;
  private final List<Recording> pool;
  private final int streamThreads;
  private final long batchWaitMs;
  private final Properties clientProps;
  private final GroupTimeouts timeouts;
  private final boolean removeTopics;
  private final int groupNeurons;
  private final boolean rigInProcess;
  private int stepNo;

  /**
   * @param options detector options (peak sign pos: the pool is positive polarity)
   * @param holdS length of the simulated recordings: the longest load
   * @param poolSize distinct simulated recordings, reused round-robin across neurons
   * @param batchWaitMs longest a window waits for batched inference (the detector's punctuator)
   * @param clientProps Kafka client settings ({@code kafka.*}: security) for every client; null for
   *     none
   * @param timeouts the session and transaction timeouts fitted to the cluster; null for the
   *     detector's own (the embedded broker allows them)
   * @param removeTopics whether each load's topics are deleted after it (on a cluster someone else
   *     runs)
   * @param groupNeurons 0: the rig sends per-neuron chunks; else frame blocks of this many neurons
   * @param rigInProcess the rig runs in a process of its own (its CPU reported apart)
   */
  public CapacityBench(
      String bootstrap,
      Detectors detectors,
      DetectorOptions options,
      String profile,
      Path stateRoot,
      double holdS,
      int streamThreads,
      int poolSize,
      long seed,
      long batchWaitMs,
      Properties clientProps,
      GroupTimeouts timeouts,
      boolean removeTopics,
      int groupNeurons,
      boolean rigInProcess) {
    this.groupNeurons = groupNeurons;
    this.rigInProcess = rigInProcess;
    this.clientProps = clientProps;
    this.timeouts = timeouts;
    this.removeTopics = removeTopics;
    this.streamThreads = streamThreads;
    this.batchWaitMs = batchWaitMs;
    this.bootstrap = bootstrap;
    this.options = options;
    this.detectors = detectors;
    this.profile = profile;
    this.stateRoot = stateRoot;
    this.pool = new ArrayList<>();
    for (Preset.Spec s : Preset.DEFAULT.specs(poolSize, holdS, seed, 1000)) {
      TraceParams p = s.params().with(Map.of("polarity", "1"));
      pool.add(NeuronSimulator.simulate(s.name(), p, s.seed()));
    }
  }

  /**
   * The Kafka Streams settings of a load's detector: the profile's, then the {@code kafka.*} client
   * settings (as {@code run} applies them, on the embedded broker too), the stream threads and the
   * fitted timeouts.
   */
  public Properties streamsProperties(String applicationId) {
    Properties props =
        StreamSettings.streamsProperties(bootstrap, applicationId, profile, clientProps);
    props.put("num.stream.threads", Integer.toString(streamThreads));
    if (timeouts != null) {
      timeouts.applyTo(props);
    }
    return props;
  }

  /**
   * Runs N neurons for {@code holdS} (at most the pool's length); {@code progress} gets a status
   * line every second.
   */
  public Step run(int neurons, double holdS, Consumer<String> progress) {
    int samples = (int) Math.round(holdS * 1000);
    int k = ++stepNo;
    String suffix = "bench-" + k + "-" + neurons;
    StreamSettings s =
        new StreamSettings(
            "samples-" + suffix,
            "spikes-" + suffix,
            "dead-" + suffix,
            "unet",
            options,
            batchWaitMs,
            "bench",
            StreamSettings.DEFAULT_SESSION_IDLE_MS);
    Properties props = streamsProperties(suffix);
    List<Recording> recs = new ArrayList<>(neurons);
    for (int i = 0; i < neurons; i++) {
      Recording r = pool.get(i % pool.size());
      float[] v = r.voltage().length > samples ? Arrays.copyOf(r.voltage(), samples) : r.voltage();
      recs.add(new Recording(String.format("n%04d", i), r.sampleRateHz(), v, null, r.metadata()));
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    Histogram latency = new Histogram(3);
    // the last two thirds of the hold: the steady state, without the catch-up of a new load
    Histogram steady = new Histogram(3);
    Histogram minuteLatency = new Histogram(3);
    Histogram emitted = new Histogram(3); // acquisition -> the detector's forward
    List<Minute> minutes = new ArrayList<>();
    long[] spikes = {0};
    List<long[]> lagSeries = new ArrayList<>(); // {elapsedMs, lag}
    double heapMax = 0;
    StreamStats stats = new StreamStats();
    try {
      try (LiveRun run =
          LiveRun.start(
              bootstrap,
              s,
              detectors,
              stats,
              props,
              stateRoot.resolve(suffix),
              recs,
              "bench",
              false,
              !profile.equals("eos"),
              clientProps,
              groupNeurons,
              rigInProcess)) {
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        run.startRig();
        long lastTick = t0;
        long cpuSteady = -1;
        long tSteady = 0;
        while (run.rigRunning()) {
          run.poll(
              Duration.ofMillis(20),
              (SpikeEvent e) -> {
                long us = LiveRun.latencyUs(e);
                // latency after the first 5 s (start-up excluded)
                if (System.nanoTime() - t0 > 5_000_000_000L) {
                  latency.recordValue(us);
                  if (System.nanoTime() - t0 > holdS * 1e9 / 3) {
                    steady.recordValue(us);
                  }
                  emitted.recordValue(Math.max(0, e.getEmittedAtUs() - e.getAcquiredAtUs()));
                  minuteLatency.recordValue(us);
                }
                spikes[0]++;
              });
          long now = System.nanoTime();
          if (cpuSteady < 0 && now - t0 > holdS * 1e9 / 3) {
            cpuSteady = os.getProcessCpuTime();
            tSteady = now;
          }
          if (now - lastTick >= 1_000_000_000L) {
            lastTick = now;
            long lag = run.lagChunks();
            lagSeries.add(new long[] {(now - t0) / 1_000_000L, lag});
            heapMax = Math.max(heapMax, mem.getHeapMemoryUsage().getUsed() / 1048576.0);
            if (lagSeries.size() % 60 == 0) {
              minutes.add(
                  new Minute(
                      minutes.size() + 1,
                      pct(minuteLatency, 50),
                      pct(minuteLatency, 99),
                      minuteLatency.getTotalCount() == 0
                          ? Double.NaN
                          : minuteLatency.getMaxValue() / 1000.0,
                      lag,
                      oldGenAfterGcMiB()));
              minuteLatency.reset();
            }
            progress.accept(
                String.format(
                    "%4d neurons  %3.0f/%3.0f s  lag %6d chunks  latency p99 %7.1f ms",
                    neurons,
                    (now - t0) / 1e9,
                    holdS,
                    lag,
                    latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1000.0));
          }
        }
        double elapsedS = (System.nanoTime() - t0) / 1e9;
        long tEnd = System.nanoTime();
        long cpuEnd = os.getProcessCpuTime();
        double cpuCores = (cpuEnd - cpu0) / 1e9 / elapsedS;
        double steadyCpu =
            cpuSteady < 0 ? Double.NaN : (cpuEnd - cpuSteady) / (double) (tEnd - tSteady);
        long lagEnd = run.lagChunks();
        long lagMaxLastThird = 0;
        for (long[] p : lagSeries) {
          if (p[0] >= holdS * 1000 * 2 / 3) {
            lagMaxLastThird = Math.max(lagMaxLastThird, p[1]);
          }
        }
        // sustained: never more than 200 ms of input behind in the last third of the hold
        // and the rig itself kept to real time
        boolean sustained =
            lagMaxLastThird <= neurons * 20L
                && lagEnd <= neurons * 20L
                && elapsedS - run.rigStartupS() <= holdS + 1.0;
        return new Step(
            neurons,
            holdS,
            sustained,
            lagEnd,
            lagMaxLastThird,
            stats.samples.sum() / (elapsedS - run.rigStartupS()),
            stats.windows.sum() / (elapsedS - run.rigStartupS()),
            pct(latency, 50),
            pct(latency, 99),
            pct(latency, 99.9),
            latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1000.0,
            pct(steady, 50),
            pct(steady, 99),
            pct(steady, 99.9),
            pct(emitted, 50),
            pct(emitted, 99),
            spikes[0],
            cpuCores,
            steadyCpu,
            run.rigCpuS() / elapsedS,
            heapMax,
            stats.badTotal(),
            minutes);
      }
    } finally {
      if (removeTopics) {
        removeTopics(props, s, suffix);
      }
    }
  }

  /** Deletes a load's topics and its changelog (the application id's prefix) from the cluster. */
  private static void removeTopics(Properties props, StreamSettings s, String applicationId) {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            io.voltspike.stream.DetectorApp.adminProperties(props))) {
      java.util.Set<String> doomed = new java.util.TreeSet<>();
      for (String t : admin.listTopics().names().get()) {
        if (t.startsWith(applicationId + "-")
            || t.equals(s.samplesTopic())
            || t.equals(s.framesTopic())
            || t.equals(s.spikesTopic())
            || t.equals(s.deadLetterTopic())) {
          doomed.add(t);
        }
      }
      admin.deleteTopics(doomed).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "cannot delete the benchmark's topics of " + applicationId + ": " + e.getCause(), e);
    }
  }

  /** Old-generation occupancy after the last collection: the live set, not the garbage. */
  private static double oldGenAfterGcMiB() {
    double mib = Double.NaN;
    for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().contains("Old Gen") && pool.getCollectionUsage() != null) {
        mib = pool.getCollectionUsage().getUsed() / 1048576.0;
      }
    }
    return mib;
  }

  private static double pct(Histogram h, double p) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0;
  }
}
