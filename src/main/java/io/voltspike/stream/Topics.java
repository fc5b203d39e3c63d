package io.voltspike.stream;

/** Default topic and store names (all configurable except the store). */
public final class Topics {
  public static final String SAMPLES = "voltspike.samples";
  public static final String SPIKES = "voltspike.spikes";
  public static final String DEAD_LETTER = "voltspike.dead-letter";

  /** Multi-neuron frame blocks from a camera pipeline (optional input). */
  public static final String FRAMES = "voltspike.frames";

  public static final String STATE_STORE = "neuron-state";

  /** The state of neurons that arrive in frame blocks, kept per group. */
  public static final String GROUP_STATE_STORE = "group-state";

  private Topics() {}
}
