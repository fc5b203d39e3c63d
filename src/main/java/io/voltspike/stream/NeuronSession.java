package io.voltspike.stream;

import io.voltspike.avro.VoltageChunk;
import io.voltspike.avro.state.NeuronState;
import io.voltspike.avro.state.SpikeCandidate;
import io.voltspike.detect.Spike;
import io.voltspike.detect.SpikeDetector;
import io.voltspike.io.StateCodec;
import io.voltspike.io.StateFormatException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One neuron's live state in the stream: its detector, where the next chunk must start, the
 * session's clock, and the spikes decided but not yet published. All of it serializes into the
 * changelogged state store, so a restart or rebalance continues exactly where it stopped.
 *
 * <p>Chunk checks: a chunk that starts after the expected sample is a gap (the detector's gap
 * policy); one that starts before it overlaps: the already-seen prefix is dropped (a documented
 * repair), and a chunk with nothing new is a duplicate or out of order (counted and skipped: replay
 * after a recovery produces them). A changed sample rate is refused (dead letter).
 */
public final class NeuronSession {
  private final SpikeDetector detector;
  private String session;
  private double sampleRateHz;
  private long nextSample;

  /** Acquisition time of sample 0, microseconds since the epoch. */
  private long originUs;

  private boolean ended;
  private final List<Spike> outbox = new ArrayList<>();
  private long publishedUpTo = -1;

  /**
   * What {@link #accept} did with a chunk.
   *
   * @param missing NaN, infinite or null samples (held and flagged by the feature extractor)
   */
  public record Accepted(int samples, long gap, int trimmed, int missing, long clamped) {}

  public NeuronSession(SpikeDetector detector) {
    this.detector = detector;
  }

  public SpikeDetector detector() {
    return detector;
  }

  public String session() {
    return session;
  }

  public double sampleRateHz() {
    return sampleRateHz;
  }

  public long nextSample() {
    return nextSample;
  }

  /** Acquisition time of a sample, microseconds since the epoch. */
  public long acquiredAtUs(long sample) {
    return originUs + Math.round(sample * 1e6 / sampleRateHz);
  }

  public boolean ended() {
    return ended;
  }

  /**
   * Feeds a chunk. U-Net windows are left pending for the batched inference; other detectors decide
   * at once into the outbox.
   */
  public Accepted accept(VoltageChunk c) throws BadRecordException {
    List<Float> samples = c.getSamples();
    if (session == null) {
      session = c.getSession();
      sampleRateHz = c.getSampleRateHz();
      nextSample = 0; // a session that starts later begins with a gap
      originUs = c.getAcquiredAtUs() - Math.round(c.getFirstSample() * 1e6 / sampleRateHz);
    }
    if (ended) {
      throw new BadRecordException(
          DeadLetterReason.AFTER_END, "chunk after end_of_session for " + c.getNeuron());
    }
    if (c.getSampleRateHz() != sampleRateHz) {
      throw new BadRecordException(
          DeadLetterReason.RATE_CHANGE,
          "sample rate changed from " + sampleRateHz + " to " + c.getSampleRateHz() + " Hz");
    }
    if (samples.isEmpty() && !c.getEndOfSession()) {
      throw new BadRecordException(DeadLetterReason.EMPTY, "chunk has no samples");
    }
    long first = c.getFirstSample();
    long end = first + samples.size();
    if (end <= nextSample && !(samples.isEmpty() && c.getEndOfSession())) {
      boolean duplicate = end == nextSample;
      throw new BadRecordException(
          duplicate ? DeadLetterReason.DUPLICATE : DeadLetterReason.OUT_OF_ORDER,
          "samples "
              + first
              + ".."
              + (end - 1)
              + " were already processed (next is "
              + nextSample
              + ")");
    }
    int skip = (int) Math.max(0, nextSample - first);
    long gap = Math.max(0, first - nextSample);
    SpikeSinkToOutbox sink = sink();
    long clamped0 = detector.clampedSamples();
    if (gap > 0) {
      detector.pushGap(gap, sink);
    }
    float[] v = new float[samples.size() - skip];
    int missing = 0;
    for (int i = 0; i < v.length; i++) {
      Float f = samples.get(skip + i);
      v[i] = f == null ? Float.NaN : f;
      if (!Float.isFinite(v[i])) {
        missing++;
      }
    }
    detector.cut(v, 0, v.length, sink);
    nextSample = Math.max(nextSample, end);
    if (c.getEndOfSession()) {
      detector.flush(sink);
      ended = true;
    }
    return new Accepted(v.length, gap, skip, missing, detector.clampedSamples() - clamped0);
  }

  /**
   * Ends the session without an {@code end_of_session} chunk (it went idle): every remaining sample
   * is decided into the outbox.
   */
  public void expire() {
    if (!ended) {
      detector.flush(sink());
      ended = true;
    }
  }

  /** The last spike sample already published (spikes up to it are not published again). */
  public long publishedUpTo() {
    return publishedUpTo;
  }

  public void publishedUpTo(long sample) {
    publishedUpTo = Math.max(publishedUpTo, sample);
  }

  /** Spikes decided and not yet published; the caller publishes and then clears them. */
  public List<Spike> outbox() {
    return outbox;
  }

  public SpikeSinkToOutbox sink() {
    return new SpikeSinkToOutbox(outbox);
  }

  /** Collects spikes into a list. */
  public record SpikeSinkToOutbox(List<Spike> out) implements io.voltspike.detect.SpikeSink {
    @Override
    public void onSpike(long sample, double score) {
      out.add(new Spike(sample, score));
    }
  }

  /** The codec of {@link NeuronState}, a unit's durable state. */
  static final StateCodec<NeuronState> STATE =
      new StateCodec<>(NeuronState.getClassSchema(), "NeuronState");

  public byte[] toBytes() {
    List<SpikeCandidate> out = new ArrayList<>(outbox.size());
    for (Spike sp : outbox) {
      out.add(new SpikeCandidate(sp.sample(), sp.score()));
    }
    return STATE.encode(
        NeuronState.newBuilder()
            .setSession(session)
            .setSampleRateHz(sampleRateHz)
            .setNextSample(nextSample)
            .setOriginUs(originUs)
            .setEnded(ended)
            .setOutbox(out)
            .setDetector(detector.name())
            .setDetectorState(ByteBuffer.wrap(detector.snapshot()))
            .build());
  }

  /** The stored state, decoded (to build the matching detector before restoring it). */
  public static NeuronState decode(byte[] bytes) {
    return STATE.decode(bytes);
  }

  /**
   * A unit continued from its stored state; {@code fresh} is a new detector for the state's sample
   * rate, which must be the detector that wrote it.
   */
  public static NeuronSession restore(NeuronState state, SpikeDetector fresh) {
    if (!state.getDetector().equals(fresh.name())) {
      throw new StateFormatException(
          "stored state is of detector '"
              + state.getDetector()
              + "', this job runs '"
              + fresh.name()
              + "'");
    }
    NeuronSession n = new NeuronSession(fresh);
    n.session = state.getSession();
    n.sampleRateHz = state.getSampleRateHz();
    n.nextSample = state.getNextSample();
    n.originUs = state.getOriginUs();
    n.ended = state.getEnded();
    for (SpikeCandidate c : state.getOutbox()) {
      n.outbox.add(new Spike(c.getSample(), c.getScore()));
    }
    ByteBuffer d = state.getDetectorState().duplicate();
    byte[] detectorState = new byte[d.remaining()];
    d.get(detectorState);
    fresh.restore(detectorState);
    return n;
  }

  public static NeuronSession fromBytes(byte[] bytes, SpikeDetector fresh) {
    return restore(decode(bytes), fresh);
  }
}
