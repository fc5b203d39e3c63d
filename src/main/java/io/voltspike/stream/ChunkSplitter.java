package io.voltspike.stream;

import io.voltspike.avro.FrameBlock;
import io.voltspike.avro.VoltageChunk;
import io.voltspike.io.Recording;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts traces into what a rig publishes: VoltageChunks of one neuron, or FrameBlocks of a group of
 * neurons recorded together.
 */
public final class ChunkSplitter {
  private ChunkSplitter() {}

  /**
   * @param startUs acquisition time of sample 0, microseconds since the epoch
   * @param endOfSession mark the last chunk so every sample gets decided
   */
  public static List<VoltageChunk> split(
      String session,
      String neuron,
      float[] trace,
      double sampleRateHz,
      int chunkSamples,
      long startUs,
      boolean endOfSession) {
    List<VoltageChunk> out = new ArrayList<>();
    for (int off = 0; off < trace.length; off += chunkSamples) {
      int n = Math.min(chunkSamples, trace.length - off);
      out.add(
          chunk(
              session,
              neuron,
              trace,
              off,
              n,
              sampleRateHz,
              startUs,
              endOfSession && off + n >= trace.length));
    }
    return out;
  }

  public static VoltageChunk chunk(
      String session,
      String neuron,
      float[] trace,
      int offset,
      int length,
      double sampleRateHz,
      long startUs,
      boolean last) {
    List<Float> samples = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      samples.add(trace[offset + i]);
    }
    return VoltageChunk.newBuilder()
        .setSession(session)
        .setNeuron(neuron)
        .setFirstSample(offset)
        .setSampleRateHz(sampleRateHz)
        .setAcquiredAtUs(startUs + Math.round(offset * 1e6 / sampleRateHz))
        .setSamples(samples)
        .setEndOfSession(last)
        .build();
  }

  /**
   * Frames {@code [offset, offset + length)} of a group of recordings of one length and rate, as
   * one frame-major block.
   */
  public static FrameBlock block(
      String session, List<Recording> group, int offset, int length, long startUs, boolean last) {
    int n = group.size();
    double rate = group.get(0).sampleRateHz();
    List<String> neurons = new ArrayList<>(n);
    for (Recording r : group) {
      if (r.length() != group.get(0).length() || r.sampleRateHz() != rate) {
        throw new IllegalArgumentException(
            "a frame block holds recordings of one length and rate; "
                + r.name()
                + " differs from "
                + group.get(0).name());
      }
      neurons.add(r.name());
    }
    List<Float> samples = new ArrayList<>(length * n);
    for (int t = 0; t < length; t++) {
      for (Recording r : group) {
        samples.add(r.voltage()[offset + t]);
      }
    }
    return FrameBlock.newBuilder()
        .setSession(session)
        .setFirstSample(offset)
        .setSampleRateHz(rate)
        .setAcquiredAtUs(startUs + Math.round(offset * 1e6 / rate))
        .setNeurons(neurons)
        .setSamples(samples)
        .setEndOfSession(last)
        .build();
  }
}
