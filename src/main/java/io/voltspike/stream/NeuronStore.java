package io.voltspike.stream;

import io.voltspike.avro.VoltageChunk;
import io.voltspike.detect.SpikeDetector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How neuron state is kept in the changelogged store so that it is cheap per record and exact after
 * any commit:
 *
 * <ul>
 *   <li>{@code I<n><first sample>}: the inbox: every accepted chunk, as received (about 100 bytes),
 *       written by {@code process()};
 *   <li>{@code S<n>}: a snapshot of the whole neuron state (about 9 KiB), written every {@code
 *       snapshotMs}, which deletes the inbox entries it covers;
 *   <li>{@code P<n>}: the last spike sample published, written with the spikes.
 * </ul>
 *
 * A neuron is restored from its snapshot, then its inbox is replayed through the same deterministic
 * detector, and spikes at or before the published mark are not published again.
 */
public final class NeuronStore {
  private static final char SEP = '\u0001';
  private static final char END = '\u0002';
  private final KeyValueStore<String, byte[]> kv;

  public NeuronStore(KeyValueStore<String, byte[]> kv) {
    this.kv = kv;
  }

  static String snapshotKey(String n) {
    return "S" + SEP + n;
  }

  static String publishedKey(String n) {
    return "P" + SEP + n;
  }

  /** Zero-padded to 19 digits so the keys sort by sample index (as {@code %019d} wrote them). */
  static String inboxKey(String n, long first) {
    if (first < 0) {
      return "I" + SEP + n + SEP + String.format(Locale.ROOT, "%019d", first);
    }
    String digits = Long.toString(first);
    StringBuilder sb = new StringBuilder(n.length() + 22).append('I').append(SEP).append(n);
    sb.append(SEP);
    for (int i = digits.length(); i < 19; i++) {
      sb.append('0');
    }
    return sb.append(digits).toString();
  }

  /** Records an accepted chunk. */
  public void append(String neuron, long firstSample, byte[] raw) {
    kv.put(inboxKey(neuron, firstSample), raw);
  }

  /** Stores the whole state and drops the inbox it covers. */
  public void snapshot(String neuron, NeuronSession s) {
    kv.put(snapshotKey(neuron), s.toBytes());
    List<String> covered = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        kv.range("I" + SEP + neuron + SEP, "I" + SEP + neuron + END)) {
      while (it.hasNext()) {
        covered.add(it.next().key);
      }
    }
    for (String k : covered) {
      kv.delete(k);
    }
  }

  public void published(String neuron, long sample) {
    kv.put(publishedKey(neuron), ByteBuffer.allocate(8).putLong(sample).array());
  }

  /** Every neuron with anything stored. */
  public Set<String> neurons() {
    Set<String> out = new TreeSet<>();
    try (KeyValueIterator<String, byte[]> it = kv.all()) {
      while (it.hasNext()) {
        String k = it.next().key;
        int a = k.indexOf(SEP);
        int b = k.indexOf(SEP, a + 1);
        out.add(b < 0 ? k.substring(a + 1) : k.substring(a + 1, b));
      }
    }
    return out;
  }

  /**
   * Rebuilds a neuron: snapshot, then the inbox replayed; null when nothing is stored.
   *
   * @param detectors makes a fresh detector for a sample rate
   */
  public NeuronSession load(String neuron, DoubleFunction<SpikeDetector> detectors) {
    byte[] snap = kv.get(snapshotKey(neuron));
    List<KeyValue<String, byte[]>> inbox = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        kv.range("I" + SEP + neuron + SEP, "I" + SEP + neuron + END)) {
      while (it.hasNext()) {
        inbox.add(it.next());
      }
    }
    NeuronSession s = null;
    if (snap != null) {
      s = NeuronSession.fromBytes(snap, detectors.apply(NeuronSession.sampleRateOf(snap)));
    }
    for (KeyValue<String, byte[]> e : inbox) {
      VoltageChunk c;
      try {
        c = ChunkDecoder.decode(e.value);
      } catch (BadRecordException ex) {
        continue; // only accepted chunks are stored
      }
      if (s == null) {
        s = new NeuronSession(detectors.apply(c.getSampleRateHz()));
      }
      try {
        s.accept(c);
      } catch (BadRecordException ex) {
        // accepted once, so it is accepted again; a chunk the snapshot covers is skipped here
      }
    }
    if (s != null) {
      byte[] p = kv.get(publishedKey(neuron));
      if (p != null) {
        s.publishedUpTo(ByteBuffer.wrap(p).getLong());
      }
    }
    return s;
  }
}
