package io.voltspike.stream;

import io.voltspike.avro.FrameBlock;
import io.voltspike.avro.VoltageChunk;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.SpikeDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
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
 *
 * <p>The same step reads frame blocks ({@link Input#BLOCKS}): one record holds a group of neurons,
 * each neuron's column is fed to its own unit exactly as its chunk would be, and the block is kept
 * once for the whole group ({@link LiveGroups}); what the neurons publish is the same.
 */
public final class DetectorProcessor implements Processor<String, byte[], String, Object> {
  public static final String SPIKES_SINK = "spikes-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  /** What the step's input records are. */
  public enum Input {
    /** {@code VoltageChunk}s keyed by neuron. */
    CHUNKS(""),
    /** {@code FrameBlock}s keyed by group. */
    BLOCKS("-blocks");

    private final String suffix;

    Input(String suffix) {
      this.suffix = suffix;
    }

    /** The child node spike events go to. */
    public String spikesSink() {
      return SPIKES_SINK + suffix;
    }

    /** The child node dead letters go to. */
    public String deadLetterSink() {
      return DEAD_LETTER_SINK + suffix;
    }
  }

  private final Input input;
  private final StreamSettings settings;
  private final Detectors detectors;
  private final StreamStats stats;
  private ProcessorContext<String, Object> context;
  private LiveUnits units;
  private DeadLetters deadLetters;
  private BatchInference inference;
  private SpikePublisher publisher;
  private RefusedNeurons refused;
  private LiveGroups groups;

  /** Units with chunks (or restored state) not yet published. */
  private final Set<String> waiting = new LinkedHashSet<>();

  private boolean resumed;

  /** Whether a unit ended or was forgotten since the groups last looked (they may be over). */
  private boolean dropped;

  public DetectorProcessor(
      Input input, StreamSettings settings, Detectors detectors, StreamStats stats) {
    this.input = input;
    this.settings = settings;
    this.detectors = detectors;
    this.stats = stats;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    boolean blocks = input == Input.BLOCKS;
    NeuronStore store =
        new NeuronStore(
            context.getStateStore(blocks ? Topics.GROUP_STATE_STORE : Topics.STATE_STORE));
    this.units =
        new LiveUnits(
            store, this::detector, stats, this::stateUnreadable, settings.sessionIdleMs(), !blocks);
    this.groups =
        blocks ? new LiveGroups(store, units, this::detector, this::stateUnreadable) : null;
    this.deadLetters =
        new DeadLetters(
            context,
            blocks ? settings.framesTopic() : settings.samplesTopic(),
            input.deadLetterSink(),
            stats);
    this.inference = new BatchInference(settings.options().unet().batchSize(), stats);
    this.publisher =
        new SpikePublisher(context, store, stats, input.spikesSink(), settings.detectorVersion());
    this.refused = new RefusedNeurons(deadLetters, stats);
    context.schedule(
        Duration.ofMillis(Math.max(1, settings.batchWaitMs())),
        PunctuationType.WALL_CLOCK_TIME,
        t -> publish());
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (input == Input.BLOCKS) {
      processBlock(record);
    } else {
      processChunk(record);
    }
  }

  private void processChunk(Record<String, byte[]> record) {
    VoltageChunk chunk;
    try {
      chunk = ChunkCheck.validate(record);
    } catch (BadRecordException e) {
      deadLetters.record(record, e.reason(), e.getMessage());
      return;
    }
    if (refused.refusedBefore(record.key(), chunk.getSampleRateHz())) {
      return;
    }
    String unit = NeuronStore.unit(record.key(), chunk.getSession());
    NeuronSession s;
    try {
      s = units.open(unit, chunk.getSampleRateHz(), now());
    } catch (RuntimeException e) {
      refused.refuse(record, chunk.getSampleRateHz(), e);
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
    if (feed(record, chunk, unit, s, null)) {
      waiting.add(unit);
      units.keep(unit, s, record.value(), now());
    }
  }

  /**
   * A frame block: every neuron's column goes to its unit as its chunk would, and the block is kept
   * once for the group. A reason that holds for several neurons is dead-lettered once per block.
   */
  private void processBlock(Record<String, byte[]> record) {
    FrameBlock b;
    try {
      b = BlockCheck.validate(record);
    } catch (BadRecordException e) {
      deadLetters.record(record, e.reason(), e.getMessage());
      return;
    }
    double rateHz = b.getSampleRateHz();
    if (refused.refusedBefore(record.key(), rateHz)) {
      return;
    }
    String group = LiveGroups.group(record.key(), b.getSession());
    long now = now();
    LiveGroups.Group g;
    try {
      g = groups.open(group, b, now);
    } catch (BadRecordException e) {
      deadLetters.record(record, e.reason(), e.getMessage());
      return;
    }
    if (ChunkCheck.allMissing(b.getSamples())) {
      deadLetters.record(
          record, DeadLetterReason.NAN_ONLY, "every sample is NaN or infinite; treated as missing");
    }
    // every unit opened before any is fed: a block is taken by all its neurons or refused whole
    int n = g.units.size();
    NeuronSession[] sessions = new NeuronSession[n];
    for (int j = 0; j < n; j++) {
      try {
        sessions[j] = units.open(g.units.get(j), rateHz, now);
      } catch (RuntimeException e) {
        refused.refuse(record, rateHz, e); // the rate is the block's: no neuron of it can run
        return;
      }
    }
    Set<DeadLetterReason> said = EnumSet.noneOf(DeadLetterReason.class);
    boolean taken = false;
    boolean ended = false;
    for (int j = 0; j < n; j++) {
      String unit = g.units.get(j);
      if (sessions[j] == null) {
        ended = true;
      } else if (feed(record, LiveGroups.column(b, j), unit, sessions[j], said)) {
        waiting.add(unit);
        taken = true;
      }
    }
    if (ended && !taken) {
      dropped = true; // a group of ended neurons kept in memory only for this block
    }
    if (ended && !taken && said.add(DeadLetterReason.AFTER_END)) {
      deadLetters.record(
          record,
          DeadLetterReason.AFTER_END,
          "session '"
              + b.getSession()
              + "' of group "
              + record.key()
              + " has ended; a new session needs a new session id");
    }
    if (taken) {
      groups.keep(group, g, record.value(), now);
    }
  }

  /**
   * Feeds the chunk to the unit's detector and counts it; false if it was not taken.
   *
   * @param said the reasons already dead-lettered for this record (each is said once); null to say
   *     every one
   */
  private boolean feed(
      Record<String, byte[]> record,
      VoltageChunk chunk,
      String unit,
      NeuronSession s,
      Set<DeadLetterReason> said) {
    NeuronSession.Accepted a;
    try {
      a = s.accept(chunk);
    } catch (BadRecordException e) {
      LongAdder replayed = stats.alreadyProcessed.get(e.reason().code());
      if (replayed != null) {
        replayed.increment(); // nothing new: a replay after recovery, or a duplicate
      } else if (said == null || said.add(e.reason())) {
        deadLetters.record(record, e.reason(), e.getMessage());
      }
      return false;
    } catch (RuntimeException e) {
      // A detector that throws on this record would throw again on every retry and wedge the
      // stream thread: the record is dead-lettered and the unit starts afresh on its next chunk.
      deadLetters.record(
          record,
          DeadLetterReason.PROCESSING_ERROR,
          (said == null ? "" : "neuron " + chunk.getNeuron() + ": ") + ChunkCheck.describe(e));
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
      if (groups != null) {
        waiting.addAll(groups.restoreAll(now)); // before the units: a group replays its inbox
      }
      waiting.addAll(units.restoreAll(now));
    }
    waiting.addAll(units.expireIdle(now));
    if (waiting.isEmpty()) {
      if (groups != null) {
        groups.published(now, dropped);
        dropped = false;
      }
      return;
    }
    List<String> batch = new ArrayList<>(waiting);
    waiting.clear();
    inference.run(batch, units.sessions(), this::inferenceFailed);
    for (String unit : batch) {
      NeuronSession s = units.get(unit);
      if (s != null) {
        dropped |= s.ended();
        publisher.publish(unit, s, now);
        units.published(unit, s, now);
      }
    }
    if (groups != null) {
      groups.published(now, dropped);
      dropped = false;
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
    dropped = true;
    waiting.remove(unit);
    units.forget(unit);
  }

  private long now() {
    return context.currentSystemTimeMs();
  }

  @Override
  public void close() {
    if (groups != null) {
      groups.clear();
    }
    units.clear();
  }
}
