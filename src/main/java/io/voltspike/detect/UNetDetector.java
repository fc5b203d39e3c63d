package io.voltspike.detect;

import io.voltspike.avro.state.CalibrationState;
import io.voltspike.avro.state.UNetState;
import io.voltspike.io.StateArrays;
import io.voltspike.io.StateCodec;
import io.voltspike.model.WindowModel;
import io.voltspike.signal.FeatureConfig;
import io.voltspike.signal.FeatureExtractor;
import io.voltspike.signal.RobustScale;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The research poster's detector, online: five feature channels (and, for a model that reads it,
 * the trace whitened by the neuron's own noise model: {@link FeatureConfig#WHITENED}), 100 ms
 * windows every stride, a U-Net probability per sample, averaged over the windows that cover it,
 * thresholded, then confidence-based shadowing.
 *
 * <p><b>Averaging with bounded lookahead.</b> Sample u takes the windows that cover it and end no
 * later than {@code u + windowLookahead}; windows ending later are not waited for, which bounds the
 * decision latency. The first and last {@code edgeMs} of every window are pruned: they count only
 * where no window covers the sample with its interior (at the start of a recording, and for short
 * lookaheads, where only windows' right edges are available in time). The rule depends on sample
 * indices alone, never on arrival timing, so a recording fed whole, in chunks, or through the
 * stream gives the same spikes.
 *
 * <p><b>Window placement.</b> A segment's first window starts at its first sample; the others sit
 * on a grid of sample indices such that each window is complete (feature delay included) on a
 * sample whose index + 1 is a multiple of the stride. A rig that sends chunks of the stride (or a
 * multiple of it) from sample 0 therefore completes a window exactly when a chunk arrives, instead
 * of leaving it waiting for the next chunk: up to a stride less latency, at no cost.
 *
 * <p><b>Calibration per neuron.</b> A candidate must also stand out from <i>this</i> neuron's
 * noise: its high-pass channel, within a sample of it, must reach {@code minHeightSd} robust
 * standard deviations of that channel, tracked online ({@link RobustScale}). Strong subthreshold
 * activity or noise widens the spread and raises the bar; the network's confidence alone never
 * makes a spike out of a noise-level bump. A candidate below that bar still passes when its
 * whitened evidence ({@link WhitenedEvidence}) reaches {@code minEvidenceSd}: a spike on a slow
 * wave or a burst's plateau has a small high-pass height but stands out once the neuron's own noise
 * colour is predicted away.
 *
 * <p><b>Oscillation veto.</b> Oscillations of near-spike height (gamma bursts, ripples) fool the
 * network on some neurons. A candidate whose high-pass peak is broad (still {@link
 * #OSCILLATION_WIDTH_RATIO} of its height {@link #OSCILLATION_WIDTH_MS} before or after it) and
 * that follows, within {@link #OSCILLATION_LOOKBACK_MS}, a trough below zero of {@code
 * oscillationTroughRatio} times its height is an oscillation's crest and is dropped. It looks only
 * as far ahead as every chunking guarantees, so it too decides the same way fed whole or in chunks.
 *
 * <p><b>Shadowing.</b> A candidate (average at or above the threshold) is a spike only if no sample
 * within {@code shadowMs} has a larger average (ties: the earliest).
 *
 * <p><b>Two ways to run.</b> {@link #push} runs the model synchronously on the windows it cuts. The
 * stream instead calls {@link #cut}, gathers {@link #pendingWindows()} of many neurons into one
 * ONNX Runtime batch, and hands the probabilities back with {@link #applyPending}: the same code
 * decides spikes either way.
 */
public final class UNetDetector implements SpikeDetector {
  public static final String NAME = "unet";

  /** Adaptation step of the high-pass channel's robust spread (see {@link RobustScale}). */
  static final double SCALE_STEP = 0.004;

  private static final int HIGHPASS = 2;

  /** The oscillation veto's width test: the peak's height this far either side of it. */
  public static final double OSCILLATION_WIDTH_MS = 3;

  /** Fraction of its height a broad peak still holds {@link #OSCILLATION_WIDTH_MS} from it. */
  public static final double OSCILLATION_WIDTH_RATIO = 0.3;

  /** How far before its peak the oscillation veto looks for a trough. */
  public static final double OSCILLATION_LOOKBACK_MS = 25;

  /** The candidate's high-pass peak is sought within this of it. */
  static final double OSCILLATION_PEAK_MS = 2;

  private static final int FEATURES = FeatureConfig.CHANNELS.length;

  /** Input channels of the model: the five features, and the whitened channel when it reads it. */
  private final int channels;

  /** Whether the model reads the whitened channel ({@link FeatureConfig#WHITENED}) sixth. */
  private final boolean whitenedChannel;

  private final WindowModel model;
  private final FeatureExtractor features;
  private final float sign;
  private final int window;
  private final int stride;

  /** Window starts after a segment's first window are congruent to this, modulo the stride. */
  private final int phase;

  private final int edge;
  private final int windowLookahead;
  private final int finalizeLag;
  private final double threshold;
  private final PeakPicker picker;
  private final int batchSize;
  private final double minHeightSd;

  /** The oscillation veto's trough ratio (0: off) and its reach, in model samples. */
  private final double oscillationTroughRatio;

  private final int oscillationWidth;
  private final int oscillationLookback;
  private final int oscillationPeak;
  private final int oscillationHistory;

  /** Samples after a decided one whose heights every chunking has delivered when it is decided. */
  private final int guaranteedAhead;

  /** The sink {@link #veto} forwards to, and the veto in front of it. */
  private SpikeSink vetoFor;

  private SpikeSink veto;

  /** The neuron's high-pass spread, and each undecided sample's high-pass value in units of it. */
  private final RobustScale highPassScale = new RobustScale(SCALE_STEP, 1.0);

  private final float[] heightSd;

  /**
   * The neuron's whitened evidence, and each undecided sample's in robust sd (negative infinity
   * until the template's last frame is in); null when {@code min_evidence_sd} is 0 and the model
   * does not read the whitened channel.
   */
  private final WhitenedEvidence evidence;

  private final float[] evidenceSd;
  private final double minEvidenceSd;

  /**
   * Whether this unit runs the evidence: a unit restored from a state written without it (by
   * version 1 of the state, or with the evidence off) keeps deciding as it did until its session
   * ends. The floor's exception applies when this is on and {@code min_evidence_sd} is above 0.
   */
  private boolean evidenceOn;

  // feature frames, channels first, ring of frameCap samples
  private final int frameCap;
  private final float[] frames;
  private final boolean[] imputed;
  // per-sample accumulators, ring of accCap samples
  private final int accCap;
  private final double[] sumInterior;
  private final double[] sumEdge;
  private final int[] countInterior;
  private final int[] countEdge;

  /**
   * The operating point's per-neuron calibration (null for {@code fixed}): the network also reads
   * every window sign-flipped, and the flipped candidates that pass the rule, with their
   * confidence, are the neuron's own false alarms ({@link FalseAlarmCalibration}).
   */
  private final FalseAlarmCalibration calibration;

  /**
   * Whether this unit runs the calibration: a unit restored from a state written without it keeps
   * deciding by the fixed floor until its session ends.
   */
  private boolean calibrationOn;

  // the flipped windows' accumulators, same ring as the others (empty without calibration)
  private final double[] flippedSumInterior;
  private final double[] flippedSumEdge;
  private final int[] flippedCountInterior;
  private final int[] flippedCountEdge;

  /** Frames either side of a candidate where flipped candidates are not noise (its side lobes). */
  private final int exclusion;

  /** The last 2 exclusion + 1 decided samples: flipped statistic (NaN: none) and candidate flag. */
  private final double[] recentFlipped;

  private final boolean[] recentCandidate;

  /** The probability threshold's log-odds. */
  private final double thresholdLogOdds;

  // windows cut but not yet inferred
  private float[] pending = new float[0];
  private long[] pendingStarts = new long[0];

  /** Whether each pending window is the sign-flipped copy of the one before it. */
  private boolean[] pendingFlipped = new boolean[0];

  private int pendingCount;
  private float[] probs = new float[0];

  private long segmentStart;
  private long framesEnd;
  private boolean inSegment;
  private long nextWindowStart;
  private long finalizedUpTo;

  /**
   * A window whose first decisions could not pass the height floor, kept back until its last ones
   * are known (-1: none): see {@link #cutWindow}. Not stored: a snapshot writes it as pending.
   */
  private long deferredStart = -1;

  /**
   * Whether the kept-back window goes to the model sign-flipped too, as decided when it was cut.
   */
  private boolean deferredFlipped;

  /**
   * The first sample not to decide while the kept-back window may still run (no limit: {@link
   * Long#MAX_VALUE}): at an operating point a window can be kept back for samples it decides first,
   * which then wait for it.
   */
  private long finalizeHold = Long.MAX_VALUE;

  /** While the extractor flushes: windows cut then count at every undecided sample. */
  private boolean flushing;

  /** Off in tests that compare against running every window. */
  boolean skipIdleWindows = true;

  private long windowsCut;
  private long windowsSkipped;

  private SpikeSink current;

  public UNetDetector(DetectorOptions options, WindowModel model) {
    UNetOptions u = options.unet();
    if (options.peakSign() == PeakSign.BOTH) {
      throw new IllegalArgumentException(
          "the unet detector needs one polarity; valid peak_sign values for it: pos, neg");
    }
    if (model.channels() != FEATURES && model.channels() != FEATURES + 1) {
      throw new IllegalArgumentException(
          "the model takes "
              + model.channels()
              + " channels; the detector makes 5 (the features) or 6 (and the whitened channel)");
    }
    this.channels = model.channels();
    this.whitenedChannel = channels == FEATURES + 1;
    double fs = options.features().sampleRateHz();
    this.model = model;
    this.features = new FeatureExtractor(options.features());
    if (!options.features().hash(whitenedChannel).equals(model.featureHash())) {
      throw new IllegalArgumentException(
          "model feature hash "
              + model.featureHash()
              + " does not match this extractor's "
              + options.features().hash(whitenedChannel)
              + " (sample rate "
              + fs
              + " Hz); the model was trained with "
              + model.sampleRateHz()
              + " Hz features");
    }
    this.sign = options.peakSign().factor();
    this.window = model.windowSamples();
    this.stride = samples(u.strideMs(), fs);
    this.phase = Math.floorMod(-(window + features.delaySamples()), stride);
    this.edge = Math.min(samples(u.edgeMs(), fs), (window - 1) / 2);
    int shadow = Math.max(1, samples(u.shadowMs(), fs));
    this.picker = new PeakPicker(shadow);
    if (Double.isInfinite(u.lookaheadMs())) {
      this.windowLookahead = window - 1;
    } else {
      int total = samples(u.lookaheadMs(), fs);
      int lw = total - features.delaySamples() - shadow;
      if (lw < stride - 1) {
        throw new IllegalArgumentException(
            String.format(
                java.util.Locale.ROOT,
                "lookahead_ms %.1f is too short: with stride_ms %.1f it must be at least %.1f ms"
                    + " (feature delay %d + shadow %d + stride - 1 samples)",
                u.lookaheadMs(),
                u.strideMs(),
                (features.delaySamples() + shadow + stride - 1) * 1000.0 / fs,
                features.delaySamples(),
                shadow));
      }
      this.windowLookahead = Math.min(lw, window - 1);
    }
    this.finalizeLag = Math.min(window - 1, windowLookahead);
    this.threshold =
        u.usesModelThreshold() ? model.probabilityThreshold() : u.probabilityThreshold();
    this.batchSize = u.batchSize();
    this.frameCap = window + stride;
    this.frames = new float[channels * frameCap];
    this.oscillationTroughRatio = u.oscillationTroughRatio();
    this.oscillationWidth = samples(OSCILLATION_WIDTH_MS, fs);
    this.oscillationLookback = samples(OSCILLATION_LOOKBACK_MS, fs);
    this.oscillationPeak = samples(OSCILLATION_PEAK_MS, fs);
    // decided samples the veto still reads: a spike is judged a dead time after it is decided
    this.oscillationHistory =
        oscillationTroughRatio > 0 ? shadow + oscillationPeak + oscillationLookback : 0;
    this.accCap = 2 * (window + stride) + oscillationHistory;
    this.imputed = new boolean[accCap];
    this.sumInterior = new double[accCap];
    this.sumEdge = new double[accCap];
    this.countInterior = new int[accCap];
    this.countEdge = new int[accCap];
    this.heightSd = new float[accCap];
    this.evidenceSd = new float[accCap];
    this.minEvidenceSd = u.minEvidenceSd();
    this.evidence =
        minEvidenceSd > 0 || whitenedChannel
            ? new WhitenedEvidence(options.features().sampleRateHz(), 0)
            : null;
    this.evidenceOn = evidence != null;
    this.minHeightSd = u.minHeightSd();
    // sample u is decided once the window ending finalizeLag - stride + 1 after it is in
    this.guaranteedAhead = Math.max(0, finalizeLag - stride + 1);
    this.thresholdLogOdds = Math.log(threshold / (1 - threshold));
    OperatingPoint point = options.operatingPoint().or(OperatingPoint.BALANCED);
    this.calibration =
        point == OperatingPoint.FIXED
            ? null
            : new FalseAlarmCalibration(
                point.falsePositivesPerS(),
                fs,
                LOG_ODDS_ORIGIN,
                LOG_ODDS_ORIGIN,
                CALIBRATION_WARMUP_S,
                CALIBRATION_MEMORY_S,
                shadow);
    this.calibrationOn = calibration != null;
    int flippedCap = calibrationOn ? accCap : 0;
    this.flippedSumInterior = new double[flippedCap];
    this.flippedSumEdge = new double[flippedCap];
    this.flippedCountInterior = new int[flippedCap];
    this.flippedCountEdge = new int[flippedCap];
    this.exclusion = (int) Math.max(2, Math.round(EXCLUSION_MS * fs / 1000.0));
    this.recentFlipped = new double[calibrationOn ? 2 * exclusion + 1 : 0];
    this.recentCandidate = new boolean[recentFlipped.length];
    Arrays.fill(recentFlipped, Double.NaN);
  }

  /** Where the calibration's scale puts the probability threshold: its lowest level. */
  static final double LOG_ODDS_ORIGIN = FalseAlarmCalibration.LOWEST;

  /**
   * Seconds of a neuron's noise before its calibrated bar replaces the model's threshold: shorter
   * than {@code matched}'s 10 s, because this bar only ever rises, so an early overestimate costs a
   * few spikes and never invents one.
   */
  public static final double CALIBRATION_WARMUP_S = 3;

  /** Time constant of the calibration's memory, seconds. */
  public static final double CALIBRATION_MEMORY_S = 30;

  /** Flipped candidates this close to a candidate are its side lobes, not noise. */
  static final double EXCLUSION_MS = 5;

  /**
   * The averaged probability a candidate needs: the threshold, or, at an operating point, the
   * higher one this neuron's calibration asks for.
   */
  public double probabilityThreshold() {
    if (!calibrationOn) {
      return threshold;
    }
    double z = calibration.threshold() - LOG_ODDS_ORIGIN + thresholdLogOdds;
    return 1 / (1 + Math.exp(-z));
  }

  private static int samples(double ms, double fs) {
    return (int) Math.round(ms * fs / 1000.0);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long nextSampleIndex() {
    return features.nextSampleIndex();
  }

  @Override
  public long clampedSamples() {
    return features.clampedSamples();
  }

  @Override
  public int decisionLatencySamples() {
    return features.delaySamples() + windowLookahead + picker.delaySamples();
  }

  @Override
  public WindowModel model() {
    return model;
  }

  // ---------------------------------------------------------------- synchronous use

  @Override
  public void push(float[] samples, int offset, int length, SpikeSink sink) {
    current = sink;
    for (int i = 0; i < length; i++) {
      features.push(sign * samples[offset + i], this::onFrame);
      if (pendingCount >= batchSize) {
        runPending(sink);
      }
    }
    runPending(sink);
  }

  @Override
  public void pushGap(long count, SpikeSink sink) {
    undefer();
    runPending(sink);
    current = sink;
    features.pushGap(count, this::onFrame);
    runPending(sink);
  }

  @Override
  public void flush(SpikeSink sink) {
    undefer();
    runPending(sink);
    current = sink;
    flushing = true;
    try {
      features.flush(this::onFrame);
    } finally {
      flushing = false;
    }
    finishSegment(sink);
  }

  /** Runs the model on every pending window, in batches, and applies the results. */
  public void runPending(SpikeSink sink) {
    while (pendingCount > 0) {
      int n = Math.min(batchSize, pendingCount);
      if (n < pendingCount && pendingFlipped[n]) {
        n++; // a window and its flipped copy go in the same call
      }
      ensureProbs(n);
      model.predict(pending, n, probs);
      applyFirst(n, probs, 0, sink);
    }
  }

  // ---------------------------------------------------------------- batched (stream) use

  /** Feeds samples without running the model: complete windows accumulate as pending. */
  @Override
  public void cut(float[] samples, int offset, int length, SpikeSink sink) {
    current = sink;
    for (int i = 0; i < length; i++) {
      features.push(sign * samples[offset + i], this::onFrame);
    }
  }

  @Override
  public int pendingWindows() {
    return pendingCount;
  }

  /** Copies pending window {@code i}'s features (channels first) into {@code dst}. */
  @Override
  public void copyPending(int i, float[] dst, int dstOffset) {
    System.arraycopy(pending, i * channels * window, dst, dstOffset, channels * window);
  }

  /** Applies the probabilities of every pending window (in pending order) and clears them. */
  @Override
  public void applyPending(float[] probabilities, int offset, SpikeSink sink) {
    applyFirst(pendingCount, probabilities, offset, sink);
  }

  // ---------------------------------------------------------------- internals

  private void onFrame(long index, float[] frame, boolean imp) {
    if (!inSegment || index != framesEnd) {
      if (inSegment) {
        undefer();
        runPending(current);
        finishSegment(current);
      }
      startSegment(index);
    }
    if (index - finalizedUpTo >= accCap - oscillationHistory - 1 && pendingCount > 0) {
      runPending(current); // keep the accumulator ring from overrunning undecided samples
    }
    int fi = (int) Math.floorMod(index, (long) frameCap);
    for (int c = 0; c < FEATURES; c++) {
      frames[c * frameCap + fi] = frame[c];
    }
    int ai = (int) Math.floorMod(index, (long) accCap);
    imputed[ai] = imp;
    if (!imp) {
      highPassScale.push(frame[HIGHPASS]);
    }
    heightSd[ai] = (float) (frame[HIGHPASS] / highPassScale.sd());
    evidenceSd[ai] = Float.NEGATIVE_INFINITY; // known once the template's last frame is in
    if (evidenceOn) {
      double z = evidence.push(index, frame[0], imp);
      if (!Double.isNaN(z)) {
        evidenceSd[(int) Math.floorMod(index - evidence.delayFrames(), (long) accCap)] = (float) z;
      }
      if (whitenedChannel) {
        frames[FEATURES * frameCap + fi] = evidence.lastWhitened();
      }
    }
    sumInterior[ai] = 0;
    sumEdge[ai] = 0;
    countInterior[ai] = 0;
    countEdge[ai] = 0;
    if (calibrationOn) {
      flippedSumInterior[ai] = 0;
      flippedSumEdge[ai] = 0;
      flippedCountInterior[ai] = 0;
      flippedCountEdge[ai] = 0;
    }
    framesEnd = index + 1;
    if (framesEnd - nextWindowStart == window) {
      long start = nextWindowStart;
      nextWindowStart = startAfter(start);
      cutWindow(start);
    }
  }

  /**
   * A complete window: to the model, or not at all where no decision it takes part in could change.
   *
   * <p>At the fixed rule a sample below the height floor (and its evidence exception) is never a
   * spike, whatever its probability, and never keeps a neighbour from being one (its value stays
   * below the threshold). So a window only matters through the undecided samples it reaches (those
   * within the lookahead of its end) that could pass the floor; where none can, the model is not
   * run for it, and the samples it would have decided first are decided now. The floor's inputs of
   * the window's last few samples are not known yet when it is cut (the evidence comes 3 ms after
   * its sample); if those are all that could still pass, the window waits for the next one's cut,
   * which the same samples wait for anyway, and then goes to the model just before it (so sums add
   * up in the same order) or not at all. Every decision is therefore exactly the one with every
   * window run (tested), and on most neurons most windows are not run.
   *
   * <p>At an operating point the calibration also reads, for each flipped candidate it could count,
   * whether the real probability proposed a spike within {@code exclusion} samples of it, floor or
   * not. A flipped candidate needs the flipped floor (sign-flipped height or evidence) to pass, so
   * a window is also run where a sample within {@code exclusion} of those it reaches could pass
   * that; whether its flipped copy is sent is decided when it is cut, as when every window runs.
   */
  private void cutWindow(long start) {
    windowsCut++;
    if (deferredStart >= 0) {
      long d = deferredStart;
      deferredStart = -1;
      finalizeHold = Long.MAX_VALUE;
      if (skipStatus(influencedFrom(d), d + window - 1) == FLOOR_FAILS) {
        windowsSkipped++;
      } else {
        addPending(d, false, deferredFlipped);
      }
    }
    if (!skipIdleWindows || minHeightSd <= 0 || flushing) {
      addPending(start, false, flippedNeeded(start));
      return;
    }
    long end = start + window - 1;
    // samples below this are decided before the next window is in
    long decidedFirst = startAfter(start) + window - 1 - finalizeLag;
    long from = influencedFrom(start);
    int first = floorStatus(from, Math.min(end, decidedFirst - 1), 1);
    // at an operating point: whether the calibration could read those samples' candidate flags
    int firstFlipped =
        calibrationOn && first == FLOOR_FAILS
            ? flippedStatus(from, Math.min(end, decidedFirst - 1))
            : FLOOR_FAILS;
    int last = skipStatus(Math.max(from, decidedFirst), end);
    if (first != FLOOR_FAILS || firstFlipped == FLOOR_MAY_PASS || last == FLOOR_MAY_PASS) {
      addPending(start, false, flippedNeeded(start));
      return;
    }
    if (last == FLOOR_UNKNOWN || firstFlipped == FLOOR_UNKNOWN) {
      deferredStart = start;
      deferredFlipped = flippedNeeded(start); // as at its cut, whenever it runs
      if (firstFlipped == FLOOR_UNKNOWN) {
        // those of its first samples whose flags a not yet judged flipped floor could read wait
        finalizeHold = Math.max(from, firstUnjudged() - exclusion);
      }
    } else {
      windowsSkipped++;
    }
    if (pendingCount == 0) {
      finalizeUpTo(Math.min(framesEnd, decidedFirst), current);
    } // else the last pending window decides them (applyFirst)
  }

  /** Adds a kept-back window to the pending ones, needed or not (a gap or the end comes). */
  private void undefer() {
    finalizeHold = Long.MAX_VALUE;
    if (deferredStart >= 0) {
      addPending(deferredStart, false, deferredFlipped);
      deferredStart = -1;
    }
  }

  /** The first sample a window starting at {@code start} could still add its probability to. */
  private long influencedFrom(long start) {
    return Math.max(
        Math.max(segmentStart, finalizedUpTo),
        Math.max(start, start + window - 1 - windowLookahead));
  }

  /**
   * Whether a decision about the samples from {@code from} to {@code to} could depend on the
   * network: the worse of {@link #floorStatus} for them and, with a calibration, of the flipped
   * floor for every sample within {@code exclusion} of them (the calibration reads their candidate
   * flags there).
   */
  private int skipStatus(long from, long to) {
    int real = floorStatus(from, to, 1);
    if (!calibrationOn || real == FLOOR_MAY_PASS) {
      return real;
    }
    return Math.max(real, flippedStatus(from, to));
  }

  /**
   * The first sample whose floor {@link #floorStatus} cannot judge yet: one of the values it reads
   * (the height, or the evidence where the exception applies, up to a sample ahead) is not known.
   */
  private long firstUnjudged() {
    long heightKnown = framesEnd - 1;
    long first = heightKnown - Math.min(1, guaranteedAhead) + 1;
    if (evidenceOn && minEvidenceSd > 0) {
      int delay = evidence.delayFrames();
      first = Math.min(first, heightKnown - delay - Math.min(1, guaranteedAhead - delay) + 1);
    }
    return first;
  }

  /** {@link #floorStatus} of the flipped floor within {@code exclusion} of the samples given. */
  private int flippedStatus(long from, long to) {
    return floorStatus(Math.max(segmentStart, from - exclusion), to + exclusion, -1);
  }

  private static final int FLOOR_FAILS = 0;
  private static final int FLOOR_UNKNOWN = 1;
  private static final int FLOOR_MAY_PASS = 2;

  /**
   * Whether any sample from {@code from} to {@code to} may pass the height floor or its evidence
   * exception, as {@link #belowFloor} will read them ({@link #height}, {@link #evidence}: the
   * sample and its neighbours up to the guaranteed look-ahead); {@link #FLOOR_UNKNOWN} where none
   * can by what is known so far but a value it reads is not known yet. NaN heights may pass. With
   * {@code sign} -1 the same for the sign-flipped height and evidence (the flipped floor: a
   * superset of what the calibration's reading passes).
   */
  private int floorStatus(long from, long to, int sign) {
    boolean evidenceFloor = evidenceOn && minEvidenceSd > 0;
    long heightKnown = framesEnd - 1;
    int heightAhead = Math.min(1, guaranteedAhead);
    // the evidence of a sample is known delayFrames after it (read only with the exception on)
    int delay = evidenceFloor ? evidence.delayFrames() : 0;
    long evidenceKnown = heightKnown - delay;
    int evidenceAhead = Math.min(1, guaranteedAhead - delay);
    int status = FLOOR_FAILS;
    for (long u = from; u <= to; u++) {
      long lo = Math.max(segmentStart, u - 1);
      for (long v = lo; v <= u + heightAhead; v++) {
        if (v > heightKnown) {
          status = FLOOR_UNKNOWN;
        } else if (!(sign * heightSd[(int) Math.floorMod(v, (long) accCap)] < minHeightSd)) {
          return FLOOR_MAY_PASS;
        }
      }
      if (evidenceFloor) {
        for (long v = lo; v <= u + evidenceAhead; v++) {
          if (v > evidenceKnown) {
            status = FLOOR_UNKNOWN;
          } else if (sign * evidenceSd[(int) Math.floorMod(v, (long) accCap)] >= minEvidenceSd) {
            return FLOOR_MAY_PASS;
          }
        }
      }
    }
    return status;
  }

  /** Windows cut so far, and those of them the model was not run for ({@link #cutWindow}). */
  public long windowsCut() {
    return windowsCut;
  }

  public long windowsSkipped() {
    return windowsSkipped;
  }

  /** The operating point's calibration as a snapshot stores it (null at the fixed rule). */
  CalibrationState calibrationState() {
    return calibrationOn ? calibration.state() : null;
  }

  /** The start of the window after the one starting at {@code start} (see window placement). */
  private long startAfter(long start) {
    if (start != segmentStart) {
      return start + stride;
    }
    return start + 1 + Math.floorMod(phase - (start + 1), (long) stride);
  }

  /** The start of the window before the one starting at {@code start}. */
  private long startBefore(long start) {
    return start == startAfter(segmentStart) ? segmentStart : start - stride;
  }

  private void startSegment(long index) {
    inSegment = true;
    segmentStart = index;
    framesEnd = index;
    nextWindowStart = index;
    finalizedUpTo = index;
    picker.reset(index);
  }

  /** Covers the tail with a last window, decides every remaining sample, flushes shadowing. */
  private void finishSegment(SpikeSink sink) {
    if (!inSegment) {
      return;
    }
    long lastCut = startBefore(nextWindowStart) + window - 1;
    boolean covered = nextWindowStart > segmentStart && lastCut >= framesEnd - 1;
    if (!covered && framesEnd > segmentStart) {
      long start = Math.max(segmentStart, framesEnd - window);
      addPending(start, true, true);
      ensureProbs(pendingCount);
      model.predict(pending, pendingCount, probs);
      for (int w = 0; w < pendingCount; w++) {
        accumulate(pendingStarts[w], probs, w * window, true, pendingFlipped[w]);
      }
      pendingCount = 0;
    }
    finalizeUpTo(framesEnd, sink);
    picker.flush(vetoed(sink));
    inSegment = false;
    if (calibrationOn) {
      Arrays.fill(recentFlipped, Double.NaN);
      Arrays.fill(recentCandidate, false);
    }
  }

  /** Queues a window for the model, and its sign-flipped copy when {@code flipped}. */
  private void addPending(long start, boolean padded, boolean flipped) {
    int need = (pendingCount + 2) * channels * window;
    if (pending.length < need) {
      pending = Arrays.copyOf(pending, Math.max(need, 2 * pending.length));
      int n = Math.max(pendingCount + 2, 2 * pendingStarts.length);
      pendingStarts = Arrays.copyOf(pendingStarts, n);
      pendingFlipped = Arrays.copyOf(pendingFlipped, n);
    }
    int base = pendingCount * channels * window;
    copyWindow(start, pending, base);
    pendingFlipped[pendingCount] = false;
    pendingStarts[pendingCount++] = start;
    if (calibrationOn && (padded || flipped)) {
      // the same window sign-flipped: what the network says of noise alone
      int size = channels * window;
      for (int i = 0; i < size; i++) {
        pending[base + size + i] = -pending[base + i];
      }
      pendingFlipped[pendingCount] = true;
      pendingStarts[pendingCount++] = start;
    }
  }

  /**
   * Copies the window starting at {@code start} (channels first) from the frame ring into {@code
   * dst}; past the last frame (a padded window) it repeats the last one.
   */
  private void copyWindow(long start, float[] dst, int base) {
    long last = framesEnd - 1;
    // frames start..last are in the ring
    int valid = (int) Math.max(0, Math.min(window, last - start + 1));
    int from = (int) Math.floorMod(start, (long) frameCap);
    int firstRun = Math.min(valid, frameCap - from);
    int lastAt = (int) Math.floorMod(last, (long) frameCap);
    for (int c = 0; c < channels; c++) {
      int src = c * frameCap;
      int at = base + c * window;
      System.arraycopy(frames, src + from, dst, at, firstRun);
      if (valid > firstRun) {
        System.arraycopy(frames, src, dst, at + firstRun, valid - firstRun);
      }
      if (valid < window) {
        Arrays.fill(dst, at + valid, at + window, frames[src + lastAt]);
      }
    }
  }

  /**
   * Whether a flipped candidate could pass the height floor among the samples this window decides
   * (those within the lookahead of its end, and their neighbours): the sign-flipped high-pass
   * height, or the flipped whitened evidence known so far, reaches the floor somewhere there. A
   * window where neither does is not sent flipped: its flipped probabilities could not make a false
   * alarm the calibration counts (save at its last few samples, whose evidence is not yet known;
   * the next window decides them). On most neurons that leaves out most flipped windows.
   */
  private boolean flippedMayPass(long start) {
    if (minHeightSd <= 0) {
      return true; // without the floor every flipped candidate counts
    }
    long end = start + window - 1;
    long from = Math.max(segmentStart, Math.max(start, end - windowLookahead) - 1);
    long to = Math.min(framesEnd - 1, end + 1);
    boolean evidenceFloor = evidenceOn && minEvidenceSd > 0;
    for (long v = from; v <= to; v++) {
      int i = (int) Math.floorMod(v, (long) accCap);
      float e = evidenceSd[i]; // negative infinity: not known yet
      if (-heightSd[i] >= minHeightSd
          || (evidenceFloor && Float.isFinite(e) && -e >= minEvidenceSd)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a window cut now goes to the model sign-flipped too: only with a calibration. */
  private boolean flippedNeeded(long start) {
    return calibrationOn && flippedMayPass(start);
  }

  private void ensureProbs(int n) {
    if (probs.length < n * window) {
      probs = new float[Math.max(n, batchSize) * window];
    }
  }

  private void applyFirst(int n, float[] p, int offset, SpikeSink sink) {
    for (int w = 0; w < n; w++) {
      long start = pendingStarts[w];
      accumulate(start, p, offset + w * window, false, pendingFlipped[w]);
      if (w + 1 >= n || !pendingFlipped[w + 1]) {
        // decided: every sample that the next window to run (ending at nextEnd) will not reach;
        // windows between this one and it were not run (cutWindow)
        long next = w + 1 < pendingCount ? pendingStarts[w + 1] : nextWindowStart;
        long nextEnd = next + window - 1;
        finalizeUpTo(Math.min(framesEnd, nextEnd - finalizeLag), sink);
      }
    }
    int left = pendingCount - n;
    if (left > 0) {
      System.arraycopy(pending, n * channels * window, pending, 0, left * channels * window);
      System.arraycopy(pendingStarts, n, pendingStarts, 0, left);
      System.arraycopy(pendingFlipped, n, pendingFlipped, 0, left);
    }
    pendingCount = left;
  }

  private void accumulate(long start, float[] p, int offset, boolean endOfData, boolean flipped) {
    double[] sumInterior = flipped ? flippedSumInterior : this.sumInterior;
    double[] sumEdge = flipped ? flippedSumEdge : this.sumEdge;
    int[] countInterior = flipped ? flippedCountInterior : this.countInterior;
    int[] countEdge = flipped ? flippedCountEdge : this.countEdge;
    long end = start + window - 1;
    for (int i = 0; i < window; i++) {
      long u = start + i;
      if (u < finalizedUpTo || u >= framesEnd) {
        continue;
      }
      if (!endOfData && end > u + windowLookahead) {
        continue;
      }
      int ai = (int) Math.floorMod(u, (long) accCap);
      if (i >= edge && i < window - edge) {
        sumInterior[ai] += p[offset + i];
        countInterior[ai]++;
      } else {
        sumEdge[ai] += p[offset + i];
        countEdge[ai]++;
      }
    }
  }

  private void finalizeUpTo(long limit, SpikeSink sink) {
    limit = Math.min(limit, finalizeHold);
    while (finalizedUpTo < limit) {
      long u = finalizedUpTo++;
      int ai = (int) Math.floorMod(u, (long) accCap);
      double prob = average(ai, sumInterior, countInterior, sumEdge, countEdge);
      boolean candidate = prob >= threshold;
      if (candidate && belowFloor(height(u), evidence(u))) {
        prob = 0; // not above this neuron's own noise
      }
      if (calibrationOn) {
        // the operating point's bar on the network's confidence, from the flipped windows
        if (prob >= threshold && logOdds(prob) < calibration.threshold()) {
          prob = 0;
        }
        double flipped =
            average(ai, flippedSumInterior, flippedCountInterior, flippedSumEdge, flippedCountEdge);
        calibrate(
            candidate,
            flipped >= threshold
                    && !belowFloor(
                        -smallestNear(heightSd, u, heightHorizon(u)),
                        -smallestNear(evidenceSd, u, evidenceHorizon(u)))
                ? logOdds(flipped)
                : Double.NEGATIVE_INFINITY);
      }
      picker.push(prob, threshold, vetoed(sink));
    }
  }

  /**
   * The sink behind the picker: the oscillation veto judges each spike the shadowing chose (a whole
   * event, never a sample of it: dropping samples would split an event in two), after the
   * calibration, which counts the rule without the veto.
   */
  private SpikeSink vetoed(SpikeSink sink) {
    if (oscillationTroughRatio <= 0) {
      return sink;
    }
    if (sink != vetoFor) {
      vetoFor = sink;
      veto =
          (s, score) -> {
            if (!oscillationCrest(s)) {
              sink.onSpike(s, score);
            }
          };
    }
    return veto;
  }

  /**
   * The oscillation veto: whether the high-pass peak near u is broad and follows a trough of {@code
   * oscillationTroughRatio} of its height. Heights past the guaranteed look-ahead count as zero, so
   * that the decision does not depend on how the samples arrived.
   */
  private boolean oscillationCrest(long u) {
    // the picker decides u once u + its dead time is decided
    long known = heightHorizon(u + picker.delaySamples());
    long peak = u;
    double h = heightAt(u, known);
    for (long v = u - oscillationPeak; v <= u + oscillationPeak; v++) {
      double x = heightAt(v, known);
      if (x > h) {
        h = x;
        peak = v;
      }
    }
    if (!(h > 0)) {
      return false;
    }
    double flank =
        Math.max(
            heightAt(peak - oscillationWidth, known), heightAt(peak + oscillationWidth, known));
    if (flank < OSCILLATION_WIDTH_RATIO * h) {
      return false; // narrow: a spike
    }
    double trough = 0;
    for (long v = peak - oscillationLookback; v <= peak - 2; v++) {
      trough = Math.max(trough, -heightAt(v, known));
    }
    return trough >= oscillationTroughRatio * h;
  }

  /**
   * The high-pass height of sample v (robust sd), 0 before the segment or past {@code known} (a
   * {@link #heightHorizon}).
   */
  private double heightAt(long v, long known) {
    if (v < segmentStart || v > known) {
      return 0;
    }
    float x = heightSd[(int) Math.floorMod(v, (long) accCap)];
    return Float.isFinite(x) ? x : 0;
  }

  /**
   * A probability on the calibration's scale: its log-odds above the threshold's, from {@link
   * #LOG_ODDS_ORIGIN} (the threshold itself) up.
   */
  private double logOdds(double p) {
    double q = Math.min(p, 1 - 1e-9);
    return LOG_ODDS_ORIGIN + Math.log(q / (1 - q)) - thresholdLogOdds;
  }

  /** The averaged probability of a sample from one set of accumulators (0 where imputed). */
  private double average(int ai, double[] sumI, int[] countI, double[] sumE, int[] countE) {
    if (imputed[ai]) {
      return 0;
    } else if (countI[ai] > 0) {
      return sumI[ai] / countI[ai];
    } else if (countE[ai] > 0) {
      return sumE[ai] / countE[ai];
    }
    return 0;
  }

  /**
   * The height floor: a candidate whose high-pass height stays below min_height_sd, and whose
   * whitened evidence does not reach min_evidence_sd, is not above this neuron's own noise.
   */
  private boolean belowFloor(double height, double evidence) {
    return minHeightSd > 0
        && height < minHeightSd
        && !(evidenceOn && minEvidenceSd > 0 && evidence >= minEvidenceSd);
  }

  /**
   * Shows the calibration the flipped statistic of the sample {@code exclusion} samples back, or
   * nothing there when the network proposed a spike within {@code exclusion} samples of it (a
   * spike's side lobes are not noise).
   */
  private void calibrate(boolean candidate, double flipped) {
    int last = recentFlipped.length - 1;
    System.arraycopy(recentFlipped, 1, recentFlipped, 0, last);
    System.arraycopy(recentCandidate, 1, recentCandidate, 0, last);
    recentFlipped[last] = flipped;
    recentCandidate[last] = candidate;
    double centre = recentFlipped[exclusion];
    if (Double.isNaN(centre)) {
      return;
    }
    boolean nearSpike = false;
    for (boolean c : recentCandidate) {
      nearSpike |= c;
    }
    calibration.observe(nearSpike || !Double.isFinite(centre) ? Double.NEGATIVE_INFINITY : centre);
  }

  /**
   * The last sample whose height every chunking has delivered when u is decided: what a decision
   * may read, so that it does not depend on how the samples arrived.
   */
  private long heightHorizon(long u) {
    return Math.min(framesEnd - 1, u + guaranteedAhead);
  }

  /** The same for the whitened evidence, known {@code delayFrames} after its sample. */
  private long evidenceHorizon(long u) {
    return evidenceOn ? heightHorizon(u) - evidence.delayFrames() : heightHorizon(u);
  }

  /**
   * The smallest finite value of {@code values} within a sample of u, up to {@code horizon}
   * (+infinity: none).
   */
  private double smallestNear(float[] values, long u, long horizon) {
    double h = Double.POSITIVE_INFINITY;
    for (long v = Math.max(segmentStart, u - 1); v <= Math.min(horizon, u + 1); v++) {
      float x = values[(int) Math.floorMod(v, (long) accCap)];
      if (Float.isFinite(x)) {
        h = Math.min(h, x);
      }
    }
    return h;
  }

  /** The largest high-pass height (robust sd units) within a sample of {@code u}. */
  private double height(long u) {
    return largestNear(heightSd, u, heightHorizon(u));
  }

  /** The largest whitened evidence (robust sd) within a sample of {@code u}. */
  private double evidence(long u) {
    return largestNear(evidenceSd, u, evidenceHorizon(u));
  }

  /**
   * The largest of {@code values} (per sample, on the accumulator ring) within a sample of u, up to
   * {@code horizon}.
   */
  private double largestNear(float[] values, long u, long horizon) {
    double h = Double.NEGATIVE_INFINITY;
    for (long v = Math.max(segmentStart, u - 1); v <= Math.min(horizon, u + 1); v++) {
      h = Math.max(h, values[(int) Math.floorMod(v, (long) accCap)]);
    }
    return h;
  }

  // ---------------------------------------------------------------- state

  /** The codec of {@link UNetState}, this detector's durable state. */
  public static final StateCodec<UNetState> STATE =
      new StateCodec<>(UNetState.getClassSchema(), "UNetState");

  @Override
  public byte[] snapshot() {
    // only undecided samples carry accumulator state, and the one before them (the height floor
    // looks a sample back)
    long from = Math.max(segmentStart, finalizedUpTo - 1);
    int span = (int) Math.max(0, framesEnd - from);
    // the oscillation veto looks back from undecided samples into decided ones
    long historyFrom = Math.max(segmentStart, Math.min(from, finalizedUpTo - oscillationHistory));
    List<Float> history = new ArrayList<>((int) Math.max(0, from - historyFrom));
    for (long u = historyFrom; u < from; u++) {
      history.add(heightSd[(int) Math.floorMod(u, (long) accCap)]);
    }
    List<Boolean> imp = new ArrayList<>(span);
    List<Double> sumI = new ArrayList<>(span);
    List<Double> sumE = new ArrayList<>(span);
    List<Integer> countI = new ArrayList<>(span);
    List<Integer> countE = new ArrayList<>(span);
    List<Float> height = new ArrayList<>(span);
    List<Float> evid = new ArrayList<>(evidenceOn ? span : 0);
    int fspan = calibrationOn ? span : 0;
    List<Double> fSumI = new ArrayList<>(fspan);
    List<Double> fSumE = new ArrayList<>(fspan);
    List<Integer> fCountI = new ArrayList<>(fspan);
    List<Integer> fCountE = new ArrayList<>(fspan);
    for (long u = from; u < framesEnd; u++) {
      int i = (int) Math.floorMod(u, (long) accCap);
      imp.add(imputed[i]);
      sumI.add(sumInterior[i]);
      sumE.add(sumEdge[i]);
      countI.add(countInterior[i]);
      countE.add(countEdge[i]);
      height.add(heightSd[i]);
      if (evidenceOn) {
        evid.add(evidenceSd[i]);
      }
      if (calibrationOn) {
        fSumI.add(flippedSumInterior[i]);
        fSumE.add(flippedSumEdge[i]);
        fCountI.add(flippedCountInterior[i]);
        fCountE.add(flippedCountEdge[i]);
      }
    }
    // the windows as cut; a flipped copy is the same window negated, made again on restore
    int size = channels * window;
    int held = deferredStart >= 0 ? 1 : 0;
    List<Long> starts = new ArrayList<>(pendingCount + held);
    List<Boolean> withFlipped = new ArrayList<>(pendingCount + held);
    float[] cut = new float[(pendingCount + held) * size];
    for (int i = 0; i < pendingCount; i++) {
      if (pendingFlipped[i]) {
        withFlipped.set(withFlipped.size() - 1, true);
        continue;
      }
      System.arraycopy(pending, i * size, cut, starts.size() * size, size);
      starts.add(pendingStarts[i]);
      withFlipped.add(false);
    }
    if (deferredStart >= 0) {
      // a kept-back window is stored as pending: run when restored, needed or not (cutWindow)
      copyWindow(deferredStart, cut, starts.size() * size);
      starts.add(deferredStart);
      withFlipped.add(deferredFlipped);
    }
    return STATE.encode(
        UNetState.newBuilder()
            .setFeatures(features.state())
            .setInSegment(inSegment)
            .setSegmentStart(segmentStart)
            .setFramesEnd(framesEnd)
            .setNextWindowStart(nextWindowStart)
            .setFinalizedUpTo(finalizedUpTo)
            .setFrames(StateArrays.floats(frames))
            .setHighPassScale(highPassScale.state())
            .setAccumulatorsFrom(from)
            .setImputed(imp)
            .setSumInterior(sumI)
            .setSumEdge(sumE)
            .setCountInterior(countI)
            .setCountEdge(countE)
            .setHeightSd(height)
            .setHeightHistory(history)
            .setPicker(picker.state())
            .setPendingStarts(starts)
            .setPending(StateArrays.floats(cut, 0, starts.size() * size))
            .setPendingFlipped(calibrationOn ? withFlipped : List.<Boolean>of())
            .setEvidence(evidenceOn ? evidence.state() : null)
            .setEvidenceSd(evid)
            .setCalibration(calibrationOn ? calibration.state() : null)
            .setFlippedSumInterior(fSumI)
            .setFlippedSumEdge(fSumE)
            .setFlippedCountInterior(fCountI)
            .setFlippedCountEdge(fCountE)
            .setRecentFlipped(
                calibrationOn ? StateArrays.doubles(recentFlipped) : List.<Double>of())
            .setRecentCandidate(
                calibrationOn ? StateArrays.booleans(recentCandidate) : List.<Boolean>of())
            .build());
  }

  @Override
  public void restore(byte[] state) {
    UNetState s = STATE.decode(state);
    features.restore(s.getFeatures());
    inSegment = s.getInSegment();
    segmentStart = s.getSegmentStart();
    framesEnd = s.getFramesEnd();
    nextWindowStart = s.getNextWindowStart();
    finalizedUpTo = s.getFinalizedUpTo();
    StateArrays.fill(s.getFrames(), frames, "unet frame ring");
    highPassScale.state(s.getHighPassScale());
    Arrays.fill(imputed, false);
    Arrays.fill(sumInterior, 0);
    Arrays.fill(sumEdge, 0);
    Arrays.fill(countInterior, 0);
    Arrays.fill(countEdge, 0);
    Arrays.fill(heightSd, 0f);
    Arrays.fill(evidenceSd, Float.NEGATIVE_INFINITY);
    boolean storedEvidence = s.getEvidence() != null && evidence != null;
    if (whitenedChannel && !storedEvidence) {
      throw new io.voltspike.io.StateFormatException(
          "the stored unet state has no noise whitener, which this model's whitened channel needs");
    }
    evidenceOn = storedEvidence;
    boolean storedCalibration = s.getCalibration() != null;
    if (storedCalibration && calibration == null) {
      throw new IllegalArgumentException(
          "stored unet state has an operating point's calibration, this detector a fixed floor:"
              + " another configuration");
    }
    // a state without calibration (versions 1-2, or operating_point fixed) goes on without it
    calibrationOn = storedCalibration;
    if (calibrationOn) {
      calibration.restore(s.getCalibration());
      StateArrays.fill(s.getRecentFlipped(), recentFlipped, "unet recent flipped statistic");
      StateArrays.fill(s.getRecentCandidate(), recentCandidate, "unet recent candidates");
      for (List<?> a :
          List.of(
              s.getFlippedSumInterior(),
              s.getFlippedSumEdge(),
              s.getFlippedCountInterior(),
              s.getFlippedCountEdge())) {
        StateArrays.requireLength(a.size(), s.getImputed().size(), "unet flipped accumulators");
      }
      Arrays.fill(flippedSumInterior, 0);
      Arrays.fill(flippedSumEdge, 0);
      Arrays.fill(flippedCountInterior, 0);
      Arrays.fill(flippedCountEdge, 0);
    }
    if (storedEvidence) {
      evidence.restore(s.getEvidence());
      StateArrays.requireLength(
          s.getEvidenceSd().size(), s.getImputed().size(), "unet evidence values");
    }
    // a state without evidence (written by version 1, or with the evidence off) goes on without
    int span = s.getImputed().size();
    List<Float> history = s.getHeightHistory(); // empty in versions 1-3: the veto looks back less
    if (span + history.size() > accCap) {
      throw new io.voltspike.io.StateFormatException(
          "stored unet accumulators span "
              + (span + history.size())
              + " samples; this configuration holds "
              + accCap);
    }
    for (int k = 0; k < history.size(); k++) {
      long u = s.getAccumulatorsFrom() - history.size() + k;
      heightSd[(int) Math.floorMod(u, (long) accCap)] = history.get(k);
    }
    for (int k = 0; k < span; k++) {
      int i = (int) Math.floorMod(s.getAccumulatorsFrom() + k, (long) accCap);
      imputed[i] = s.getImputed().get(k);
      sumInterior[i] = s.getSumInterior().get(k);
      sumEdge[i] = s.getSumEdge().get(k);
      countInterior[i] = s.getCountInterior().get(k);
      countEdge[i] = s.getCountEdge().get(k);
      heightSd[i] = s.getHeightSd().get(k);
      if (storedEvidence) {
        evidenceSd[i] = s.getEvidenceSd().get(k);
      }
      if (calibrationOn) {
        flippedSumInterior[i] = s.getFlippedSumInterior().get(k);
        flippedSumEdge[i] = s.getFlippedSumEdge().get(k);
        flippedCountInterior[i] = s.getFlippedCountInterior().get(k);
        flippedCountEdge[i] = s.getFlippedCountEdge().get(k);
      }
    }
    picker.restore(s.getPicker());
    deferredStart = -1;
    finalizeHold = Long.MAX_VALUE;
    int cut = s.getPendingStarts().size();
    int size = channels * window;
    StateArrays.requireLength(s.getPending().size(), cut * size, "unet pending windows");
    List<Boolean> withFlipped = calibrationOn ? s.getPendingFlipped() : null;
    if (calibrationOn) {
      StateArrays.requireLength(withFlipped.size(), cut, "unet pending flipped copies");
    }
    int flippedCount = calibrationOn ? (int) withFlipped.stream().filter(b -> b).count() : 0;
    pendingCount = 0;
    pending = new float[Math.max(1, cut + flippedCount) * size];
    pendingStarts = new long[Math.max(1, cut + flippedCount)];
    pendingFlipped = new boolean[pendingStarts.length];
    for (int k = 0; k < cut; k++) {
      int base = pendingCount * size;
      for (int i = 0; i < size; i++) {
        pending[base + i] = s.getPending().get(k * size + i);
      }
      pendingStarts[pendingCount++] = s.getPendingStarts().get(k);
      if (calibrationOn && withFlipped.get(k)) { // a flipped copy is this window negated
        for (int i = 0; i < size; i++) {
          pending[base + size + i] = -pending[base + i];
        }
        pendingFlipped[pendingCount] = true;
        pendingStarts[pendingCount++] = s.getPendingStarts().get(k);
      }
    }
  }
}
