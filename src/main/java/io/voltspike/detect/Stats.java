package io.voltspike.detect;

import java.util.Arrays;

/** Small numeric helpers with numpy's conventions, so baselines match their Python originals. */
public final class Stats {
  private Stats() {}

  /** numpy.percentile with linear interpolation; q in 0..100. Does not modify {@code values}. */
  public static double percentile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    return percentileSorted(s, q);
  }

  public static double percentileSorted(double[] sorted, double q) {
    double qq = Math.min(100, Math.max(0, q)) / 100.0;
    double pos = qq * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    double frac = pos - lo;
    return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
  }

  public static double median(double[] values) {
    return percentile(values, 50);
  }

  /** Sample standard deviation (ddof = 1). */
  public static double std(double[] values) {
    if (values.length < 2) {
      return 0;
    }
    double m = 0;
    for (double v : values) {
      m += v;
    }
    m /= values.length;
    double ss = 0;
    for (double v : values) {
      ss += (v - m) * (v - m);
    }
    return Math.sqrt(ss / (values.length - 1));
  }

  /**
   * Root mean square of the negative values only: the noise level of a trace whose spikes point up,
   * as VolPy and FIOLA estimate it.
   */
  public static double negativeRms(float[] values, int from, int to) {
    double ss = 0;
    int n = 0;
    for (int i = from; i < to; i++) {
      float v = values[i];
      if (v < 0) {
        ss += (double) v * v;
        n++;
      }
    }
    return n == 0 ? 0 : Math.sqrt(ss / n);
  }
}
