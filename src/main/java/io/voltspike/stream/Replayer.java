package io.voltspike.stream;

import io.voltspike.avro.VoltageChunk;
import io.voltspike.io.Recording;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes recordings as a rig does: every neuron's chunk k in turn, keyed by neuron, keeping the
 * recordings' sample indices. At speed 1.0 chunk k leaves when its last sample would have been
 * acquired; {@code speed <= 0} sends as fast as the broker takes them. A chunk the broker never
 * took fails the replay with the count and the first cause: a replay never loses data silently.
 */
public final class Replayer implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final AtomicLong undelivered = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  public Replayer(String bootstrap, String topic, Properties extra) {
    Properties p = new Properties();
    if (extra != null) {
      p.putAll(extra);
    }
    p.put("bootstrap.servers", bootstrap);
    p.put("linger.ms", "0");
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("max.in.flight.requests.per.connection", StreamSettings.MAX_IN_FLIGHT);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  /**
   * @param startUs acquisition time of sample 0 (microseconds since the epoch)
   * @param onChunks called with the number of chunks sent so far
   * @return chunks sent
   */
  public long replay(
      String session,
      List<Recording> recordings,
      int chunkSamples,
      double speed,
      long startUs,
      boolean endOfSession,
      LongConsumer onChunks) {
    int maxLen = recordings.stream().mapToInt(Recording::length).max().orElse(0);
    double rate = recordings.isEmpty() ? 1000 : recordings.get(0).sampleRateHz();
    long sent = 0;
    long t0 = System.nanoTime();
    for (int off = 0; off < maxLen; off += chunkSamples) {
      if (speed > 0) {
        long dueNs = t0 + Math.round((off + chunkSamples) * 1e9 / rate / speed);
        long wait = dueNs - System.nanoTime();
        if (wait > 0) {
          DetectorApp.sleep(wait / 1_000_000L);
        }
      }
      for (Recording r : recordings) {
        if (off >= r.length()) {
          continue;
        }
        send(session, r, off, chunkSamples, startUs, endOfSession);
        sent++;
      }
      onChunks.accept(sent);
      throwIfUndelivered(sent);
    }
    producer.flush();
    throwIfUndelivered(sent);
    return sent;
  }

  /** Sends each recording from a start sample on (as fast as possible), keeping indices. */
  public long replayFrom(
      String session,
      List<Recording> recordings,
      int chunkSamples,
      java.util.function.ToIntFunction<Recording> from,
      long startUs,
      boolean endOfSession) {
    long sent = 0;
    for (Recording r : recordings) {
      for (int off = from.applyAsInt(r); off < r.length(); off += chunkSamples) {
        send(session, r, off, chunkSamples, startUs, endOfSession);
        sent++;
      }
    }
    producer.flush();
    throwIfUndelivered(sent);
    return sent;
  }

  /** One chunk of a recording, keyed by neuron; the last one may end the session. */
  private void send(
      String session, Recording r, int off, int chunkSamples, long startUs, boolean endOfSession) {
    int n = Math.min(chunkSamples, r.length() - off);
    VoltageChunk c =
        ChunkSplitter.chunk(
            session,
            r.name(),
            r.voltage(),
            off,
            n,
            r.sampleRateHz(),
            startUs,
            endOfSession && off + n >= r.length());
    producer.send(
        new ProducerRecord<>(topic, r.name(), AvroCodec.CHUNKS.encode(c)),
        (metadata, e) -> {
          if (e != null) {
            undelivered.incrementAndGet();
            firstFailure.compareAndSet(null, e);
          }
        });
  }

  private void throwIfUndelivered(long sent) {
    long lost = undelivered.get();
    if (lost > 0) {
      Exception e = firstFailure.get();
      throw new IllegalStateException(
          lost
              + " of "
              + sent
              + " chunks were not delivered to topic '"
              + topic
              + "': "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
