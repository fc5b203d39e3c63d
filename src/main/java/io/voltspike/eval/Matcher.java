package io.voltspike.eval;

/**
 * One-to-one matching of detected to true spikes within a tolerance.
 *
 * <p>With both lists sorted, matching each true spike to the earliest unmatched detection within
 * tolerance gives a maximum matching (the intervals all have the same width), so the count equals
 * VolPy's linear-sum assignment.
 */
public final class Matcher {
  private Matcher() {}

  /** Result of one comparison: counts plus, per true spike, the matched detection index or -1. */
  public record Result(long tp, long fp, long fn, int[] matchOfTruth) {}

  /**
   * @param truth sorted true spike samples
   * @param detected sorted detected spike samples
   * @param toleranceSamples maximum |detected - true|; 0 is the exact-sample comparison
   */
  public static Result match(int[] truth, long[] detected, int toleranceSamples) {
    if (toleranceSamples < 0) {
      throw new IllegalArgumentException("tolerance must be >= 0, was " + toleranceSamples);
    }
    int[] matchOf = new int[truth.length];
    int d = 0;
    long tp = 0;
    for (int i = 0; i < truth.length; i++) {
      matchOf[i] = -1;
      long lo = (long) truth[i] - toleranceSamples;
      long hi = (long) truth[i] + toleranceSamples;
      while (d < detected.length && detected[d] < lo) {
        d++;
      }
      if (d < detected.length && detected[d] <= hi) {
        matchOf[i] = d;
        d++;
        tp++;
      }
    }
    return new Result(tp, detected.length - tp, truth.length - tp, matchOf);
  }

  /** Counts for one trace. */
  public static Counts counts(
      int[] truth, long[] detected, int toleranceSamples, long samples, double durationS) {
    Result r = match(truth, detected, toleranceSamples);
    return new Counts(r.tp(), r.fp(), r.fn(), samples, durationS);
  }
}
