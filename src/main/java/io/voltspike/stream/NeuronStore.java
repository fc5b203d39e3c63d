package io.voltspike.stream;

import io.voltspike.avro.VoltageChunk;
import io.voltspike.avro.state.PublishedMark;
import io.voltspike.avro.state.SessionEnd;
import io.voltspike.detect.SpikeDetector;
import io.voltspike.io.StateCodec;
import io.voltspike.io.StateFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How neuron state is kept in the changelogged store so that it is cheap per record and exact after
 * any commit. State belongs to a <i>unit</i>: one session of one neuron ({@link #unit}), so a lab
 * that records the same neuron ids many times a day starts each session clean. For each unit:
 *
 * <ul>
 *   <li>{@code I<n><slot>}: the inbox, a ring of {@link #INBOX_SLOTS} slots: the k-th chunk
 *       accepted since the last snapshot, as received (a {@code VoltageChunk}, about 100 bytes),
 *       written by {@code process()};
 *   <li>{@code S<n>}: a snapshot of the whole neuron state (a {@code NeuronState}, about 9 KiB),
 *       written at most every second and whenever the slots run out;
 *   <li>{@code P<n>}: the last spike sample published (a {@code PublishedMark}), written with the
 *       spikes.
 * </ul>
 *
 * Every value is Avro single-object encoded with a schema from {@code schemas/} whose released
 * versions are kept and tested ({@code StateSchemasTest}), like the topics'.
 *
 * <p>When a session ends (its {@code end_of_session} chunk, or idle longer than the configured
 * timeout) all of it is deleted (tombstones in the changelog) and only {@code E<n>}, the wall time
 * it ended, stays until the idle timeout has passed again, so that a late chunk of the ended
 * session is refused rather than starting it anew.
 *
 * <p>A neuron is restored from its snapshot, then its inbox is replayed in slot order through the
 * same deterministic detector, and spikes at or before the published mark are not published again.
 * A snapshot does not delete the inbox: the next chunks overwrite its slots, and the slots they
 * have not reached yet hold chunks the snapshot covers, which the replay refuses as already
 * processed. One changelog record per chunk, no tombstones.
 */
public final class NeuronStore {
  private static final char SEP = '\u0001';
  private static final char END = '\u0002';
  private final KeyValueStore<String, byte[]> kv;

  /** The codecs of the store's small values (the snapshot is {@link NeuronSession}'s). */
  static final StateCodec<PublishedMark> MARKS =
      new StateCodec<>(PublishedMark.getClassSchema(), "PublishedMark");

  static final StateCodec<SessionEnd> ENDS =
      new StateCodec<>(SessionEnd.getClassSchema(), "SessionEnd");

  public NeuronStore(KeyValueStore<String, byte[]> kv) {
    this.kv = kv;
  }

  static String snapshotKey(String n) {
    return "S" + SEP + n;
  }

  static String publishedKey(String n) {
    return "P" + SEP + n;
  }

  static String endedKey(String n) {
    return "E" + SEP + n;
  }

  /** Separates a unit's neuron id and session id (neither may contain it). */
  static final char UNIT_SEP = '\u0003';

  /** The state unit of one session of one neuron. */
  public static String unit(String neuron, String session) {
    return neuron + UNIT_SEP + session;
  }

  /** The neuron id of a unit. */
  public static String neuronOf(String unit) {
    int i = unit.indexOf(UNIT_SEP);
    return i < 0 ? unit : unit.substring(0, i);
  }

  /** Marks a unit ended at {@code wallMs} (everything else of it is deleted). */
  public void ended(String unit, long wallMs) {
    delete(unit);
    kv.put(endedKey(unit), ENDS.encode(new SessionEnd(wallMs)));
  }

  /** When the unit ended, or -1. */
  public long endedAt(String unit) {
    byte[] b = kv.get(endedKey(unit));
    return b == null ? -1 : ENDS.decode(b).getEndedAtMs();
  }

  /** Deletes the end markers older than {@code beforeMs}; returns how many. */
  public int purgeEnded(long beforeMs) {
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = kv.range("E" + SEP, "E" + END)) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> e = it.next();
        if (endedBefore(e.value, beforeMs)) {
          old.add(e.key);
        }
      }
    }
    old.forEach(kv::delete);
    return old.size();
  }

  /**
   * Inbox slots per neuron: with the snapshot (about 9 KiB) they keep a neuron's stored state under
   * 16 KiB; at 10 ms chunks a snapshot is due every 640 ms.
   */
  public static final int INBOX_SLOTS = 64;

  /** A slot, zero-padded so that the keys sort in slot order. */
  static String inboxKey(String n, int slot) {
    if (slot < 0 || slot >= INBOX_SLOTS) {
      throw new IllegalArgumentException("inbox slot " + slot + " outside 0.." + (INBOX_SLOTS - 1));
    }
    StringBuilder sb = new StringBuilder(n.length() + 5).append('I').append(SEP).append(n);
    sb.append(SEP);
    if (slot < 10) {
      sb.append('0');
    }
    return sb.append(slot).toString();
  }

  /**
   * Inbox slots per group of neurons ({@link LiveGroups}): a slot holds a whole frame block, so one
   * changelog record stands for every neuron of the block; at 10 ms blocks the once-a-second group
   * snapshot comes before the slots run out.
   */
  public static final int GROUP_INBOX_SLOTS = 128;

  /** A group's inbox slot, zero-padded so that the keys sort in slot order. */
  static String groupInboxKey(String group, int slot) {
    if (slot < 0 || slot >= GROUP_INBOX_SLOTS) {
      throw new IllegalArgumentException(
          "group inbox slot " + slot + " outside 0.." + (GROUP_INBOX_SLOTS - 1));
    }
    StringBuilder sb = new StringBuilder(group.length() + 6).append('B').append(SEP).append(group);
    sb.append(SEP);
    if (slot < 100) {
      sb.append('0');
    }
    if (slot < 10) {
      sb.append('0');
    }
    return sb.append(slot).toString();
  }

  /**
   * Records the frame block a group accepted in {@code slot} (0 for the first after a snapshot).
   */
  public void appendBlock(String group, int slot, byte[] rawBlock) {
    kv.put(groupInboxKey(group, slot), rawBlock);
  }

  /** A group's stored blocks in slot order, as received (empty when nothing is stored). */
  public List<byte[]> groupInbox(String group) {
    List<byte[]> out = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        kv.range("B" + SEP + group + SEP, "B" + SEP + group + END)) {
      while (it.hasNext()) {
        out.add(it.next().value);
      }
    }
    return out;
  }

  /** Every group with blocks stored. */
  public Set<String> groups() {
    Set<String> out = new TreeSet<>();
    try (KeyValueIterator<String, byte[]> it = kv.range("B" + SEP, "B" + END)) {
      while (it.hasNext()) {
        String k = it.next().key;
        out.add(k.substring(2, k.lastIndexOf(SEP)));
      }
    }
    return out;
  }

  /** Deletes a group's stored blocks (its neurons' own state is theirs to delete). */
  public void deleteGroup(String group) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it =
        kv.range("B" + SEP + group + SEP, "B" + SEP + group + END)) {
      while (it.hasNext()) {
        keys.add(it.next().key);
      }
    }
    keys.forEach(kv::delete);
  }

  /** The last spike sample published for a unit, or -1. */
  public long publishedMark(String unit) {
    byte[] p = kv.get(publishedKey(unit));
    return p == null ? -1 : MARKS.decode(p).getSample();
  }

  /** Records the chunk accepted in {@code slot} (0 for the first after a snapshot). */
  public void append(String neuron, int slot, byte[] raw) {
    kv.put(inboxKey(neuron, slot), raw);
  }

  /** Stores the whole state; the inbox slots are reused from slot 0 on. */
  public void snapshot(String neuron, NeuronSession s) {
    kv.put(snapshotKey(neuron), s.toBytes());
  }

  public void published(String neuron, long sample) {
    kv.put(publishedKey(neuron), MARKS.encode(new PublishedMark(sample)));
  }

  /** An end marker older than {@code beforeMs}, or one no version can read (it goes too). */
  private static boolean endedBefore(byte[] marker, long beforeMs) {
    try {
      return ENDS.decode(marker).getEndedAtMs() < beforeMs;
    } catch (StateFormatException e) {
      return true;
    }
  }

  /** Every unit with a live state stored (ended ones are deleted). */
  public Set<String> units() {
    Set<String> out = new TreeSet<>();
    try (KeyValueIterator<String, byte[]> it = kv.range("S" + SEP, "S" + END)) {
      while (it.hasNext()) {
        out.add(it.next().key.substring(2));
      }
    }
    try (KeyValueIterator<String, byte[]> it = kv.range("I" + SEP, "I" + END)) {
      while (it.hasNext()) {
        String k = it.next().key;
        out.add(k.substring(2, k.lastIndexOf(SEP)));
      }
    }
    return out;
  }

  /**
   * A rebuilt unit.
   *
   * @param session null when nothing is stored
   * @param inboxUsed slots holding chunks after the snapshot: the next chunk goes to this slot
   */
  public record Loaded(NeuronSession session, int inboxUsed) {}

  /**
   * Rebuilds a neuron: snapshot, then the inbox replayed.
   *
   * @param detectors makes a fresh detector for a sample rate
   */
  public Loaded load(String neuron, DoubleFunction<SpikeDetector> detectors) {
    byte[] snap = kv.get(snapshotKey(neuron));
    List<KeyValue<String, byte[]>> inbox = new ArrayList<>();
    String prefix = "I" + SEP + neuron + SEP;
    try (KeyValueIterator<String, byte[]> it = kv.range(prefix, "I" + SEP + neuron + END)) {
      while (it.hasNext()) {
        inbox.add(it.next());
      }
    }
    NeuronSession s = null;
    if (snap != null) {
      io.voltspike.avro.state.NeuronState state = NeuronSession.decode(snap);
      s = NeuronSession.restore(state, detectors.apply(state.getSampleRateHz()));
    }
    int used = 0;
    for (KeyValue<String, byte[]> e : inbox) {
      boolean[] accepted = {false};
      s = replay(s, e.value, detectors, accepted);
      if (accepted[0]) {
        used = slotOf(e.key, prefix) + 1;
      }
    }
    if (s != null) {
      byte[] p = kv.get(publishedKey(neuron));
      if (p != null) {
        s.publishedUpTo(MARKS.decode(p).getSample());
      }
    }
    return new Loaded(s, used);
  }

  /** The slot of an inbox key. */
  private static int slotOf(String key, String prefix) {
    return Integer.parseInt(key.substring(prefix.length()));
  }

  /** Deletes everything stored for a neuron (tombstones in the changelog). */
  public void delete(String neuron) {
    List<String> keys = new ArrayList<>();
    keys.add(snapshotKey(neuron));
    keys.add(publishedKey(neuron));
    try (KeyValueIterator<String, byte[]> it =
        kv.range("I" + SEP + neuron + SEP, "I" + SEP + neuron + END)) {
      while (it.hasNext()) {
        keys.add(it.next().key);
      }
    }
    keys.forEach(kv::delete);
  }

  /** Feeds one stored chunk; a chunk the state already covers is skipped. */
  private static NeuronSession replay(
      NeuronSession s, byte[] raw, DoubleFunction<SpikeDetector> detectors, boolean[] accepted) {
    VoltageChunk c;
    try {
      c = ChunkDecoder.decode(raw);
    } catch (BadRecordException ex) {
      return s; // only accepted chunks are stored
    }
    if (s == null) {
      s = new NeuronSession(detectors.apply(c.getSampleRateHz()));
    }
    try {
      s.accept(c);
      accepted[0] = true;
    } catch (BadRecordException ex) {
      // accepted once, so accepted again unless the snapshot covers it (a reused slot)
    }
    return s;
  }
}
