package io.voltspike.model;

/** A model file that cannot be used: missing, corrupt, or made for other features. */
public final class ModelLoadException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
