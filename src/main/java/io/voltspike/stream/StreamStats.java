package io.voltspike.stream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one detector topology, read by the status line and the metrics endpoint. One
 * instance per running app (or per test), handed to the topology and the metrics server, so two
 * apps or two tests in one JVM never see each other's counts. Timings go to an {@link Observer}
 * (the metrics server's histograms) when one is set.
 */
public final class StreamStats {
  public final LongAdder samples = new LongAdder();
  public final LongAdder chunks = new LongAdder();
  public final LongAdder spikes = new LongAdder();
  public final LongAdder windows = new LongAdder();
  public final LongAdder batches = new LongAdder();
  public final LongAdder gaps = new LongAdder();
  public final LongAdder gapSamples = new LongAdder();
  public final LongAdder missingSamples = new LongAdder();

  /** Samples clamped as artefacts by the feature extractors ({@code MAX_ABS_Z}). */
  public final LongAdder clampedSamples = new LongAdder();

  /** Stream threads replaced after a retriable error (see {@link DetectorApp}). */
  public final LongAdder threadReplacements = new LongAdder();

  public final LongAdder sessionsEnded = new LongAdder();
  public final LongAdder sessionsExpired = new LongAdder();
  public final AtomicLong lastBatchSize = new AtomicLong();

  /**
   * Every reason a record is dead-lettered or repaired for; counted from zero so that each series
   * exists before its first bad record (dashboards and alerts see 0, not "no data").
   */
  public static final List<String> BAD_RECORD_REASONS =
      java.util.Arrays.stream(DeadLetterReason.values())
          .filter(r -> r.outcome() != DeadLetterReason.Outcome.SKIPPED)
          .map(DeadLetterReason::code)
          .toList();

  public final Map<String, LongAdder> badRecords = new ConcurrentHashMap<>();

  /**
   * Chunks with nothing new (every sample already processed), by kind: "duplicate" (ends where the
   * neuron is) or "out_of_order" (ends before). Replay after a recovery produces them by design, so
   * they are counted here, not dead-lettered.
   */
  public final Map<String, LongAdder> alreadyProcessed =
      new ConcurrentHashMap<>(
          Map.of(
              DeadLetterReason.DUPLICATE.code(),
              new LongAdder(),
              DeadLetterReason.OUT_OF_ORDER.code(),
              new LongAdder()));

  public final Map<String, LongAdder> neuronSpikes = new ConcurrentHashMap<>();

  /** Receives the timings the counters cannot hold. */
  public interface Observer {
    /** One ONNX Runtime call of {@code windows} windows that took {@code nanos}. */
    void inference(int windows, long nanos);

    /** A spike event handed to the producer {@code micros} after its sample was acquired. */
    void emitted(long micros);
  }

  private volatile Observer observer;

  public StreamStats() {
    BAD_RECORD_REASONS.forEach(r -> badRecords.put(r, new LongAdder()));
  }

  public void observer(Observer o) {
    observer = o;
  }

  public void bad(DeadLetterReason reason) {
    badRecords.computeIfAbsent(reason.code(), r -> new LongAdder()).increment();
  }

  /** Records dead-lettered or repaired for {@code reason} so far. */
  public long badCount(DeadLetterReason reason) {
    LongAdder a = badRecords.get(reason.code());
    return a == null ? 0 : a.sum();
  }

  public long badTotal() {
    return badRecords.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Counts a chunk a unit took: its samples, missing and clamped ones, a gap before it. */
  void accepted(NeuronSession.Accepted a) {
    chunks.increment();
    samples.add(a.samples());
    missingSamples.add(a.missing());
    clampedSamples.add(a.clamped());
    if (a.gap() > 0) {
      gaps.increment();
      gapSamples.add(a.gap());
    }
    if (a.trimmed() > 0) {
      bad(DeadLetterReason.OVERLAP_TRIMMED);
    }
  }

  public void spike(String neuron, long latencyUs) {
    spikes.increment();
    neuronSpikes.computeIfAbsent(neuron, n -> new LongAdder()).increment();
    Observer o = observer;
    if (o != null) {
      o.emitted(latencyUs);
    }
  }

  public void inference(int windows, long nanos) {
    this.windows.add(windows);
    batches.increment();
    lastBatchSize.set(windows);
    Observer o = observer;
    if (o != null) {
      o.inference(windows, nanos);
    }
  }
}
