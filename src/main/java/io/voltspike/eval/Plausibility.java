package io.voltspike.eval;

import io.voltspike.detect.PeakSign;
import io.voltspike.io.Recording;
import io.voltspike.signal.FeatureConfig;
import io.voltspike.signal.Features;
import java.util.Arrays;

/**
 * How far reported spikes stand out from their trace's own noise, without ground truth: each
 * spike's height on the high-pass feature channel (the largest value within a sample of it, in the
 * spike's polarity) in robust standard deviations of that channel over the whole trace (1.4826 x
 * the median absolute deviation). A spike below {@value #LOW_SD} sd is implausible: noise of that
 * size is common in every trace. The share of such spikes is reported for every detector on every
 * set, real recordings included.
 */
public final class Plausibility {
  public static final double LOW_SD = 2.5;

  private Plausibility() {}

  /** The heights of {@code samples} in robust sd of the recording's high-pass channel. */
  public static double[] heights(Recording r, PeakSign sign, long[] samples) {
    float[] x = r.voltage().clone();
    float f = sign == PeakSign.NEG ? -1f : 1f;
    for (int i = 0; i < x.length; i++) {
      x[i] *= f;
    }
    float[] hp = Features.of(FeatureConfig.withSampleRate(r.sampleRateHz()), x).channels()[2];
    double sd = robustSd(hp);
    double[] out = new double[samples.length];
    for (int k = 0; k < samples.length; k++) {
      long s = samples[k];
      double h = Double.NEGATIVE_INFINITY;
      for (long i = Math.max(0, s - 1); i <= Math.min(hp.length - 1, s + 1); i++) {
        double v = sign == PeakSign.BOTH ? Math.abs(hp[(int) i]) : hp[(int) i];
        h = Math.max(h, v);
      }
      out[k] = h / sd;
    }
    return out;
  }

  /** 1.4826 x the median absolute deviation from the median of the finite values. */
  public static double robustSd(float[] v) {
    double[] a = new double[v.length];
    int n = 0;
    for (float x : v) {
      if (Float.isFinite(x)) {
        a[n++] = x;
      }
    }
    if (n == 0) {
      return Double.NaN;
    }
    a = Arrays.copyOf(a, n);
    double med = median(a);
    for (int i = 0; i < n; i++) {
      a[i] = Math.abs(a[i] - med);
    }
    return 1.482602218505602 * median(a);
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  /** How many heights are below {@link #LOW_SD}. */
  public static int low(double[] heights) {
    int c = 0;
    for (double h : heights) {
      if (h < LOW_SD) {
        c++;
      }
    }
    return c;
  }
}
