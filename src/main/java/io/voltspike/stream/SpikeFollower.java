package io.voltspike.stream;

import io.voltspike.avro.SpikeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads spike events as a closed-loop client would. {@code readUncommitted} sees events before the
 * producing transaction commits (lowest latency under exactly-once; may see events of an aborted
 * transaction, which a restart then re-emits).
 */
public final class SpikeFollower implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private long undecodable;

  public SpikeFollower(String bootstrap, String topic, boolean readUncommitted, Properties extra) {
    Properties p = new Properties();
    if (extra != null) {
      p.putAll(extra);
    }
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "voltspike-spikes-" + java.util.UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    p.put("fetch.max.wait.ms", "5");
    p.put("isolation.level", readUncommitted ? "read_uncommitted" : "read_committed");
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
  }

  /** Polls once; undecodable records are skipped and counted ({@link #undecodable()}). */
  public int poll(Duration timeout, Consumer<SpikeEvent> onEvent) {
    int n = 0;
    for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
      try {
        onEvent.accept(AvroCodec.SPIKES.decode(r.value()));
        n++;
      } catch (BadRecordException e) {
        undecodable++;
      }
    }
    return n;
  }

  /** Records of the topic that were not spike events, so far. */
  public long undecodable() {
    return undecodable;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
