package io.voltspike.stream;

import io.voltspike.detect.SpikeDetector;
import io.voltspike.io.StateFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.DoubleFunction;

/**
 * The (neuron, session) units of one task: their sessions in memory, how they are opened (in
 * memory, else restored from the store, else new), how their state is kept in the changelogged
 * store (a chunk to the next inbox slot, or a whole snapshot when the slots are used up or a second
 * has passed), and how they end (end of session, idle expiry, or forgotten after an error).
 */
final class LiveUnits {
  /** Whole-state snapshots per unit at most this often; the inbox covers the time between. */
  static final long SNAPSHOT_INTERVAL_MS = 1000;

  /** Idle sessions and old end markers are looked for at most this often. */
  static final long SWEEP_INTERVAL_MS = 5_000;

  private final NeuronStore store;
  private final DoubleFunction<SpikeDetector> detectors;
  private final StreamStats stats;
  private final BiConsumer<String, StateFormatException> onUnreadable;
  private final long sessionIdleMs;
  private final boolean ownSnapshots;
  private final Map<String, NeuronSession> live = new HashMap<>();
  private final Map<String, Long> lastSnapshotMs = new HashMap<>();
  private final Map<String, Integer> inboxUsed = new HashMap<>();
  private final Map<String, Long> lastActivityMs = new HashMap<>();
  private long lastSweepMs;

  /**
   * @param detectors a new detector for a unit at a sample rate
   * @param onUnreadable told of a unit whose stored state could not be continued (it was dropped)
   * @param ownSnapshots whether each unit keeps its own inbox and snapshots itself when due; false
   *     for units in frame-block groups, whose {@link LiveGroups} keeps one inbox per group and
   *     snapshots all of a group's units together
   */
  LiveUnits(
      NeuronStore store,
      DoubleFunction<SpikeDetector> detectors,
      StreamStats stats,
      BiConsumer<String, StateFormatException> onUnreadable,
      long idleMs,
      boolean ownSnapshots) {
    this.ownSnapshots = ownSnapshots;
    this.store = store;
    this.detectors = detectors;
    this.stats = stats;
    this.onUnreadable = onUnreadable;
    this.sessionIdleMs = idleMs;
  }

  /** The sessions in memory, by unit (read-only). */
  Map<String, NeuronSession> sessions() {
    return Collections.unmodifiableMap(live);
  }

  NeuronSession get(String unit) {
    return live.get(unit);
  }

  /**
   * The unit's session: in memory, else restored, else new; null if the session has ended. Throws
   * what the detector factory throws (e.g. an unservable rate).
   */
  NeuronSession open(String unit, double rateHz, long nowMs) {
    NeuronSession s = live.get(unit);
    if (s == null) {
      s = restore(unit);
      if (s == null) {
        if (store.endedAt(unit) >= 0) {
          return null;
        }
        s = new NeuronSession(detectors.apply(rateHz));
      }
      live.put(unit, s);
    }
    lastActivityMs.put(unit, nowMs);
    return s;
  }

  /**
   * A unit's stored state, or null. A state this version cannot continue from (another schema,
   * detector or configuration) is dropped and reported: the unit starts afresh, as after a gap.
   */
  private NeuronSession restore(String unit) {
    NeuronStore.Loaded l;
    try {
      l = store.load(unit, detectors);
    } catch (StateFormatException e) {
      store.delete(unit);
      inboxUsed.put(unit, 0);
      onUnreadable.accept(unit, e);
      return null;
    }
    inboxUsed.put(unit, l.inboxUsed());
    return l.session();
  }

  /** Takes in a unit its group restored (snapshot and group inbox replayed). */
  void adopt(String unit, NeuronSession s, long nowMs) {
    live.put(unit, s);
    lastActivityMs.put(unit, nowMs);
  }

  /**
   * Restores every stored unit not yet in memory (after a restart or rebalance), so that pending
   * windows and undelivered spikes are published without waiting for the unit's next chunk.
   */
  List<String> restoreAll(long nowMs) {
    List<String> restored = new ArrayList<>();
    for (String unit : store.units()) {
      if (!live.containsKey(unit)) {
        NeuronSession s = restore(unit);
        if (s != null) {
          live.put(unit, s);
          lastActivityMs.put(unit, nowMs);
          restored.add(unit);
        }
      }
    }
    return restored;
  }

  /** Keeps an accepted chunk: in the unit's next inbox slot, or by a snapshot when none is left. */
  void keep(String unit, NeuronSession s, byte[] rawChunk, long nowMs) {
    int slot = inboxUsed.getOrDefault(unit, 0);
    if (slot == NeuronStore.INBOX_SLOTS) {
      snapshot(unit, s, nowMs); // covers this chunk too
    } else {
      store.append(unit, slot, rawChunk);
      inboxUsed.put(unit, slot + 1);
    }
  }

  /**
   * Ends sessions idle longer than the timeout (their remaining spikes are decided and published
   * like at {@code end_of_session}) and purges old end markers, at most every few seconds; returns
   * the units ended.
   */
  List<String> expireIdle(long nowMs) {
    List<String> expired = new ArrayList<>();
    if (nowMs - lastSweepMs < Math.min(SWEEP_INTERVAL_MS, sessionIdleMs)) {
      return expired;
    }
    lastSweepMs = nowMs;
    for (Map.Entry<String, Long> e : lastActivityMs.entrySet()) {
      NeuronSession s = live.get(e.getKey());
      if (nowMs - e.getValue() > sessionIdleMs && s != null && !s.ended()) {
        s.expire();
        stats.sessionsExpired.increment();
        expired.add(e.getKey());
      }
    }
    store.purgeEnded(nowMs - sessionIdleMs);
    return expired;
  }

  /**
   * After a unit's spikes went out: an ended session's state is deleted (its last spikes are in the
   * same transaction under EOS), a live one is snapshotted when a snapshot is due.
   */
  void published(String unit, NeuronSession s, long nowMs) {
    if (s.ended()) {
      store.ended(unit, nowMs);
      drop(unit);
      stats.sessionsEnded.increment();
      return;
    }
    if (!ownSnapshots) {
      return;
    }
    Long snap = lastSnapshotMs.get(unit);
    if (snap == null) {
      // the first at once; then each unit on its own phase of the interval, so that units started
      // together do not all snapshot in the same punctuation (a stall of every snapshot at once)
      snapshot(unit, s, nowMs);
      lastSnapshotMs.put(unit, nowMs - phaseMs(unit));
    } else if (nowMs - snap >= SNAPSHOT_INTERVAL_MS) {
      snapshot(unit, s, nowMs);
    }
  }

  /** A unit's (or group's) fixed offset within the snapshot interval. */
  static long phaseMs(String unit) {
    return Math.floorMod(unit.hashCode(), SNAPSHOT_INTERVAL_MS);
  }

  /** Drops a unit's live and stored state: its next chunk starts it afresh (with a gap). */
  void forget(String unit) {
    drop(unit);
    store.delete(unit);
  }

  private void drop(String unit) {
    live.remove(unit);
    lastSnapshotMs.remove(unit);
    inboxUsed.remove(unit);
    lastActivityMs.remove(unit);
  }

  private void snapshot(String unit, NeuronSession s, long nowMs) {
    store.snapshot(unit, s);
    lastSnapshotMs.put(unit, nowMs);
    inboxUsed.put(unit, 0);
  }

  void clear() {
    live.clear();
  }
}
