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
 *   <li>{@code train}: domain randomisation for training: every waveform and nuisance parameter
 *       drawn from a broad range per trace (see {@link #randomized}), a tenth of the traces without
 *       any spike, half of them at another frame rate (400-2000 Hz).
 *   <li>{@code unseen}: the generalisation set: 100 traces x 30 s in five families whose nuisances
 *       training never shows (after-hyperpolarisation, mains hum, random-walk noise, 150-250 Hz
 *       ripples, heavy-tailed noise), SNR 3-9, seed 20261202.
 *   <li>{@code holdout}: 100 traces x 30 s of what real neurons do, with parameters outside the
 *       ranges of both training presets (see {@link #holdout}): fast-shrinking spikelets on tall
 *       plateaus, gamma-band oscillation bursts up to 0.8 spike heights, a falling indicator with
 *       heavy bleaching and motion, few-spike neurons; SNR 3-9, seed 20261204.
 *   <li>{@code silent}: 40 spike-free traces x 30 s (noise, bleaching, drift, subthreshold activity
 *       and 4-100 Hz oscillations up to 3x the noise), seed 20261203: every reported spike is a
 *       false positive.
 * </ul>
 */
public enum Preset {
  DEFAULT,
  BENCH,
  TRAIN,
  UNSEEN,
  SILENT,
  HOLDOUT;

  public static final long UNSEEN_SEED = 20261202L;
  public static final long HOLDOUT_SEED = 20261204L;
  public static final long SILENT_SEED = 20261203L;

  /** Frame rates of the training traces that are not at the model's rate. */
  static final double[] TRAIN_RATES_HZ = {400, 500, 600, 800, 1200, 1500, 2000};

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
      Family[] fams = Family.CLASSIC;
      for (int i = 0; i < n; i++) {
        Family f = fams[i % fams.length];
        int level = (i / fams.length) % 20;
        double snr = 2.0 + 8.0 * level / 19.0;
        int polarity = level % 2 == 0 ? 1 : -1;
        out.add(new Spec(name(i), TraceParams.of(f, snr, polarity, d, sampleRateHz), mix(s, i)));
      }
      return out;
    }
    if (this == UNSEEN || this == SILENT || this == HOLDOUT) {
      int n = neurons == null ? (this == SILENT ? 40 : 100) : neurons;
      double d = durationS == null ? 30.0 : durationS;
      long s =
          seed != null
              ? seed
              : this == UNSEEN ? UNSEEN_SEED : this == SILENT ? SILENT_SEED : HOLDOUT_SEED;
      for (int i = 0; i < n; i++) {
        SplittableRandom r = new SplittableRandom(mix(s, i));
        TraceParams p =
            switch (this) {
              case UNSEEN -> unseen(Family.UNSEEN[i % Family.UNSEEN.length], i, d, sampleRateHz, r);
              case HOLDOUT ->
                  holdout(Family.HOLDOUT[i % Family.HOLDOUT.length], i, d, sampleRateHz, r);
              default -> silent(d, sampleRateHz, r);
            };
        out.add(new Spec(name(i), p, mix(s, i + 1_000_000)));
      }
      return out;
    }
    if (this == TRAIN) {
      int n = neurons == null ? 8 : neurons;
      double d = durationS == null ? 30.0 : durationS;
      long s = seed == null ? 1L : seed;
      for (int i = 0; i < n; i++) {
        SplittableRandom r = new SplittableRandom(mix(s, i));
        out.add(new Spec(name(i), randomized(d, sampleRateHz, r), mix(s, i + 1_000_000)));
      }
      return out;
    }
    int n = neurons == null ? 8 : neurons;
    double d = durationS == null ? 30.0 : durationS;
    long s = seed == null ? 1L : seed;
    SplittableRandom r = new SplittableRandom(s);
    Family[] fams = Family.CLASSIC;
    for (int i = 0; i < n; i++) {
      Family f = fams[r.nextInt(fams.length)];
      double snr = 2.0 + 10.0 * r.nextDouble();
      int polarity = r.nextBoolean() ? 1 : -1;
      out.add(new Spec(name(i), TraceParams.of(f, snr, polarity, d, sampleRateHz), mix(s, i)));
    }
    return out;
  }

  private static String num(double v) {
    return Double.toString(v);
  }

  private static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  private static double logUniform(SplittableRandom r, double lo, double hi) {
    return Math.exp(uniform(r, Math.log(lo), Math.log(hi)));
  }

  /**
   * One training trace: SNR 2-12 weighted towards the hard end, either polarity; waveforms 1-5 ms
   * wide with random rise/decay asymmetry, camera integration on most traces; bursts with shrinking
   * spikelets; subthreshold OU activity and a 4-100 Hz oscillation up to 1.3x the spike height; 1/f
   * noise, bleaching, drift, motion steps, artefacts; a tenth of the traces spike-free; half at
   * another frame rate than the model's.
   */
  static TraceParams randomized(double durationS, double modelRateHz, SplittableRandom r) {
    boolean silent = r.nextDouble() < 0.1;
    double snr = 2 + 10 * Math.pow(r.nextDouble(), 1.6);
    int polarity = r.nextBoolean() ? 1 : -1;
    double rate =
        r.nextDouble() < 0.5 ? modelRateHz : TRAIN_RATES_HZ[r.nextInt(TRAIN_RATES_HZ.length)];
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    double minRate = uniform(r, 0.2, 3);
    m.put("min_rate_hz", num(silent ? 0 : minRate));
    m.put("max_rate_hz", num(silent ? 0 : minRate + uniform(r, 3, 30)));
    m.put("burst_rate_hz", num(silent ? 0 : 0.5 * Math.pow(r.nextDouble(), 2)));
    m.put("burst_spikes_min", "2");
    m.put("burst_spikes_max", Integer.toString(3 + r.nextInt(4)));
    m.put("spikelet_decrement", num(uniform(r, 0.6, 0.95)));
    m.put("plateau_height", num(uniform(r, 0, 0.8)));
    double wMin = uniform(r, 1.0, 2.5);
    m.put("ap_width_min_ms", num(wMin));
    m.put("ap_width_max_ms", num(Math.min(5, wMin + uniform(r, 0, 2.5))));
    m.put("rise_scale", num(uniform(r, 0.4, 1.0)));
    m.put("decay_scale", num(uniform(r, 1.0, 2.5)));
    m.put("frame_integration", r.nextDouble() < 0.7 ? "1" : "0");
    m.put("ou_tau_ms", num(uniform(r, 5, 50)));
    m.put("ou_sigma", num(uniform(r, 0, 2.5)));
    m.put("theta_hz", num(logUniform(r, 4, 100)));
    double osc = r.nextDouble() < 0.4 ? uniform(r, 0, 1.3) * snr : uniform(r, 0, 1.0);
    m.put("theta_amp", num(osc));
    m.put("bleach_fraction", num(uniform(r, 0, 0.7)));
    m.put("drift_amp", num(uniform(r, 0, 0.05)));
    m.put("motion_step_rate_hz", num(Math.pow(r.nextDouble(), 2) * 0.3));
    m.put("artefact_rate_hz", num(Math.pow(r.nextDouble(), 2) * 0.5));
    m.put("pink_fraction", num(uniform(r, 0, 1.2)));
    Family f = silent ? Family.SILENT : Family.RANDOM;
    return TraceParams.of(f, snr, polarity, durationS, rate).with(m);
  }

  /** An out-of-training trace of family {@code f}; SNR 3-9 in 20 levels, polarity alternating. */
  static TraceParams unseen(Family f, int i, double durationS, double rateHz, SplittableRandom r) {
    int level = (i / Family.UNSEEN.length) % 20;
    double snr = 3.0 + 6.0 * level / 19.0;
    int polarity = level % 2 == 0 ? 1 : -1;
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    switch (f) {
      case AHP -> {
        m.put("ahp_amp", num(uniform(r, 0.3, 0.6)));
        m.put("ahp_tau_ms", num(uniform(r, 8, 20)));
      }
      case HUM -> {
        m.put("hum_amp", num(uniform(r, 1.5, 3)));
        m.put("hum_hz", r.nextBoolean() ? "50" : "60");
      }
      case BROWN -> {
        m.put("brown_fraction", num(uniform(r, 0.5, 1.5)));
        m.put("pink_fraction", "0");
      }
      case RIPPLE -> {
        m.put("ripple_amp", num(uniform(r, 1.5, 3)));
        m.put("ripple_hz", num(uniform(r, 150, 250)));
      }
      case HEAVY_TAIL -> m.put("noise_df", "3");
      default -> throw new IllegalArgumentException(f + " is not an out-of-training family");
    }
    return TraceParams.of(f, snr, polarity, durationS, rateHz).with(m);
  }

  /**
   * A held-out trace of family {@code f}; SNR 3-9 in 20 levels, polarity alternating (always
   * falling for {@link Family#FALLING}). Every family sets at least one parameter outside the
   * ranges {@code default} and {@code train} draw from: spikelets shrinking by 0.5-0.6 (training
   * 0.6-0.95 or 0.8) on plateaus of 0.8-1.0 (training at most 0.8) at 0.5-1 bursts per second
   * (training at most 0.5); oscillations that come and go at 20-80 Hz (training's are continuous;
   * its intermittent ones, {@code unseen}'s ripples, are 150-250 Hz); bleaching of 70-80 %
   * (training at most 70 %) with drift of 5-8 % (at most 5 %) and 0.3-0.5 motion steps per second
   * (at most 0.3); 0.05-0.3 spikes per second (training at least 0.2, and 0.5 in {@code default}).
   */
  static TraceParams holdout(Family f, int i, double durationS, double rateHz, SplittableRandom r) {
    int level = (i / Family.HOLDOUT.length) % 20;
    double snr = 3.0 + 6.0 * level / 19.0;
    int polarity = f == Family.FALLING || level % 2 == 1 ? -1 : 1;
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    switch (f) {
      case SPIKELETS -> {
        m.put("burst_rate_hz", num(uniform(r, 0.5, 1.0)));
        m.put("burst_spikes_min", "2");
        m.put("burst_spikes_max", "5");
        m.put("burst_isi_min_ms", "4.5");
        m.put("burst_isi_max_ms", "8");
        m.put("spikelet_decrement", num(uniform(r, 0.5, 0.6)));
        m.put("plateau_height", num(uniform(r, 0.8, 1.0)));
        m.put("min_rate_hz", "0.3");
        m.put("max_rate_hz", "3");
      }
      case GAMMA -> {
        m.put("ripple_hz", num(uniform(r, 20, 80)));
        m.put("ripple_amp", num(uniform(r, 0.5, 0.8) * snr));
      }
      case FALLING -> {
        m.put("bleach_fraction", num(uniform(r, 0.7, 0.8)));
        m.put("drift_amp", num(uniform(r, 0.05, 0.08)));
        m.put("motion_step_rate_hz", num(uniform(r, 0.3, 0.5)));
      }
      case SPARSE -> {
        double lo = uniform(r, 0.05, 0.1);
        m.put("min_rate_hz", num(lo));
        m.put("max_rate_hz", num(uniform(r, 0.15, 0.3)));
        m.put("burst_rate_hz", "0");
      }
      default -> throw new IllegalArgumentException(f + " is not a held-out family");
    }
    return TraceParams.of(f, snr, polarity, durationS, rateHz).with(m);
  }

  /** A spike-free trace with randomised nuisances (see {@code silent}). */
  static TraceParams silent(double durationS, double rateHz, SplittableRandom r) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("min_rate_hz", "0");
    m.put("max_rate_hz", "0");
    m.put("burst_rate_hz", "0");
    m.put("ou_sigma", num(uniform(r, 0, 2)));
    m.put("ou_tau_ms", num(uniform(r, 5, 50)));
    m.put("theta_hz", num(logUniform(r, 4, 100)));
    m.put("theta_amp", num(uniform(r, 0, 3)));
    m.put("bleach_fraction", num(uniform(r, 0, 0.6)));
    m.put("drift_amp", num(uniform(r, 0, 0.04)));
    m.put("pink_fraction", num(uniform(r, 0, 1)));
    // snr only scales the (absent) spikes and the voltage-domain nuisances; 5 is mid-range
    return TraceParams.of(Family.SILENT, 5, r.nextBoolean() ? 1 : -1, durationS, rateHz).with(m);
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
