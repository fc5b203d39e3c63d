package io.voltspike.signal;

import io.voltspike.avro.state.HighPassState;

/**
 * Causal first-order (RC) high-pass: {@code y[n] = a (y[n-1] + x[n] - x[n-1])}, {@code a = RC / (RC
 * + dt)}. No delay; its unit step response is exactly {@code a^(n+1)}.
 */
public final class HighPassFilter {
  private final double a;
  private double prevIn;
  private double prevOut;
  private boolean primed;

  public HighPassFilter(double cutoffHz, double sampleRateHz) {
    double rc = 1.0 / (2 * Math.PI * cutoffHz);
    double dt = 1.0 / sampleRateHz;
    this.a = rc / (rc + dt);
  }

  public double coefficient() {
    return a;
  }

  /**
   * Filters one sample. The first sample is taken as the resting level, so a trace that starts far
   * from zero does not produce a start-up transient.
   */
  public double apply(double x) {
    if (!primed) {
      primed = true;
      prevIn = x;
      prevOut = 0;
      return 0;
    }
    double y = a * (prevOut + x - prevIn);
    prevIn = x;
    prevOut = y;
    return y;
  }

  /** Filters one sample with zero initial state (for impulse and step responses). */
  public double applyFromRest(double x) {
    primed = true;
    return apply(x);
  }

  public void reset() {
    primed = false;
    prevIn = 0;
    prevOut = 0;
  }

  /** The filter's memory, for a changelogged state. */
  public HighPassState state() {
    return new HighPassState(primed, prevIn, prevOut);
  }

  public void restore(HighPassState s) {
    primed = s.getPrimed();
    prevIn = s.getPrevIn();
    prevOut = s.getPrevOut();
  }
}
