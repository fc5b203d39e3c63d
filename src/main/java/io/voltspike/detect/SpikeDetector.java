package io.voltspike.detect;

import io.voltspike.model.WindowModel;

/**
 * A per-neuron online spike detector: samples in, spikes out.
 *
 * <p>All detectors are online, so the offline {@code detect} command and the streaming topology run
 * the very same instances: offline is just "push the whole trace, then flush". Samples are
 * consecutive from {@link #nextSampleIndex()}; missing ones are declared with {@link #pushGap}.
 * Spikes come out in increasing sample order, each once.
 *
 * <p><b>Batched inference.</b> A detector with a model can defer it: {@link #cut} feeds samples and
 * leaves complete windows pending; a caller that serves many neurons (the stream) gathers {@link
 * #pendingWindows()} of all of them into one {@link #model()} call and hands each its probabilities
 * with {@link #applyPending}. A detector without a model decides in {@link #cut} and never has
 * anything pending, so callers need not know which kind they hold.
 */
public interface SpikeDetector {
  /** The detector's registry name (unet, matched, threshold, volpy...). */
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

  /**
   * Samples clamped as artefacts by the detector's feature extractor since it was created or
   * restored (counted by the stream's metrics); 0 for a detector that clamps nothing.
   */
  default long clampedSamples() {
    return 0;
  }

  /** Like {@link #push}, but model work is left pending for {@link #applyPending}. */
  default void cut(float[] samples, int offset, int length, SpikeSink sink) {
    push(samples, offset, length, sink);
  }

  /** The model pending windows go to; null for a detector without one. */
  default WindowModel model() {
    return null;
  }

  /** Windows cut and waiting for the model. */
  default int pendingWindows() {
    return 0;
  }

  /** Copies pending window {@code i}'s input (the model's layout) into {@code dst}. */
  default void copyPending(int i, float[] dst, int dstOffset) {
    throw new IndexOutOfBoundsException("no pending window " + i);
  }

  /** Applies the model's output for every pending window, in pending order, and clears them. */
  default void applyPending(float[] probabilities, int offset, SpikeSink sink) {}

  /** The whole mutable state, for a changelogged state store. */
  byte[] snapshot();

  /** Continues from a {@link #snapshot()} of a detector with the same configuration. */
  void restore(byte[] state);
}
