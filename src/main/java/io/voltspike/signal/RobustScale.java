package io.voltspike.signal;

/**
 * A streaming robust spread estimate in O(1) state: the median of |x| tracked multiplicatively
 * (each value above the estimate raises it by a factor e^step, each one below lowers it by the same
 * factor, so it settles where half the values lie on each side), times 1.4826, the sd of a
 * zero-median Gaussian. Sparse large values (spikes) move it by at most one step each, unlike a
 * running mean or standard deviation. With {@code step} 0.004 it follows a change of scale by a
 * factor e within 250 samples and fluctuates by a few percent.
 */
public final class RobustScale {
  private static final double MAD_TO_SD = 1.482602218505602;

  private final double up;
  private final double down;
  private double median;

  public RobustScale(double step, double initialSd) {
    if (!(step > 0) || !(initialSd > 0)) {
      throw new IllegalArgumentException("step and initial sd must be > 0");
    }
    this.up = Math.exp(step);
    this.down = Math.exp(-step);
    this.median = initialSd / MAD_TO_SD;
  }

  public void push(double x) {
    double a = Math.abs(x);
    if (a > median) {
      median *= up;
    } else if (a < median) {
      median *= down;
    }
    if (median < 1e-12) {
      median = 1e-12;
    }
  }

  /** The robust standard deviation. */
  public double sd() {
    return median * MAD_TO_SD;
  }

  public double state() {
    return median;
  }

  public void state(double m) {
    median = m;
  }
}
