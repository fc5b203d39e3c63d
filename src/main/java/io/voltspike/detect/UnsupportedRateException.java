package io.voltspike.detect;

/** A recording's sample rate that a detector cannot serve; the message names the valid range. */
public final class UnsupportedRateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnsupportedRateException(String message) {
    super(message);
  }
}
