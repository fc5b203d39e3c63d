package io.voltspike.stream;

import io.voltspike.avro.FrameBlock;
import io.voltspike.avro.VoltageChunk;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys multi-neuron frame blocks into per-neuron chunks: each block becomes one VoltageChunk per
 * neuron, keyed by neuron, written to the samples topic, which partitions them by neuron (the
 * repartition step) before the detector reads them. Stateless.
 */
public final class FrameSplitter implements Processor<String, byte[], String, Object> {
  public static final String CHUNKS_SINK = "frames-to-samples";
  private ProcessorContext<String, Object> context;
  private DeadLetters deadLetters;
  private final String framesTopic;
  private final StreamStats stats;

  /**
   * @param framesTopic the topic the blocks come from, named in dead letters
   */
  public FrameSplitter(String framesTopic, StreamStats stats) {
    this.framesTopic = framesTopic;
    this.stats = stats;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.deadLetters =
        new DeadLetters(
            context, framesTopic, DetectorProcessor.DEAD_LETTER_SINK + "-frames", stats);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    FrameBlock b;
    try {
      b = AvroCodec.FRAMES.decode(record.value());
    } catch (BadRecordException e) {
      deadLetter(record, e.reason(), e.getMessage());
      return;
    }
    int n = b.getNeurons().size();
    int total = b.getSamples().size();
    if (n == 0 || total % n != 0) {
      deadLetter(
          record,
          DeadLetterReason.WRONG_SHAPE,
          total + " samples are not a whole number of frames of " + n + " neurons");
      return;
    }
    int frames = total / n;
    for (int j = 0; j < n; j++) {
      List<Float> col = new ArrayList<>(frames);
      for (int t = 0; t < frames; t++) {
        col.add(b.getSamples().get(t * n + j));
      }
      String neuron = b.getNeurons().get(j);
      VoltageChunk c =
          VoltageChunk.newBuilder()
              .setSession(b.getSession())
              .setNeuron(neuron)
              .setFirstSample(b.getFirstSample())
              .setSampleRateHz(b.getSampleRateHz())
              .setAcquiredAtUs(b.getAcquiredAtUs())
              .setSamples(col)
              .setEndOfSession(b.getEndOfSession())
              .build();
      context.forward(
          new Record<String, Object>(neuron, AvroCodec.CHUNKS.encode(c), record.timestamp()),
          CHUNKS_SINK);
    }
  }

  private void deadLetter(Record<String, byte[]> record, DeadLetterReason reason, String detail) {
    deadLetters.record(record, reason, detail);
  }
}
