package io.voltspike.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Named sets of simulated traces.
 *
 * <ul>
 *   <li>{@code default}: N traces with SNR drawn uniformly in 2-12, random family and polarity.
 *   <li>{@code bench}: the project's standard benchmark: 100 traces x 30 s; every family at 20 SNR
 *       levels evenly spaced over 2-10, polarity alternating by level; seed 20251018. Changing it
 *       changes every published figure.
 * </ul>
 */
public enum Preset {
  DEFAULT,
  BENCH;

  public static final long BENCH_SEED = 20251018L;
  public static final int BENCH_TRACES = 100;
  public static final double BENCH_DURATION_S = 30.0;

  /** One trace to simulate. */
  public record Spec(String name, TraceParams params, long seed) {}

  public static Preset parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown preset '"
              + s
              + "'; valid values: "
              + Arrays.stream(values())
                  .map(v -> v.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")));
    }
  }

  /**
   * The traces of this preset. For {@code bench}, null arguments take the fixed benchmark values.
   */
  public List<Spec> specs(Integer neurons, Double durationS, Long seed, double sampleRateHz) {
    List<Spec> out = new ArrayList<>();
    if (this == BENCH) {
      int n = neurons == null ? BENCH_TRACES : neurons;
      double d = durationS == null ? BENCH_DURATION_S : durationS;
      long s = seed == null ? BENCH_SEED : seed;
      Family[] fams = Family.values();
      for (int i = 0; i < n; i++) {
        Family f = fams[i % fams.length];
        int level = (i / fams.length) % 20;
        double snr = 2.0 + 8.0 * level / 19.0;
        int polarity = level % 2 == 0 ? 1 : -1;
        out.add(new Spec(name(i), TraceParams.of(f, snr, polarity, d, sampleRateHz), mix(s, i)));
      }
      return out;
    }
    int n = neurons == null ? 8 : neurons;
    double d = durationS == null ? 30.0 : durationS;
    long s = seed == null ? 1L : seed;
    SplittableRandom r = new SplittableRandom(s);
    Family[] fams = Family.values();
    for (int i = 0; i < n; i++) {
      Family f = fams[r.nextInt(fams.length)];
      double snr = 2.0 + 10.0 * r.nextDouble();
      int polarity = r.nextBoolean() ? 1 : -1;
      out.add(new Spec(name(i), TraceParams.of(f, snr, polarity, d, sampleRateHz), mix(s, i)));
    }
    return out;
  }

  static String name(int i) {
    return String.format(Locale.ROOT, "neuron%03d", i);
  }

  /** A per-trace seed: SplitMix64 of (seed, index), so traces are independent of each other. */
  static long mix(long seed, int index) {
    long z = seed * 0x9E3779B97F4A7C15L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
