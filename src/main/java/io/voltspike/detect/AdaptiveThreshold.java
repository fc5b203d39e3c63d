package io.voltspike.detect;

/**
 * VolPy's adaptive threshold ({@code spikepursuit.adaptive_thresh}): the noise model is the density
 * of peak heights left of the median, mirrored to the right and capped at the data density; the
 * threshold maximises {@code dataTail^p - noiseTail^p}.
 */
public final class AdaptiveThreshold {
  static final int GRID = 2001;

  private AdaptiveThreshold() {}

  /**
   * @param peaks heights of all local maxima
   * @param pnorm the exponent p (VolPy: 0.25 in pass 1, 0.5 in pass 2)
   * @param minSpikes at least this many peaks end above the threshold
   * @param clip if positive, at most this many peaks end above it
   * @return the threshold (peaks strictly above it are spikes)
   */
  public static double compute(double[] peaks, double pnorm, int minSpikes, int clip) {
    int n = peaks.length;
    if (n == 0) {
      return Double.POSITIVE_INFINITY;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double p : peaks) {
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    double thresh;
    double sd = Stats.std(peaks);
    if (n < 3 || sd == 0 || max == min) {
      thresh = min;
    } else {
      double lo = min - 0.05 * (max - min);
      double hi = max + 0.05 * (max - min);
      double[] xi = new double[GRID];
      for (int i = 0; i < GRID; i++) {
        xi[i] = lo + (hi - lo) * i / (GRID - 1);
      }
      double bw = sd * Math.pow(n, -0.2); // scipy gaussian_kde, Scott's rule
      double[] f = kde(peaks, xi, bw);
      double med = Stats.median(peaks);
      int center = 0;
      while (center < GRID - 1 && xi[center] <= med) {
        center++;
      }
      double[] model = new double[GRID];
      double fmin = Double.POSITIVE_INFINITY;
      for (int i = 0; i <= center; i++) {
        model[i] = f[i];
      }
      for (int i = 1; i <= center && center + i < GRID; i++) {
        model[center + i] = f[center - i];
      }
      for (int i = 0; i < Math.min(GRID, 2 * center + 1); i++) {
        fmin = Math.min(fmin, model[i]);
      }
      for (int i = 2 * center + 1; i < GRID; i++) {
        model[i] = fmin;
      }
      double sumF = 0;
      double sumM = 0;
      for (int i = 0; i < GRID; i++) {
        sumF += f[i];
        sumM += model[i];
      }
      double denom = Math.max(sumF, sumM);
      double csf = 0;
      double csm = 0;
      int lastpt = -1;
      double prevCsf = 0;
      double prevCsm = 0;
      for (int i = 0; i < GRID; i++) {
        csf += f[i] / sumF;
        csm += model[i] / denom;
        if (i > 0 && lastpt < 0 && prevCsf > prevCsm + Math.ulp(1.0) && csf < csm) {
          lastpt = i - 1;
        }
        prevCsf = csf;
        prevCsm = csm;
      }
      if (lastpt < 0) {
        lastpt = center;
      }
      for (int i = 0; i <= lastpt; i++) {
        model[i] = f[i];
      }
      for (int i = lastpt; i < GRID; i++) {
        model[i] = Math.min(model[i], f[i]);
      }
      double totF = 0;
      double totM = 0;
      for (int i = 0; i < GRID; i++) {
        totF += f[i];
        totM += model[i];
      }
      double cf = 0;
      double cm = 0;
      double best = Double.NEGATIVE_INFINITY;
      int bestIdx = 0;
      for (int i = 0; i < GRID; i++) {
        cf += f[i];
        cm += model[i];
        double tailF = Math.max(0, totF - cf);
        double tailM = Math.max(0, totM - cm);
        double obj = Math.pow(tailF, pnorm) - Math.pow(tailM, pnorm);
        if (obj > best) {
          best = obj;
          bestIdx = i;
        }
      }
      thresh = xi[bestIdx];
    }
    int above = countAbove(peaks, thresh);
    if (above < minSpikes) {
      thresh = Stats.percentile(peaks, 100.0 * (1 - (double) minSpikes / n));
      if (minSpikes >= n) {
        thresh = Math.nextDown(min);
      }
    } else if (clip > 0 && above > clip) {
      thresh = Stats.percentile(peaks, 100.0 * (1 - (double) clip / n));
    }
    return thresh;
  }

  static int countAbove(double[] peaks, double thresh) {
    int c = 0;
    for (double p : peaks) {
      if (p > thresh) {
        c++;
      }
    }
    return c;
  }

  static double[] kde(double[] data, double[] grid, double bw) {
    double[] f = new double[grid.length];
    double norm = 1.0 / (data.length * bw * Math.sqrt(2 * Math.PI));
    double cut = 8 * bw;
    for (double d : data) {
      double lo = d - cut;
      double hi = d + cut;
      double step = grid[1] - grid[0];
      int start = Math.max(0, (int) Math.floor((lo - grid[0]) / step));
      int end = Math.min(grid.length - 1, (int) Math.ceil((hi - grid[0]) / step));
      for (int i = start; i <= end; i++) {
        double u = (grid[i] - d) / bw;
        f[i] += Math.exp(-0.5 * u * u);
      }
    }
    for (int i = 0; i < f.length; i++) {
      f[i] *= norm;
    }
    return f;
  }
}
