package io.voltspike.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The difficulty families of simulated traces: each one turns one nuisance up, the others stay
 * mild, so evaluation can tell which nuisance a detector fails on.
 */
public enum Family {
  /** Poisson firing with changing rates, mild nuisances. */
  REGULAR,
  /** Frequent complex spikes: depolarising plateaus with decrementing spikelets. */
  BURSTING,
  /** Strong photobleaching (40-60 % over 30 s) and slow drift. */
  BLEACHING,
  /** Frequent motion steps and single-sample artefacts. */
  MOTION,
  /** Large subthreshold activity: Ornstein-Uhlenbeck plus theta oscillation. */
  SUBTHRESHOLD;

  public static Family parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown family '"
              + s
              + "'; valid values: "
              + Arrays.stream(values()).map(Family::toString).collect(Collectors.joining(", ")));
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
