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
  SUBTHRESHOLD,
  /** Training: every parameter drawn from a broad range (preset {@code train}). */
  RANDOM,
  /** No action potential at all: noise, bleaching, subthreshold activity and oscillations. */
  SILENT,
  /** Out of training: spikes followed by a strong after-hyperpolarisation. */
  AHP,
  /** Out of training: mains hum (50/60 Hz and harmonics). */
  HUM,
  /** Out of training: random-walk (1/f^2) noise instead of 1/f noise. */
  BROWN,
  /** Out of training: intermittent 150-250 Hz oscillation bursts. */
  RIPPLE,
  /** Out of training: heavy-tailed (Student-t, 3 degrees of freedom) noise. */
  HEAVY_TAIL,
  /**
   * Held out: frequent bursts of 2-5 spikelets shrinking faster than training's (x0.5-0.6) on
   * plateaus taller than training's (0.8-1.0 of the spike height).
   */
  SPIKELETS,
  /** Held out: intermittent 20-80 Hz (gamma-band) oscillation bursts of 0.5-0.8 spike heights. */
  GAMMA,
  /**
   * Held out: a falling indicator (spikes dim it) with more bleaching (70-80 %), drift and motion
   * than training ever draws.
   */
  FALLING,
  /** Held out: few-spike neurons, 0.05-0.3 spikes per second, below training's lowest rate. */
  SPARSE;

  /** The five families of {@code --preset bench} and {@code default}, in their fixed order. */
  public static final Family[] CLASSIC = {REGULAR, BURSTING, BLEACHING, MOTION, SUBTHRESHOLD};

  /** The families of {@code --preset unseen}: nuisances and shapes training never shows. */
  public static final Family[] UNSEEN = {AHP, HUM, BROWN, RIPPLE, HEAVY_TAIL};

  /**
   * The families of {@code --preset holdout}: what real neurons do (bursts, gamma, falling
   * indicators, few spikes), with parameters outside every training preset's ranges.
   */
  public static final Family[] HOLDOUT = {SPIKELETS, GAMMA, FALLING, SPARSE};

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
