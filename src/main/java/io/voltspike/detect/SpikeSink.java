package io.voltspike.detect;

/** Receives spikes as a detector decides them, in increasing sample order. */
@FunctionalInterface
public interface SpikeSink {
  void onSpike(long sample, double score);
}
