package io.voltspike.stream;

import io.voltspike.avro.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds and forwards dead letters the same way for every processor: counted by reason, with the
 * source topic, partition and offset of the record being processed (or of none, in a punctuator),
 * the reason, a detail and the raw bytes.
 */
final class DeadLetters {
  private final ProcessorContext<String, Object> context;
  private final String defaultTopic;
  private final String sink;
  private final StreamStats stats;

  /**
   * @param defaultTopic the source topic named when no record is being processed
   * @param sink the child node dead letters go to
   */
  DeadLetters(
      ProcessorContext<String, Object> context,
      String defaultTopic,
      String sink,
      StreamStats stats) {
    this.context = context;
    this.stats = stats;
    this.defaultTopic = defaultTopic;
    this.sink = sink;
  }

  /** Dead-letters a record: counted under {@code reason}, its bytes kept. */
  void record(Record<String, byte[]> record, DeadLetterReason reason, String detail) {
    stats.bad(reason);
    forward(record.key(), reason, detail, record.value());
  }

  /** Forwards a dead letter (already counted by the caller), keyed by {@code key}. */
  void forward(String key, DeadLetterReason reason, String detail, byte[] raw) {
    // in a punctuator there is no record: metadata is absent or has no topic
    RecordMetadata m = context.recordMetadata().filter(x -> x.topic() != null).orElse(null);
    DeadLetter d =
        DeadLetter.newBuilder()
            .setSourceTopic(m == null ? defaultTopic : m.topic())
            .setPartition(m == null ? -1 : m.partition())
            .setOffset(m == null ? -1 : m.offset())
            .setReason(reason.code())
            .setDetail(detail == null ? "" : detail)
            .setRaw(raw == null ? null : ByteBuffer.wrap(raw))
            .build();
    context.forward(new Record<String, Object>(key, d, context.currentSystemTimeMs()), sink);
  }
}
