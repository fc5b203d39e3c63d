package io.voltspike.detect;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which way spikes go in the trace, named as in SpikeInterface ({@code peak_sign}). Voltage
 * indicators come in both polarities: ASAP-family sensors dim on depolarisation ({@code neg}),
 * Voltron and Archon brighten ({@code pos}).
 */
public enum PeakSign {
  POS,
  NEG,
  BOTH;

  /** Parses neg/pos/both, case-insensitively, naming the valid values on failure. */
  public static PeakSign parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown peak_sign '"
              + s
              + "'; valid values: "
              + Arrays.stream(values())
                  .map(v -> v.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", ")));
    }
  }

  /** The polarity to multiply a trace by so spikes point up; BOTH uses +1 and looks at |x|. */
  public float factor() {
    return this == NEG ? -1f : 1f;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
