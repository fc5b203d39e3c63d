package io.voltspike.stream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters of the detector topology, read by the status line and the metrics endpoint.
 * Timings go to an {@link Observer} (the metrics server's histograms) when one is set.
 */
public final class StreamStats {
  public static final LongAdder SAMPLES = new LongAdder();
  public static final LongAdder CHUNKS = new LongAdder();
  public static final LongAdder SPIKES = new LongAdder();
  public static final LongAdder WINDOWS = new LongAdder();
  public static final LongAdder BATCHES = new LongAdder();
  public static final LongAdder GAPS = new LongAdder();
  public static final LongAdder GAP_SAMPLES = new LongAdder();
  public static final LongAdder MISSING_SAMPLES = new LongAdder();
  public static final LongAdder SESSIONS_ENDED = new LongAdder();
  public static final LongAdder SESSIONS_EXPIRED = new LongAdder();
  public static final AtomicLong LAST_BATCH_SIZE = new AtomicLong();

  /**
   * Every reason a record is dead-lettered or repaired for; counted from zero so that each series
   * exists before its first bad record (dashboards and alerts see 0, not "no data").
   */
  public static final List<String> BAD_RECORD_REASONS =
      List.of(
          "undecodable",
          "unknown_schema",
          "wrong_schema",
          "missing_key",
          "key_mismatch",
          "bad_rate",
          "nan_only",
          "rate_change",
          "after_end",
          "wrong_shape",
          "empty",
          "overlap_trimmed",
          "unsupported_rate",
          "refused_neuron",
          "processing_error",
          "inference_error",
          "detector_error");

  public static final Map<String, LongAdder> BAD_RECORDS = new ConcurrentHashMap<>();

  /**
   * Chunks with nothing new (every sample already processed), by kind: "duplicate" (ends where the
   * neuron is) or "out_of_order" (ends before). Replay after a recovery produces them by design, so
   * they are counted here, not dead-lettered.
   */
  public static final Map<String, LongAdder> ALREADY_PROCESSED =
      new ConcurrentHashMap<>(
          Map.of("duplicate", new LongAdder(), "out_of_order", new LongAdder()));

  public static final Map<String, LongAdder> NEURON_SPIKES = new ConcurrentHashMap<>();

  /** Receives the timings the counters cannot hold. */
  public interface Observer {
    /** One ONNX Runtime call of {@code windows} windows that took {@code nanos}. */
    void inference(int windows, long nanos);

    /** A spike event handed to the producer {@code micros} after its sample was acquired. */
    void emitted(long micros);
  }

  private static volatile Observer observer;

  static {
    BAD_RECORD_REASONS.forEach(r -> BAD_RECORDS.put(r, new LongAdder()));
  }

  private StreamStats() {}

  public static void observer(Observer o) {
    observer = o;
  }

  public static void bad(String reason) {
    BAD_RECORDS.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public static long badTotal() {
    return BAD_RECORDS.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public static void spike(String neuron, long latencyUs) {
    SPIKES.increment();
    NEURON_SPIKES.computeIfAbsent(neuron, n -> new LongAdder()).increment();
    Observer o = observer;
    if (o != null) {
      o.emitted(latencyUs);
    }
  }

  public static void inference(int windows, long nanos) {
    WINDOWS.add(windows);
    BATCHES.increment();
    LAST_BATCH_SIZE.set(windows);
    Observer o = observer;
    if (o != null) {
      o.inference(windows, nanos);
    }
  }
}
