package io.voltspike.eval;

import java.util.Comparator;
import java.util.Locale;

/** SNR bands of width 2 (2-4, 4-6, ...), the rows of the published F1 tables. */
public final class SnrBand {
  private SnrBand() {}

  /** Bands in SNR order ("2-4" before "10-12"), anything not numeric (e.g. "unknown") last. */
  public static final Comparator<String> ORDER =
      Comparator.comparingDouble(SnrBand::lower).thenComparing(Comparator.naturalOrder());

  private static double lower(String band) {
    try {
      return Double.parseDouble(band.split("-")[0]);
    } catch (NumberFormatException e) {
      return Double.MAX_VALUE;
    }
  }

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
