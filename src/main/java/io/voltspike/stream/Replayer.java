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
 * recordings' sample indices; or, for a rig that publishes frames, every group's block k in turn,
 * keyed by group ({@link #grouped}). At speed 1.0 chunk k leaves when its last sample would have
 * been acquired; {@code speed <= 0} sends as fast as the broker takes them. A chunk the broker
 * never took fails the replay with the count and the first cause: a replay never loses data
 * silently.
 */
public final class Replayer implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final int groupNeurons;
  private int partitions;
  private final AtomicLong undelivered = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

  public Replayer(String bootstrap, String topic, Properties extra) {
    this(bootstrap, topic, extra, 0);
  }

  /**
   * A replayer of frame blocks: consecutive recordings, {@code groupNeurons} at a time, form a
   * group (key {@code group-<k>}) whose chunk k is one block. The recordings of a group must have
   * one length.
   */
  public static Replayer grouped(
      String bootstrap, String framesTopic, Properties extra, int groupNeurons) {
    if (groupNeurons < 1) {
      throw new IllegalArgumentException("neurons per group must be >= 1, was " + groupNeurons);
    }
    return new Replayer(bootstrap, framesTopic, extra, groupNeurons);
  }

  private Replayer(String bootstrap, String topic, Properties extra, int groupNeurons) {
    this.groupNeurons = groupNeurons;
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
   * @param onChunks called with the number of chunks sent so far (a block counts one per neuron)
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
      if (groupNeurons > 0) {
        List<List<Recording>> groups = groups(recordings);
        for (int g = 0; g < groups.size(); g++) {
          sent += sendBlock(session, g, groups.get(g), off, chunkSamples, startUs, endOfSession);
        }
      } else {
        for (Recording r : recordings) {
          if (off >= r.length()) {
            continue;
          }
          send(session, r, off, chunkSamples, startUs, endOfSession);
          sent++;
        }
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
    if (groupNeurons > 0) {
      List<List<Recording>> groups = groups(recordings);
      for (int g = 0; g < groups.size(); g++) {
        List<Recording> group = groups.get(g);
        for (int off = from.applyAsInt(group.get(0)); off < group.get(0).length(); ) {
          sent += sendBlock(session, g, group, off, chunkSamples, startUs, endOfSession);
          off += chunkSamples;
        }
      }
    } else {
      for (Recording r : recordings) {
        for (int off = from.applyAsInt(r); off < r.length(); off += chunkSamples) {
          send(session, r, off, chunkSamples, startUs, endOfSession);
          sent++;
        }
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
    send(new ProducerRecord<>(topic, r.name(), AvroCodec.CHUNKS.encode(c)));
  }

  /** Sends a record; a failed delivery is counted and its first cause kept. */
  private void send(ProducerRecord<String, byte[]> record) {
    producer.send(
        record,
        (metadata, e) -> {
          if (e != null) {
            undelivered.incrementAndGet();
            firstFailure.compareAndSet(null, e);
          }
        });
  }

  /** Consecutive recordings, {@code groupNeurons} at a time. */
  private List<List<Recording>> groups(List<Recording> recordings) {
    List<List<Recording>> out = new java.util.ArrayList<>();
    for (int i = 0; i < recordings.size(); i += groupNeurons) {
      out.add(recordings.subList(i, Math.min(recordings.size(), i + groupNeurons)));
    }
    return out;
  }

  /** The key of group {@code g}. */
  public static String groupKey(int g) {
    return String.format(java.util.Locale.ROOT, "group-%04d", g);
  }

  /** Block {@code off} of a group, keyed by the group; returns the neuron chunks it holds. */
  private int sendBlock(
      String session,
      int g,
      List<Recording> group,
      int off,
      int chunkSamples,
      long startUs,
      boolean endOfSession) {
    int len = group.get(0).length();
    if (off >= len) {
      return 0;
    }
    int n = Math.min(chunkSamples, len - off);
    io.voltspike.avro.FrameBlock b =
        ChunkSplitter.block(session, group, off, n, startUs, endOfSession && off + n >= len);
    if (partitions == 0) {
      partitions = producer.partitionsFor(topic).size();
    }
    send(new ProducerRecord<>(topic, g % partitions, groupKey(g), AvroCodec.FRAMES.encode(b)));
    return group.size();
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
