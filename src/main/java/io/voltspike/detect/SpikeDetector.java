package io.voltspike.detect;

/**
 * A per-neuron online spike detector: samples in, spikes out.
 *
 * <p>All detectors are online, so the offline {@code detect} command and the streaming topology run
 * the very same instances: offline is just "push the whole trace, then flush". Samples are
 * consecutive from {@link #nextSampleIndex()}; missing ones are declared with {@link #pushGap}.
 * Spikes come out in increasing sample order, each once.
 */
public interface SpikeDetector {
  /** The detector's registry name (threshold, volpy, unet...). */
  String name();

  /** Index the next pushed sample will get. */
  long nextSampleIndex();

  void push(float[] samples, int offset, int length, SpikeSink sink);

  /** Declares {@code count} missing samples (see the feature extractor's gap policy). */
  void pushGap(long count, SpikeSink sink);

  /** End of the recording: decide every remaining sample. */
  void flush(SpikeSink sink);

  /**
   * Samples after which a sample's decision is final: how long the detector makes a closed loop
   * wait.
   */
  int decisionLatencySamples();

  /** The whole mutable state, for a changelogged state store. */
  byte[] snapshot();

  /** Continues from a {@link #snapshot()} of a detector with the same configuration. */
  void restore(byte[] state);
}
