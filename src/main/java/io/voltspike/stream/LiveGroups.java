package io.voltspike.stream;

import io.voltspike.avro.FrameBlock;
import io.voltspike.avro.VoltageChunk;
import io.voltspike.detect.SpikeDetector;
import io.voltspike.io.StateFormatException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.DoubleFunction;

/**
 * Groups of neurons that arrive together in frame blocks, one group per (block key, session), kept
 * so that a block costs one changelog record however many neurons it holds: the block as received
 * goes to the group's next inbox slot, and every neuron of the group is snapshotted at the same
 * moment (at most once a second, or when the slots run out), after which the slots are reused from
 * the first. Restoring a group is a neuron's restore done for all of them: each neuron's snapshot,
 * then the group's blocks replayed in slot order, each neuron fed its own column (what a snapshot
 * already covers is refused as processed). A group's neurons are fixed for its session: a block
 * naming other neurons is refused ({@link #open}).
 */
final class LiveGroups {
  /** A group in memory: its neurons (in column order), their units, its inbox position. */
  static final class Group {
    final List<String> neurons;
    final List<String> units;
    int inboxUsed;
    long lastSnapshotMs = Long.MIN_VALUE;

    Group(List<String> neurons, String session) {
      this.neurons = List.copyOf(neurons);
      List<String> u = new ArrayList<>(neurons.size());
      for (String n : neurons) {
        u.add(NeuronStore.unit(n, session));
      }
      this.units = List.copyOf(u);
    }
  }

  /** A group's neurons are snapshotted together at most this often. */
  static final long SNAPSHOT_INTERVAL_MS = LiveUnits.SNAPSHOT_INTERVAL_MS;

  private final NeuronStore store;
  private final LiveUnits units;
  private final DoubleFunction<SpikeDetector> detectors;
  private final BiConsumer<String, StateFormatException> onUnreadable;
  private final Map<String, Group> live = new HashMap<>();

  /**
   * @param onUnreadable told of a group whose stored state could not be continued (it was dropped)
   */
  LiveGroups(
      NeuronStore store,
      LiveUnits units,
      DoubleFunction<SpikeDetector> detectors,
      BiConsumer<String, StateFormatException> onUnreadable) {
    this.store = store;
    this.units = units;
    this.detectors = detectors;
    this.onUnreadable = onUnreadable;
  }

  /** The group's unit: its block key and session. */
  static String group(String key, String session) {
    return NeuronStore.unit(key, session);
  }

  /**
   * The group of a block: in memory, else restored (its neurons' sessions handed to the units),
   * else new. A block whose neurons are not the group's is refused.
   */
  Group open(String group, FrameBlock b, long nowMs) throws BadRecordException {
    Group g = live.get(group);
    if (g == null) {
      g = restore(group, nowMs);
      if (g == null) {
        g = new Group(b.getNeurons(), b.getSession());
      }
      live.put(group, g);
    }
    if (!g.neurons.equals(b.getNeurons())) {
      throw new BadRecordException(
          DeadLetterReason.WRONG_SHAPE,
          "the block names other neurons than the first block of its group (key and session): a"
              + " group's neurons are fixed for its session; a new set needs a new key or session");
    }
    return g;
  }

  /** Keeps a block some of the group's neurons took: the next slot, or a group snapshot. */
  void keep(String group, Group g, byte[] rawBlock, long nowMs) {
    if (g.inboxUsed == NeuronStore.GROUP_INBOX_SLOTS) {
      snapshot(g, nowMs); // covers this block too
    } else {
      store.appendBlock(group, g.inboxUsed, rawBlock);
      g.inboxUsed++;
    }
  }

  /**
   * After the units' spikes went out: a group none of whose neurons is live any more (each ended or
   * was forgotten) has its blocks deleted; a live one is snapshotted when a snapshot is due.
   *
   * @param dropped whether any unit ended or was forgotten since the last call (only then can a
   *     group be over)
   */
  void published(long nowMs, boolean dropped) {
    Iterator<Map.Entry<String, Group>> it = live.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Group> e = it.next();
      Group g = e.getValue();
      boolean any = !dropped;
      for (int k = 0; k < g.units.size() && !any; k++) {
        String u = g.units.get(k);
        any = units.get(u) != null;
      }
      if (!any) {
        store.deleteGroup(e.getKey());
        it.remove();
      } else if (g.lastSnapshotMs == Long.MIN_VALUE) {
        snapshot(g, nowMs); // the first at once, then on the group's own phase (see LiveUnits)
        g.lastSnapshotMs = nowMs - Math.floorMod(e.getKey().hashCode(), SNAPSHOT_INTERVAL_MS);
      } else if (nowMs - g.lastSnapshotMs >= SNAPSHOT_INTERVAL_MS) {
        snapshot(g, nowMs);
      }
    }
  }

  private void snapshot(Group g, long nowMs) {
    for (String u : g.units) {
      NeuronSession s = units.get(u);
      if (s != null && !s.ended()) {
        store.snapshot(u, s);
      }
    }
    g.inboxUsed = 0;
    g.lastSnapshotMs = nowMs;
  }

  /**
   * Restores every stored group not yet in memory (after a restart or rebalance); returns the units
   * restored, whose pending windows and undelivered spikes are then published.
   */
  List<String> restoreAll(long nowMs) {
    List<String> restored = new ArrayList<>();
    for (String group : store.groups()) {
      if (!live.containsKey(group)) {
        Group g = restore(group, nowMs);
        if (g != null) {
          live.put(group, g);
          for (String u : g.units) {
            if (units.get(u) != null) {
              restored.add(u);
            }
          }
        }
      }
    }
    return restored;
  }

  /** A group rebuilt from the store, its neurons adopted by the units; null if none is stored. */
  private Group restore(String group, long nowMs) {
    List<FrameBlock> blocks = new ArrayList<>();
    for (byte[] raw : store.groupInbox(group)) {
      try {
        blocks.add(AvroCodec.FRAMES.decode(raw));
      } catch (BadRecordException e) {
        // only accepted blocks are stored
      }
    }
    if (blocks.isEmpty()) {
      return null;
    }
    FrameBlock first = blocks.get(0);
    Group g = new Group(first.getNeurons(), first.getSession());
    int n = g.units.size();
    NeuronSession[] sessions = new NeuronSession[n];
    boolean[] skip = new boolean[n];
    try {
      for (int j = 0; j < n; j++) {
        String u = g.units.get(j);
        NeuronSession s = units.get(u);
        if (s != null || store.endedAt(u) >= 0) {
          skip[j] = true; // already live, or its session ended
          continue;
        }
        sessions[j] = store.load(u, detectors).session();
      }
      int used = 0;
      for (int slot = 0; slot < blocks.size(); slot++) {
        FrameBlock b = blocks.get(slot);
        if (!b.getNeurons().equals(g.neurons)) {
          continue;
        }
        boolean accepted = false;
        for (int j = 0; j < n; j++) {
          if (skip[j]) {
            continue;
          }
          if (sessions[j] == null) {
            sessions[j] = new NeuronSession(detectors.apply(b.getSampleRateHz()));
          }
          try {
            sessions[j].accept(column(b, j));
            accepted = true;
          } catch (BadRecordException e) {
            // accepted once, so accepted again unless the snapshot covers it (a reused slot)
          }
        }
        if (accepted) {
          used = slot + 1;
        }
      }
      g.inboxUsed = used;
    } catch (RuntimeException e) {
      for (String u : g.units) {
        if (units.get(u) == null) {
          store.delete(u);
        }
      }
      store.deleteGroup(group);
      onUnreadable.accept(
          group,
          e instanceof StateFormatException f
              ? f
              : new StateFormatException("cannot continue the group: " + e.getMessage(), e));
      return null;
    }
    for (int j = 0; j < n; j++) {
      if (sessions[j] != null) {
        sessions[j].publishedUpTo(store.publishedMark(g.units.get(j)));
        units.adopt(g.units.get(j), sessions[j], nowMs);
      }
    }
    return g;
  }

  /** Column {@code j} of a block as one neuron's chunk (a view: no samples are copied). */
  static VoltageChunk column(FrameBlock b, int j) {
    List<Float> all = b.getSamples();
    int n = b.getNeurons().size();
    int frames = all.size() / n;
    List<Float> col =
        new java.util.AbstractList<>() {
          @Override
          public Float get(int t) {
            return all.get(t * n + j);
          }

          @Override
          public int size() {
            return frames;
          }
        };
    return new VoltageChunk(
        b.getSession(),
        b.getNeurons().get(j),
        b.getFirstSample(),
        b.getSampleRateHz(),
        b.getAcquiredAtUs(),
        col,
        b.getEndOfSession());
  }

  void clear() {
    live.clear();
  }
}
