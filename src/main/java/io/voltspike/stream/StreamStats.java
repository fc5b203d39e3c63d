package io.voltspike.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Process-wide counters of the detector topology, read by the status line (and metrics). */
public final class StreamStats {
  public static final LongAdder SAMPLES = new LongAdder();
  public static final LongAdder CHUNKS = new LongAdder();
  public static final LongAdder SPIKES = new LongAdder();
  public static final LongAdder WINDOWS = new LongAdder();
  public static final LongAdder BATCHES = new LongAdder();
  public static final LongAdder GAP_SAMPLES = new LongAdder();
  public static final AtomicLong LAST_BATCH_SIZE = new AtomicLong();
  public static final Map<String, LongAdder> BAD_RECORDS = new ConcurrentHashMap<>();

  private StreamStats() {}

  public static void bad(String reason) {
    BAD_RECORDS.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public static long badTotal() {
    return BAD_RECORDS.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
