package io.voltspike.signal;

import io.voltspike.avro.state.WhitenerState;
import io.voltspike.io.StateArrays;

/**
 * Online per-neuron noise whitening. A neuron's background is coloured: 1/f noise, subthreshold
 * waves and oscillations put most of their power at low frequencies, so in the normalized trace a
 * slow wave can stand as tall as a spike. An AR({@code order}) model of that background, fitted to
 * the neuron's own recent samples, predicts each sample from the previous ones; the prediction
 * error (the innovation) divided by its standard deviation is white noise of unit variance where
 * nothing happens, and a spike, which the background cannot predict, stands out of it by its own
 * evidence. This is the whitening of VolPy's matched filter (there a Welch spectrum of the whole
 * trace, offline) made causal.
 *
 * <p>The model is refitted every {@code refitSamples} from exponentially forgetting sums of
 * x[t]·x[t-k] (memory {@code memorySamples}), by the Yule-Walker equations (Levinson-Durbin). Only
 * stretches away from excursions enter those sums: a sample whose innovation exceeds {@code
 * censorSd} innovation sds marks itself, {@code censorBefore} samples before and {@code
 * censorAfter} after as excursion, so the fit sees the background, not the spikes. Imputed samples
 * (missing data) never enter the fit; a gap starts a new segment (no prediction across it). Every
 * step depends on sample indices alone, so a trace fed whole, in chunks or restored from a snapshot
 * gives bit-identical output. Before the first fit the output is the input (the normalized channel
 * is already in noise units) and nothing is censored.
 */
public final class NoiseWhitener {
  private final int order;
  private final int refitSamples;
  private final double forget;
  private final double censorSd;
  private final int censorBefore;
  private final int censorAfter;
  private final int ring;
  private final float[] recent;
  private final boolean[] recentDirty;
  private final double[] acov;
  private final double[] coef;
  private double weight;
  private double innovationSd = 1;
  private long fits;
  private long next;
  private long segmentStart;
  private long dirtyUntil = Long.MIN_VALUE / 2;
  private int cleanRun;

  /**
   * @param order AR order p
   * @param refitSamples samples between refits (e.g. one second)
   * @param memorySamples time constant of the forgetting sums (e.g. five seconds)
   * @param censorSd innovations beyond this many sds are excursions, kept out of the fit
   * @param censorBefore samples before an excursion also kept out
   * @param censorAfter samples after it also kept out
   */
  public NoiseWhitener(
      int order,
      int refitSamples,
      int memorySamples,
      double censorSd,
      int censorBefore,
      int censorAfter) {
    if (order < 1 || refitSamples < 1 || memorySamples < 1 || censorBefore < 0 || censorAfter < 0) {
      throw new IllegalArgumentException("whitener: order, refit and memory must be >= 1");
    }
    this.order = order;
    this.refitSamples = refitSamples;
    this.forget = Math.exp(-1.0 / memorySamples);
    this.censorSd = censorSd;
    this.censorBefore = censorBefore;
    this.censorAfter = censorAfter;
    this.ring = order + censorBefore + 1;
    this.recent = new float[ring];
    this.recentDirty = new boolean[ring];
    this.acov = new double[order + 1];
    this.coef = new double[order];
  }

  /**
   * The settings for a sample rate: AR order, refit every 1 s on a 5 s memory, 1 ms / 4 ms censor.
   */
  public static NoiseWhitener forRate(int order, double sampleRateHz) {
    int perMs = (int) Math.max(1, Math.round(sampleRateHz / 1000.0));
    return new NoiseWhitener(
        order,
        (int) Math.round(sampleRateHz),
        (int) Math.round(5 * sampleRateHz),
        4.0,
        perMs,
        4 * perMs);
  }

  public int order() {
    return order;
  }

  /** Index the next sample gets. */
  public long nextIndex() {
    return next;
  }

  /** Refits so far (0: the output is still the input). */
  public long fits() {
    return fits;
  }

  /** The current model's coefficients a[1..p] (x[t] is predicted as sum a[k] x[t-k]). */
  public double[] coefficients() {
    return coef.clone();
  }

  public double innovationSd() {
    return innovationSd;
  }

  /** Starts a new segment at {@code index} (after a gap): no prediction across it. */
  public void startSegment(long index) {
    next = index;
    segmentStart = index;
    cleanRun = 0;
    dirtyUntil = Long.MIN_VALUE / 2;
  }

  // The ring slot and refit phase of the last pushed sample, so that consecutive samples need no
  // long division (derived from the index, not state).
  private long slotPos = Long.MIN_VALUE;
  private int slotOf;
  private int refitPhase;

  private float at(long i) {
    return recent[(int) Math.floorMod(i, (long) ring)];
  }

  /**
   * Whitens sample {@link #nextIndex()}: its innovation in units of the innovation sd.
   *
   * @param imputed a held value standing in for a missing sample (never fitted)
   */
  public double push(double x, boolean imputed) {
    long t = next;
    double e = x;
    boolean full = t - segmentStart >= order;
    int slot;
    if (t == slotPos + 1) {
      slot = slotOf + 1 == ring ? 0 : slotOf + 1;
      refitPhase = refitPhase + 1 == refitSamples ? 0 : refitPhase + 1;
    } else {
      slot = (int) Math.floorMod(t, (long) ring);
      refitPhase = (int) Math.floorMod(t, (long) refitSamples);
    }
    slotPos = t;
    slotOf = slot;
    if (full) {
      for (int k = 1; k <= order; k++) {
        int j = slot - k;
        e -= coef[k - 1] * recent[j < 0 ? j + ring : j];
      }
    }
    double w = e / innovationSd;
    recent[slot] = (float) x;
    // before the first fit nothing is an excursion: a strong background (an oscillation taller
    // than censorSd) would otherwise keep every stretch out of the fit, and no model would come
    boolean excursion = fits > 0 && Math.abs(w) > censorSd;
    recentDirty[slot] = imputed || excursion || t <= dirtyUntil;
    if (excursion) {
      dirtyUntil = t + censorAfter;
      for (long i = Math.max(segmentStart, t - censorBefore); i < t; i++) {
        recentDirty[(int) Math.floorMod(i, (long) ring)] = true;
      }
    }
    int finalSlot = slot - censorBefore; // ring > censorBefore
    finalise(t - censorBefore, finalSlot < 0 ? finalSlot + ring : finalSlot);
    next = t + 1;
    if (refitPhase + 1 == refitSamples) { // next % refitSamples == 0
      refit();
    }
    return w;
  }

  /** Sample {@code s}'s exclusion is now final: add its lag products if its stretch is clean. */
  private void finalise(long s, int slot) {
    for (int k = 0; k <= order; k++) {
      acov[k] *= forget;
    }
    weight *= forget;
    if (s < segmentStart) {
      return;
    }
    if (recentDirty[slot]) {
      cleanRun = 0;
      return;
    }
    cleanRun++;
    if (cleanRun > order) {
      double xs = recent[slot];
      for (int k = 0; k <= order; k++) {
        int j = slot - k;
        acov[k] += xs * recent[j < 0 ? j + ring : j];
      }
      weight += 1;
    }
  }

  /** Yule-Walker by Levinson-Durbin on the forgetting autocovariance. */
  private void refit() {
    if (weight < 10 * (order + 1) || !(acov[0] > 0)) {
      return;
    }
    double[] r = new double[order + 1];
    for (int k = 0; k <= order; k++) {
      r[k] = acov[k] / weight;
    }
    double[] a = new double[order + 1];
    double[] prev = new double[order + 1];
    double err = r[0];
    for (int m = 1; m <= order; m++) {
      double acc = r[m];
      for (int j = 1; j < m; j++) {
        acc -= a[j] * r[m - j];
      }
      double k = acc / err;
      if (!(Math.abs(k) < 1)) {
        return; // not positive definite: keep the model we have
      }
      System.arraycopy(a, 0, prev, 0, m);
      a[m] = k;
      for (int j = 1; j < m; j++) {
        a[j] = prev[j] - k * prev[m - j];
      }
      err *= 1 - k * k;
    }
    if (!(err > 0)) {
      return;
    }
    System.arraycopy(a, 1, coef, 0, order);
    innovationSd = Math.sqrt(err);
    fits++;
  }

  public WhitenerState state() {
    float[] rv = new float[ring];
    boolean[] rd = new boolean[ring];
    for (int i = 0; i < ring; i++) {
      long idx = next - ring + i;
      rv[i] = at(idx);
      rd[i] = recentDirty[(int) Math.floorMod(idx, (long) ring)];
    }
    return new WhitenerState(
        order,
        next,
        segmentStart,
        dirtyUntil,
        cleanRun,
        StateArrays.doubles(acov),
        weight,
        StateArrays.doubles(coef),
        innovationSd,
        fits,
        StateArrays.floats(rv),
        StateArrays.booleans(rd));
  }

  public void restore(WhitenerState s) {
    StateArrays.requireLength(s.getOrder(), order, "whitener order");
    next = s.getNext();
    segmentStart = s.getSegmentStart();
    dirtyUntil = s.getDirtyUntil();
    cleanRun = s.getCleanRun();
    StateArrays.fill(s.getAutocovariance(), acov, "whitener autocovariance");
    weight = s.getWeight();
    StateArrays.fill(s.getCoefficients(), coef, "whitener coefficients");
    innovationSd = s.getInnovationSd();
    fits = s.getFits();
    float[] rv = new float[ring];
    boolean[] rd = new boolean[ring];
    StateArrays.fill(s.getRecent(), rv, "whitener samples");
    StateArrays.fill(s.getRecentDirty(), rd, "whitener flags");
    for (int i = 0; i < ring; i++) {
      long idx = next - ring + i;
      recent[(int) Math.floorMod(idx, (long) ring)] = rv[i];
      recentDirty[(int) Math.floorMod(idx, (long) ring)] = rd[i];
    }
  }
}
