package io.voltspike.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs an online detector over a whole trace: the offline path is the online one fed everything and
 * flushed. NaN samples inside the trace follow the detector's missing-data policy.
 */
public final class OfflineDetection {
  private OfflineDetection() {}

  public static List<Spike> run(SpikeDetector detector, float[] trace) {
    return run(detector, trace, trace.length);
  }

  /** The same, fed in chunks of {@code chunkSize} samples (for chunk-invariance checks). */
  public static List<Spike> run(SpikeDetector detector, float[] trace, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be >= 1");
    }
    List<Spike> out = new ArrayList<>();
    SpikeSink sink = (s, score) -> out.add(new Spike(s, score));
    for (int off = 0; off < trace.length; off += chunkSize) {
      detector.push(trace, off, Math.min(chunkSize, trace.length - off), sink);
    }
    detector.flush(sink);
    return out;
  }

  public static long[] samples(List<Spike> spikes) {
    long[] s = new long[spikes.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = spikes.get(i).sample();
    }
    return s;
  }
}
