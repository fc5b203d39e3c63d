package io.voltspike.stream;

/** A record the detector cannot use, with a machine-readable reason for the dead-letter topic. */
public final class BadRecordException extends Exception {
  private static final long serialVersionUID = 1L;
  private final DeadLetterReason reason;

  public BadRecordException(DeadLetterReason reason, String detail) {
    super(detail);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
