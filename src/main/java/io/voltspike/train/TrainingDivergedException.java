package io.voltspike.train;

/**
 * A training step produced a non-finite loss or weight. Training stops and no model file is
 * written: a model trained through NaN would load and silently detect nothing.
 */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
