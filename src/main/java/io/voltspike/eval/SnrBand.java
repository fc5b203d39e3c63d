package io.voltspike.eval;

import java.util.Locale;

/** SNR bands of width 2 (2-4, 4-6, ...), the rows of the published F1 tables. */
public final class SnrBand {
  private SnrBand() {}

  /** The band label of an SNR, e.g. "4-6"; values on a boundary go to the upper band. */
  public static String of(double snr) {
    if (Double.isNaN(snr)) {
      return "unknown";
    }
    int lo = (int) Math.floor(snr / 2.0) * 2;
    if (snr >= 10.0 && snr <= 10.0 + 1e-9) {
      lo = 8; // the bench tops out at exactly 10: keep it with 8-10
    }
    return String.format(Locale.ROOT, "%d-%d", lo, lo + 2);
  }
}
