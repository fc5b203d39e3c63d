package io.voltspike.stream;

import io.voltspike.avro.VoltageChunk;
import java.util.ArrayList;
import java.util.List;

/** Cuts a trace into VoltageChunks of a fixed size, as a rig or a replay publishes them. */
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
}
