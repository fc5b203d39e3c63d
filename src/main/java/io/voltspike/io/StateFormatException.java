package io.voltspike.io;

/**
 * A stored state this version cannot continue from: written with an unknown schema, of another
 * detector, or for another configuration (ring lengths differ). The stream drops such a state and
 * starts the unit afresh, saying so, rather than refusing the neuron forever.
 */
public final class StateFormatException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public StateFormatException(String message) {
    super(message);
  }

  public StateFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
