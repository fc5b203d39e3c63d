package io.voltspike.eval;

import java.util.Arrays;

/**
 * Recall of spikes inside bursts beside recall of isolated spikes of the same height, so that a
 * detector that drops burst spikes shows it even where bursts' later spikelets are simply smaller.
 * A true spike is a burst spike when the previous true spike is at most {@link #BURST_MS} before
 * it. Heights are the spikes' own, in robust sd of the trace's high-pass channel ({@link
 * Plausibility#heights}), binned at {@link #EDGES}; the isolated recall "of the same height"
 * weights each bin's isolated recall by the burst spikes' share in that bin.
 *
 * @param found per bin, burst spikes found (index 0) and isolated spikes found (index 1)
 * @param total per bin, burst spikes (0) and isolated spikes (1)
 */
public record BurstRecall(long[][] found, long[][] total) {
  /** The longest interval after the previous spike that makes a burst spike. */
  public static final double BURST_MS = 25;

  /** Height bin edges (robust sd): below 3, 3-4, 4-5, 5-7, 7-10, 10 and above. */
  static final double[] EDGES = {3, 4, 5, 7, 10};

  public static BurstRecall empty() {
    int bins = EDGES.length + 1;
    return new BurstRecall(new long[bins][2], new long[bins][2]);
  }

  /**
   * @param truth sorted true spike samples
   * @param matchOfTruth per true spike, the matched detection or -1 ({@link Matcher.Result})
   * @param heights per true spike, its height in robust sd
   */
  public static BurstRecall of(
      int[] truth, int[] matchOfTruth, double[] heights, double sampleRateHz) {
    BurstRecall r = empty();
    double gap = BURST_MS * sampleRateHz / 1000.0;
    for (int i = 0; i < truth.length; i++) {
      int kind = i > 0 && truth[i] - truth[i - 1] <= gap ? 0 : 1;
      int bin = bin(heights[i]);
      r.total[bin][kind]++;
      if (matchOfTruth[i] >= 0) {
        r.found[bin][kind]++;
      }
    }
    return r;
  }

  static int bin(double height) {
    int b = 0;
    while (b < EDGES.length && !(height < EDGES[b])) {
      b++;
    }
    return b;
  }

  public BurstRecall plus(BurstRecall o) {
    BurstRecall r = empty();
    for (int b = 0; b < found.length; b++) {
      for (int k = 0; k < 2; k++) {
        r.found[b][k] = found[b][k] + o.found[b][k];
        r.total[b][k] = total[b][k] + o.total[b][k];
      }
    }
    return r;
  }

  private long sum(long[][] a, int kind) {
    return Arrays.stream(a).mapToLong(x -> x[kind]).sum();
  }

  public long burstSpikes() {
    return sum(total, 0);
  }

  public long isolatedSpikes() {
    return sum(total, 1);
  }

  /** Recall of burst spikes; NaN without any. */
  public double burstRecall() {
    long n = burstSpikes();
    return n == 0 ? Double.NaN : sum(found, 0) / (double) n;
  }

  /** Recall of isolated spikes; NaN without any. */
  public double isolatedRecall() {
    long n = isolatedSpikes();
    return n == 0 ? Double.NaN : sum(found, 1) / (double) n;
  }

  /**
   * Recall of isolated spikes of the burst spikes' heights: each bin's isolated recall weighted by
   * the burst spikes in that bin (bins with burst spikes but no isolated ones are left out of both
   * sides' weights); NaN when nothing can be compared.
   */
  public double isolatedRecallAtBurstHeights() {
    double num = 0;
    double den = 0;
    for (int b = 0; b < total.length; b++) {
      if (total[b][0] > 0 && total[b][1] > 0) {
        num += total[b][0] * (found[b][1] / (double) total[b][1]);
        den += total[b][0];
      }
    }
    return den == 0 ? Double.NaN : num / den;
  }

  /** Burst recall over the same bins as {@link #isolatedRecallAtBurstHeights()}. */
  public double burstRecallComparable() {
    long n = 0;
    long f = 0;
    for (int b = 0; b < total.length; b++) {
      if (total[b][0] > 0 && total[b][1] > 0) {
        n += total[b][0];
        f += found[b][0];
      }
    }
    return n == 0 ? Double.NaN : f / (double) n;
  }
}
