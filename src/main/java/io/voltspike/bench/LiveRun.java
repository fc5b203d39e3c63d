package io.voltspike.bench;

import io.voltspike.avro.SpikeEvent;
import io.voltspike.detect.Detectors;
import io.voltspike.io.Recording;
import io.voltspike.stream.DetectorApp;
import io.voltspike.stream.DetectorTopology;
import io.voltspike.stream.Replayer;
import io.voltspike.stream.SpikeFollower;
import io.voltspike.stream.StreamSettings;
import io.voltspike.stream.StreamStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One live run through a real broker, as on a one-box rig: the streaming detector, a simulated rig
 * that replays recordings at real time in 10 ms chunks on its own thread, and a closed-loop reader
 * of the spike events. {@code demo} and {@code bench} drive it the same way and differ only in what
 * they report; the run's counters are its own ({@link #stats()}), so the input lag is exact.
 */
public final class LiveRun implements AutoCloseable {
  /** Samples per chunk (or frames per block) the rig sends (10 ms at 1 kHz). */
  public static final int CHUNK_SAMPLES = 10;

  private final DetectorApp app;
  private final StreamStats stats;
  private final Replayer rig;
  private final SpikeFollower follower;
  private final Thread rigThread;
  private final RigProcess rigProcess;
  private final AtomicLong produced = new AtomicLong();
  private final AtomicReference<Throwable> rigFailure = new AtomicReference<>();

  /**
   * @param sendAll sends every chunk through the rig, reporting the count sent so far
   */
  private LiveRun(
      DetectorApp app,
      StreamStats stats,
      Replayer rig,
      SpikeFollower follower,
      Consumer<LongConsumer> sendAll,
      RigProcess rigProcess) {
    this.rigProcess = rigProcess;
    this.app = app;
    this.stats = stats;
    this.rig = rig;
    this.follower = follower;
    this.rigThread =
        new Thread(
            () -> {
              try {
                sendAll.accept(produced::set);
              } catch (RuntimeException e) {
                rigFailure.set(e);
              }
            },
            "simulated-rig");
  }

  /**
   * Starts the detector and connects the rig and the reader; the rig waits for {@link #startRig}.
   *
   * @param detectors builds each neuron's detector
   * @param stats the counters the detector updates (a metrics endpoint may read them too)
   * @param session the session id the rig sends under
   * @param endOfSession whether the rig ends each neuron's session after its last chunk
   * @param readUncommitted whether the reader sees events before their transaction commits (the
   *     low-latency profile's closed-loop reader)
   * @param clientProps Kafka client settings (security) for the rig and the reader; null for none
   * @param groupNeurons 0: the rig sends per-neuron chunks; else frame blocks of this many neurons
   * @param rigInProcess the rig runs in a process of its own ({@code voltspike replay} in a child
   *     JVM, on recordings written to the state directory): this process's CPU is then the
   *     detector's and the probe's (and the embedded broker's, if any), the rig's is {@link
   *     #rigCpuS()}
   */
  public static LiveRun start(
      String bootstrap,
      StreamSettings s,
      Detectors detectors,
      StreamStats stats,
      Properties streamsProps,
      Path stateDir,
      List<Recording> recordings,
      String session,
      boolean endOfSession,
      boolean readUncommitted,
      Properties clientProps,
      int groupNeurons,
      boolean rigInProcess) {
    DetectorApp app =
        DetectorApp.start(
            s,
            DetectorTopology.build(s, detectors, stats),
            streamsProps,
            stateDir,
            4,
            Duration.ofSeconds(60),
            stats);
    Replayer rig = null;
    try {
      if (rigInProcess) {
        SpikeFollower follower =
            new SpikeFollower(bootstrap, s.spikesTopic(), readUncommitted, clientProps);
        RigProcess p =
            new RigProcess(bootstrap, s, stateDir, recordings, session, groupNeurons, clientProps);
        return new LiveRun(app, stats, null, follower, p::run, p);
      }
      rig =
          groupNeurons > 0
              ? Replayer.grouped(bootstrap, s.framesTopic(), clientProps, groupNeurons)
              : new Replayer(bootstrap, s.samplesTopic(), clientProps);
      SpikeFollower follower =
          new SpikeFollower(bootstrap, s.spikesTopic(), readUncommitted, clientProps);
      Replayer r = rig;
      return new LiveRun(
          app,
          stats,
          rig,
          follower,
          sent ->
              r.replay(
                  session,
                  recordings,
                  CHUNK_SAMPLES,
                  1.0,
                  System.currentTimeMillis() * 1000,
                  endOfSession,
                  sent),
          null);
    } catch (RuntimeException e) {
      if (rig != null) {
        rig.close();
      }
      app.close();
      throw e;
    }
  }

  public void startRig() {
    rigThread.start();
  }

  /** True while the rig is still sending; a rig that failed is an error, in one line. */
  public boolean rigRunning() {
    Throwable e = rigFailure.get();
    if (e != null) {
      throw new IllegalStateException("the simulated rig failed: " + e.getMessage(), e);
    }
    return rigThread.isAlive();
  }

  /** Reads the spike events that arrived, for at most {@code timeout}. */
  public int poll(Duration timeout, Consumer<SpikeEvent> onEvent) {
    return follower.poll(timeout, onEvent);
  }

  /** Seconds the rig's own process took to start sending (0 when the rig is a thread). */
  public double rigStartupS() {
    return rigProcess == null ? 0 : rigProcess.startupS();
  }

  /** CPU seconds the rig's own process used so far (0 when the rig is a thread of this one). */
  public double rigCpuS() {
    return rigProcess == null ? 0 : rigProcess.cpuS();
  }

  /** Chunks the rig sent that the detector has not taken in yet. */
  public long lagChunks() {
    return Math.max(0, produced.get() - stats.chunks.sum());
  }

  /** Acquisition of the spike's sample to now, in microseconds (>= 0). */
  public static long latencyUs(SpikeEvent e) {
    return Math.max(0, System.currentTimeMillis() * 1000 - e.getAcquiredAtUs());
  }

  public StreamStats stats() {
    return stats;
  }

  public DetectorApp app() {
    return app;
  }

  @Override
  public void close() {
    rigThread.interrupt();
    if (rigProcess != null) {
      rigProcess.destroy();
    }
    follower.close();
    if (rig != null) {
      rig.close();
    }
    app.close();
  }
}
