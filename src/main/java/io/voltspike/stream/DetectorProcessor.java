package io.voltspike.stream;

import io.voltspike.avro.SpikeEvent;
import io.voltspike.avro.VoltageChunk;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.Spike;
import io.voltspike.detect.SpikeDetector;
import io.voltspike.detect.UnsupportedRateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-neuron detector step. {@code process()} only updates state: it decodes and checks a
 * chunk, feeds it to the neuron's detector (U-Net windows are cut but not yet inferred) and writes
 * the chunk to the next slot of the neuron's inbox in the changelogged store (or snapshots the
 * neuron when the slots are used up); bad records go to the dead-letter topic. A wall-clock
 * punctuator runs every {@code batchWaitMs}: it gathers the pending windows of all neurons of the
 * task into ONNX Runtime batches, applies the probabilities, forwards the spikes with the published
 * mark, and snapshots a neuron's whole state at most every second ({@link NeuronStore}). A commit
 * can fall anywhere: snapshot + inbox + mark always rebuild exactly the state the committed offsets
 * imply, without serializing 9 KiB per record.
 */
public final class DetectorProcessor implements Processor<String, byte[], String, Object> {
  public static final String SPIKES_SINK = "spikes-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private final StreamSettings settings;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, byte[]> store;

  /** Whole-state snapshots per neuron at most this often; the inbox covers the time between. */
  public static final long SNAPSHOT_INTERVAL_MS = 1000;

  private NeuronStore neurons;
  private DeadLetters deadLetters;
  private BatchInference inference;
  private final Map<String, Long> lastSnapshotMs = new HashMap<>();
  private final Map<String, Integer> inboxUsed = new HashMap<>();
  private final Map<String, NeuronSession> live = new HashMap<>();
  private final Set<String> waiting = new LinkedHashSet<>();
  private final Map<String, Long> lastActivityMs = new HashMap<>();
  private long lastSweepMs;

  /** Idle sessions and old end markers are looked for at most this often. */
  static final long SWEEP_INTERVAL_MS = 5_000;

  /**
   * Neuron@rate pairs no detector can be built for (e.g. an unservable rate): dead-lettered once
   * with the reason, then only counted, never retried per chunk.
   */
  private final Map<String, String> refused = new HashMap<>();

  private boolean resumed;

  public DetectorProcessor(StreamSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.store = context.getStateStore(Topics.STATE_STORE);
    this.neurons = new NeuronStore(store);
    this.deadLetters = new DeadLetters(context, settings.samplesTopic(), DEAD_LETTER_SINK);
    this.inference = new BatchInference(settings.options().unet().batchSize());

    context.schedule(
        Duration.ofMillis(Math.max(1, settings.batchWaitMs())),
        PunctuationType.WALL_CLOCK_TIME,
        t -> publish());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String key = record.key();
    if (key == null || key.isEmpty()) {
      deadLetter(record, "missing_key", "records must be keyed by neuron id");
      return;
    }
    VoltageChunk chunk;
    try {
      chunk = ChunkDecoder.decode(record.value());
    } catch (BadRecordException e) {
      deadLetter(record, e.reason(), e.getMessage());
      return;
    }
    if (!key.equals(chunk.getNeuron())) {
      deadLetter(
          record,
          "key_mismatch",
          "record key '" + key + "' is not the chunk's neuron '" + chunk.getNeuron() + "'");
      return;
    }
    if (!(chunk.getSampleRateHz() > 0) || !Double.isFinite(chunk.getSampleRateHz())) {
      deadLetter(record, "bad_rate", "sample_rate_hz must be > 0, was " + chunk.getSampleRateHz());
      return;
    }
    String unit = NeuronStore.unit(key, chunk.getSession());
    if (!refused.isEmpty() && refused.containsKey(refusal(key, chunk))) {
      StreamStats.bad("refused_neuron"); // counted, not dead-lettered again
      return;
    }
    NeuronSession s;
    try {
      s = session(unit, chunk.getSampleRateHz());
    } catch (UnsupportedRateException e) {
      refused.put(refusal(key, chunk), e.getMessage());
      deadLetter(record, "unsupported_rate", e.getMessage() + "; later chunks are counted only");
      return;
    } catch (RuntimeException e) {
      refused.put(refusal(key, chunk), e.getMessage());
      deadLetter(
          record,
          "detector_error",
          "cannot create a detector: " + e.getMessage() + "; later chunks are counted only");
      return;
    }
    boolean allMissing = !chunk.getSamples().isEmpty();
    for (Float f : chunk.getSamples()) {
      if (f != null && Float.isFinite(f)) {
        allMissing = false;
        break;
      }
    }
    if (allMissing) {
      // reported, and processed as missing samples so the indices stay consistent
      deadLetter(record, "nan_only", "every sample is NaN or infinite; treated as missing");
    }
    if (s == null) {
      deadLetter(
          record,
          "after_end",
          "session '"
              + chunk.getSession()
              + "' of "
              + key
              + " has ended; a new session needs a"
              + " new session id");
      return;
    }
    lastActivityMs.put(unit, context.currentSystemTimeMs());
    try {
      NeuronSession.Accepted a = s.accept(chunk);
      StreamStats.CHUNKS.increment();
      StreamStats.SAMPLES.add(a.samples());
      StreamStats.MISSING_SAMPLES.add(a.missing());
      if (a.gap() > 0) {
        StreamStats.GAPS.increment();
        StreamStats.GAP_SAMPLES.add(a.gap());
      }
      if (a.trimmed() > 0) {
        StreamStats.bad("overlap_trimmed");
      }
    } catch (BadRecordException e) {
      LongAdder replayed = StreamStats.ALREADY_PROCESSED.get(e.reason());
      if (replayed != null) {
        replayed.increment(); // nothing new: a replay after recovery, or a duplicate
      } else {
        deadLetter(record, e.reason(), e.getMessage());
      }
      return;
    } catch (RuntimeException e) {
      // A detector that throws on this record would throw again on every retry and wedge the
      // stream thread: the record is dead-lettered and the neuron starts afresh on its next chunk.
      deadLetter(record, "processing_error", describe(e));
      forget(unit);
      return;
    }
    waiting.add(unit);
    int slot = inboxUsed.getOrDefault(unit, 0);
    if (slot == NeuronStore.INBOX_SLOTS) {
      snapshot(unit, s, context.currentSystemTimeMs()); // covers this chunk too
    } else {
      neurons.append(unit, slot, record.value());
      inboxUsed.put(unit, slot + 1);
    }
  }

  /** The live state of a unit: in memory, else restored, else new; null if the session ended. */
  private NeuronSession session(String unit, double rateHz) {
    NeuronSession s = live.get(unit);
    if (s != null) {
      return s;
    }
    s = restore(unit);
    if (s == null) {
      if (neurons.endedAt(unit) >= 0) {
        return null;
      }
      s = new NeuronSession(detector(rateHz));
    }
    live.put(unit, s);
    return s;
  }

  private SpikeDetector detector(double rateHz) {
    return Detectors.create(settings.detector(), settings.options().withSampleRate(rateHz));
  }

  /** A unit's stored state, or null. */
  private NeuronSession restore(String unit) {
    NeuronStore.Loaded l = neurons.load(unit, this::detector);
    inboxUsed.put(unit, l.inboxUsed());
    return l.session();
  }

  private void snapshot(String key, NeuronSession s, long nowMs) {
    neurons.snapshot(key, s);
    lastSnapshotMs.put(key, nowMs);
    inboxUsed.put(key, 0);
  }

  /**
   * After a restart or rebalance, neurons whose restored state still holds pending windows or
   * undelivered spikes are published without waiting for their next chunk.
   */
  private void resumeRestored() {
    resumed = true;
    long now = context.currentSystemTimeMs();
    for (String unit : neurons.units()) {
      if (!live.containsKey(unit)) {
        NeuronSession s = restore(unit);
        if (s != null) {
          live.put(unit, s);
          lastActivityMs.put(unit, now);
          waiting.add(unit);
        }
      }
    }
  }

  /**
   * Ends sessions idle longer than the timeout (their remaining spikes are decided and published
   * like at {@code end_of_session}) and purges old end markers; at most every few seconds.
   */
  private void expireIdle(long now) {
    if (now - lastSweepMs < Math.min(SWEEP_INTERVAL_MS, settings.sessionIdleMs())) {
      return;
    }
    lastSweepMs = now;
    for (Map.Entry<String, Long> e : lastActivityMs.entrySet()) {
      if (now - e.getValue() > settings.sessionIdleMs()) {
        NeuronSession s = live.get(e.getKey());
        if (s != null && !s.ended()) {
          s.expire();
          StreamStats.SESSIONS_EXPIRED.increment();
          waiting.add(e.getKey());
        }
      }
    }
    neurons.purgeEnded(now - settings.sessionIdleMs());
  }

  /** Batched inference over every waiting neuron, then publishes spikes (the punctuator). */
  void publish() {
    if (!resumed) {
      resumeRestored();
    }
    expireIdle(context.currentSystemTimeMs());
    if (waiting.isEmpty()) {
      return;
    }
    List<String> units = new ArrayList<>(waiting);
    waiting.clear();
    inference.run(units, live, this::inferenceFailed);
    long now = context.currentSystemTimeMs();
    for (String unit : units) {
      NeuronSession s = live.get(unit);
      if (s == null) {
        continue;
      }
      String key = NeuronStore.neuronOf(unit);
      List<Spike> out = s.outbox();
      long last = s.publishedUpTo();
      for (Spike sp : out) {
        if (sp.sample() <= s.publishedUpTo()) {
          continue; // published before a restart
        }
        SpikeEvent ev =
            SpikeEvent.newBuilder()
                .setSession(s.session())
                .setNeuron(key)
                .setSample(sp.sample())
                .setTimeMs(sp.sample() * 1000.0 / s.sampleRateHz())
                .setAcquiredAtUs(s.acquiredAtUs(sp.sample()))
                .setProbability(sp.score())
                .setDetector(s.detector().name())
                .setModelVersion(modelVersion(s.detector()))
                .setEmittedAtUs(now * 1000)
                .build();
        context.forward(new Record<String, Object>(key, ev, now), SPIKES_SINK);
        StreamStats.spike(key, now * 1000 - ev.getAcquiredAtUs());
        last = sp.sample();
      }
      out.clear();
      if (last > s.publishedUpTo()) {
        s.publishedUpTo(last);
        neurons.published(unit, last);
      }
      if (s.ended()) {
        // its last spikes are out (in this transaction, under EOS): the state goes
        neurons.ended(unit, now);
        live.remove(unit);
        lastSnapshotMs.remove(unit);
        inboxUsed.remove(unit);
        lastActivityMs.remove(unit);
        StreamStats.SESSIONS_ENDED.increment();
        continue;
      }
      Long snap = lastSnapshotMs.get(unit);
      if (snap == null || now - snap >= SNAPSHOT_INTERVAL_MS) {
        snapshot(unit, s, now);
      }
    }
  }

  private String modelVersion(SpikeDetector d) {
    return d.model() != null ? d.model().version() : settings.detectorVersion();
  }

  /** The key of a refused neuron at a rate (built only when something was refused). */
  private static String refusal(String neuron, VoltageChunk chunk) {
    return neuron + "@" + chunk.getSampleRateHz();
  }

  /** The exception's class and message, for a dead letter. */
  static String describe(Throwable e) {
    return e.getClass().getName() + ": " + e.getMessage();
  }

  /** Drops a neuron's live and stored state: its next chunk starts it afresh (with a gap). */
  private void forget(String unit) {
    live.remove(unit);
    waiting.remove(unit);
    lastSnapshotMs.remove(unit);
    inboxUsed.remove(unit);
    lastActivityMs.remove(unit);
    neurons.delete(unit);
  }

  /** A unit whose windows the model could not run, even alone: dead-lettered and forgotten. */
  private void inferenceFailed(String unit, RuntimeException e) {
    StreamStats.bad("inference_error");
    deadLetters.forward(NeuronStore.neuronOf(unit), "inference_error", describe(e), null);
    forget(unit);
  }

  private void deadLetter(Record<String, byte[]> record, String reason, String detail) {
    deadLetters.record(record, reason, detail);
  }

  @Override
  public void close() {
    live.clear();
  }
}
