package io.voltspike.detect;

import io.voltspike.avro.state.PeakPickerState;
import io.voltspike.io.StateArrays;

/**
 * Streaming local-maximum picker with a dead time: sample c is a peak when its value exceeds the
 * threshold given with it and no sample within {@code deadSamples} either side is larger (on ties,
 * the earliest wins). Decisions lag the input by {@code deadSamples}.
 */
public final class PeakPicker {
  private final int dead;
  private final int size;
  private final double[] values;
  private final double[] thresholds;
  private long next;
  private long lastPeak = Long.MIN_VALUE / 2;

  public PeakPicker(int deadSamples) {
    if (deadSamples < 1) {
      throw new IllegalArgumentException("deadSamples must be >= 1, was " + deadSamples);
    }
    this.dead = deadSamples;
    this.size = 2 * deadSamples + 1;
    this.values = new double[size];
    this.thresholds = new double[size];
    reset(0);
  }

  /** Index the next pushed value gets. */
  public long nextIndex() {
    return next;
  }

  public int delaySamples() {
    return dead;
  }

  /** Empties the picker; the next value gets index {@code start}. */
  public void reset(long start) {
    java.util.Arrays.fill(values, Double.NEGATIVE_INFINITY);
    java.util.Arrays.fill(thresholds, Double.POSITIVE_INFINITY);
    next = start;
    lastPeak = Long.MIN_VALUE / 2;
  }

  /** Adds the value of sample {@link #next} and decides sample {@code next - dead}. */
  public void push(double value, double threshold, SpikeSink sink) {
    int i = (int) Math.floorMod(next, (long) size);
    values[i] = Double.isNaN(value) ? Double.NEGATIVE_INFINITY : value;
    thresholds[i] = threshold;
    decide(next - dead, sink);
    next++;
  }

  /** Decides the last {@code dead} samples as if the signal then stayed at minus infinity. */
  public void flush(SpikeSink sink) {
    for (int k = 0; k < dead; k++) {
      push(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, sink);
    }
  }

  private void decide(long c, SpikeSink sink) {
    if (c < 0) {
      return;
    }
    int ci = (int) Math.floorMod(c, (long) size);
    double v = values[ci];
    if (!(v > thresholds[ci]) || c - lastPeak <= dead) {
      return;
    }
    for (int k = 1; k <= dead; k++) {
      if (values[(int) Math.floorMod(c - k, (long) size)] >= v
          || values[(int) Math.floorMod(c + k, (long) size)] > v) {
        return;
      }
    }
    lastPeak = c;
    sink.onSpike(c, v);
  }

  /** The picker's memory, for a changelogged state. */
  PeakPickerState state() {
    return new PeakPickerState(
        next, lastPeak, StateArrays.doubles(values), StateArrays.doubles(thresholds));
  }

  void restore(PeakPickerState s) {
    next = s.getNext();
    lastPeak = s.getLastPeak();
    StateArrays.fill(s.getValues(), values, "peak picker values");
    StateArrays.fill(s.getThresholds(), thresholds, "peak picker thresholds");
  }
}
