package io.voltspike.stream;

import io.voltspike.avro.VoltageChunk;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.SpikeDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The per-neuron detector step, top-down. {@code process()} only updates state: the record is
 * checked ({@link ChunkCheck}), its (neuron, session) unit opened ({@link LiveUnits}), the chunk
 * fed to the unit's detector (U-Net windows are cut, not yet inferred) and kept in the changelogged
 * store. A wall-clock punctuator ({@link #publish}) runs every {@code batchWaitMs}: it gathers the
 * pending windows of all waiting units into ONNX Runtime batches ({@link BatchInference}), then
 * forwards their spikes with the published mark ({@link SpikePublisher}) and snapshots or deletes
 * their state. Bad records go to the dead-letter topic ({@link DeadLetters}); a commit can fall
 * anywhere, because snapshot + inbox + mark always rebuild exactly the state the committed offsets
 * imply.
 */
public final class DetectorProcessor implements Processor<String, byte[], String, Object> {
  public static final String SPIKES_SINK = "spikes-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private final StreamSettings settings;
  private final Detectors detectors;
  private final StreamStats stats;
  private ProcessorContext<String, Object> context;
  private LiveUnits units;
  private DeadLetters deadLetters;
  private BatchInference inference;
  private SpikePublisher publisher;
  private RefusedNeurons refused;

  /** Units with chunks (or restored state) not yet published. */
  private final Set<String> waiting = new LinkedHashSet<>();

  private boolean resumed;

  public DetectorProcessor(StreamSettings settings, Detectors detectors, StreamStats stats) {
    this.settings = settings;
    this.detectors = detectors;
    this.stats = stats;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    NeuronStore store = new NeuronStore(context.getStateStore(Topics.STATE_STORE));
    this.units =
        new LiveUnits(
            store, this::detector, stats, this::stateUnreadable, settings.sessionIdleMs());
    this.deadLetters = new DeadLetters(context, settings.samplesTopic(), DEAD_LETTER_SINK, stats);
    this.inference = new BatchInference(settings.options().unet().batchSize(), stats);
    this.publisher =
        new SpikePublisher(context, store, stats, SPIKES_SINK, settings.detectorVersion());
    this.refused = new RefusedNeurons(deadLetters, stats);
    context.schedule(
        Duration.ofMillis(Math.max(1, settings.batchWaitMs())),
        PunctuationType.WALL_CLOCK_TIME,
        t -> publish());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    VoltageChunk chunk;
    try {
      chunk = ChunkCheck.validate(record);
    } catch (BadRecordException e) {
      deadLetters.record(record, e.reason(), e.getMessage());
      return;
    }
    if (refused.refusedBefore(record.key(), chunk)) {
      return;
    }
    String unit = NeuronStore.unit(record.key(), chunk.getSession());
    NeuronSession s;
    try {
      s = units.open(unit, chunk.getSampleRateHz(), now());
    } catch (RuntimeException e) {
      refused.refuse(record, chunk, e);
      return;
    }
    if (ChunkCheck.allMissing(chunk)) {
      deadLetters.record(
          record, DeadLetterReason.NAN_ONLY, "every sample is NaN or infinite; treated as missing");
    }
    if (s == null) {
      deadLetters.record(
          record,
          DeadLetterReason.AFTER_END,
          "session '"
              + chunk.getSession()
              + "' of "
              + record.key()
              + " has ended; a new session needs a new session id");
      return;
    }
    if (feed(record, chunk, unit, s)) {
      waiting.add(unit);
      units.keep(unit, s, record.value(), now());
    }
  }

  /** Feeds the chunk to the unit's detector and counts it; false if it was not taken. */
  private boolean feed(
      Record<String, byte[]> record, VoltageChunk chunk, String unit, NeuronSession s) {
    NeuronSession.Accepted a;
    try {
      a = s.accept(chunk);
    } catch (BadRecordException e) {
      LongAdder replayed = stats.alreadyProcessed.get(e.reason().code());
      if (replayed != null) {
        replayed.increment(); // nothing new: a replay after recovery, or a duplicate
      } else {
        deadLetters.record(record, e.reason(), e.getMessage());
      }
      return false;
    } catch (RuntimeException e) {
      // A detector that throws on this record would throw again on every retry and wedge the
      // stream thread: the record is dead-lettered and the unit starts afresh on its next chunk.
      deadLetters.record(record, DeadLetterReason.PROCESSING_ERROR, ChunkCheck.describe(e));
      forget(unit);
      return false;
    }
    stats.accepted(a);
    return true;
  }

  private SpikeDetector detector(double rateHz) {
    return detectors.create(settings.detector(), settings.options().withSampleRate(rateHz));
  }

  /** The punctuator: batched inference over every waiting unit, then their spikes go out. */
  void publish() {
    long now = now();
    if (!resumed) {
      resumed = true;
      waiting.addAll(units.restoreAll(now));
    }
    waiting.addAll(units.expireIdle(now));
    if (waiting.isEmpty()) {
      return;
    }
    List<String> batch = new ArrayList<>(waiting);
    waiting.clear();
    inference.run(batch, units.sessions(), this::inferenceFailed);
    for (String unit : batch) {
      NeuronSession s = units.get(unit);
      if (s != null) {
        publisher.publish(unit, s, now);
        units.published(unit, s, now);
      }
    }
  }

  /** A unit whose stored state was dropped: said in a dead letter, counted. */
  private void stateUnreadable(String unit, RuntimeException e) {
    stats.bad(DeadLetterReason.STATE_UNREADABLE);
    deadLetters.forward(
        NeuronStore.neuronOf(unit),
        DeadLetterReason.STATE_UNREADABLE,
        ChunkCheck.describe(e) + "; the unit starts afresh",
        null);
  }

  /** A unit whose windows the model could not run, even alone: dead-lettered and forgotten. */
  private void inferenceFailed(String unit, RuntimeException e) {
    stats.bad(DeadLetterReason.INFERENCE_ERROR);
    deadLetters.forward(
        NeuronStore.neuronOf(unit), DeadLetterReason.INFERENCE_ERROR, ChunkCheck.describe(e), null);
    forget(unit);
  }

  private void forget(String unit) {
    waiting.remove(unit);
    units.forget(unit);
  }

  private long now() {
    return context.currentSystemTimeMs();
  }

  @Override
  public void close() {
    units.clear();
  }
}
