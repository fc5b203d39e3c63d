package io.voltspike.detect;

import io.voltspike.avro.state.VolPyState;
import io.voltspike.io.StateArrays;
import io.voltspike.io.StateCodec;
import io.voltspike.signal.SlidingMedian;
import java.util.Arrays;
import java.util.List;

/**
 * VolPy's SpikePursuit rule made online the way FIOLA runs it.
 *
 * <p>Per sample: a DC blocker (0.995) and a running-median high-pass (15 samples: 10 past, 4
 * future). The first {@code initSamples} (10 s) are buffered; on them VolPy's adaptive threshold (p
 * = 0.25, top 100 peaks) finds spikes, their median waveform (5 samples) becomes the matched filter
 * template, and a second adaptive pass (p = 0.5) on the filtered trace sets {@code threshFactor =
 * thresh / std} (std: RMS of the negative half; floor 3). The buffer is then replayed and every
 * later sample is decided online: a spike is a local maximum of the filtered trace above {@code
 * threshFactor * std}. Every 5,000 samples std is re-estimated over the last 25,000, and the factor
 * follows the 95th percentile of (peak / std) over the last 100 spikes downwards only, never below
 * 3: this tracks photobleaching.
 *
 * <p>Not done online (as in FIOLA): the Welch whitening of offline VolPy. Spikes within the first
 * {@code initSamples} are emitted once initialisation ends (offline they are simply found).
 */
public final class VolPyDetector implements SpikeDetector {
  public static final String NAME = "volpy";

  static final double DC_BLOCK = 0.995;
  static final int MEDIAN_PAST = 10;
  static final int MEDIAN_FUTURE = 4;
  static final int TEMPLATE_HALF = 2;
  static final int MIN_SPIKES = 10;
  static final int CLIP = 100;
  static final double MIN_THRESH_FACTOR = 3.0;
  static final int UPDATE_EVERY = 5000;
  static final int HISTORY = 25000;
  static final int RECENT_SPIKES = 100;

  private final int initSamples;
  private final float sign;
  private final PeakPicker picker;

  // stage 1: detrend + running median high-pass
  private boolean started;
  private float lastValid;
  private float prevX;
  private double dc;
  private final SlidingMedian median = new SlidingMedian(MEDIAN_PAST + MEDIAN_FUTURE + 1);
  private final float[] yRing = new float[MEDIAN_FUTURE + 1];
  private long next; // index of the next input sample

  // initialisation
  private float[] initBuffer;
  private int initCount;
  private boolean initialised;

  // stage 2: matched filter and online threshold
  private final float[] template = new float[2 * TEMPLATE_HALF + 1];
  private final float[] hRing = new float[2 * TEMPLATE_HALF + 1];
  private long fNext;
  private float lastH;
  private double threshFactor;
  private double initialP95;
  private double std;
  private final float[] history = new float[HISTORY];
  private long historyCount;
  private final double[] recentPeaks = new double[RECENT_SPIKES];
  private int recentCount;

  public VolPyDetector(DetectorOptions options) {
    this(options, (int) Math.round(10.0 * options.features().sampleRateHz()));
  }

  public VolPyDetector(DetectorOptions options, int initSamples) {
    if (options.peakSign() == PeakSign.BOTH) {
      throw new IllegalArgumentException(
          "the volpy detector needs one polarity; valid peak_sign values for it: pos, neg");
    }
    this.sign = options.peakSign().factor();
    this.initSamples = initSamples;
    this.initBuffer = new float[initSamples];
    this.picker = new PeakPicker(options.refractorySamples());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long nextSampleIndex() {
    return next;
  }

  @Override
  public int decisionLatencySamples() {
    return MEDIAN_FUTURE + TEMPLATE_HALF + picker.delaySamples();
  }

  @Override
  public void push(float[] samples, int offset, int length, SpikeSink sink) {
    for (int i = 0; i < length; i++) {
      pushOne(sign * samples[offset + i], sink);
    }
  }

  @Override
  public void pushGap(long count, SpikeSink sink) {
    for (long i = 0; i < count; i++) {
      pushOne(Float.NaN, sink);
    }
  }

  private void pushOne(float raw, SpikeSink sink) {
    float x = Float.isFinite(raw) ? raw : lastValid;
    if (Float.isFinite(raw)) {
      lastValid = raw;
    }
    if (!started) {
      started = true;
      prevX = x;
      dc = 0;
    } else {
      dc = x - prevX + DC_BLOCK * dc;
      prevX = x;
    }
    float y = (float) dc;
    median.push(y);
    yRing[(int) (next % yRing.length)] = y;
    next++;
    long h = next - 1 - MEDIAN_FUTURE;
    if (h >= 0) {
      float center = yRing[(int) (h % yRing.length)];
      onHighPassed((float) (center - median.median()), sink);
    }
  }

  @Override
  public void flush(SpikeSink sink) {
    // Drain the running median's look-ahead with the last sample's value.
    for (long h = Math.max(0, next - MEDIAN_FUTURE); h < next; h++) {
      float center = yRing[(int) (h % yRing.length)];
      onHighPassed((float) (center - median.median()), sink);
    }
    if (!initialised) {
      initialise(sink);
    }
    for (int k = 0; k < TEMPLATE_HALF; k++) {
      filterStep(lastH, sink);
    }
    picker.flush(sink);
  }

  private void onHighPassed(float h, SpikeSink sink) {
    if (!initialised) {
      initBuffer[initCount++] = h;
      if (initCount == initSamples) {
        initialise(sink);
      }
      return;
    }
    filterStep(h, sink);
  }

  private void initialise(SpikeSink sink) {
    float[] hs = Arrays.copyOf(initBuffer, initCount);
    initialised = true;
    initBuffer = null;
    double[] pk = peakHeights(hs);
    double t1 = AdaptiveThreshold.compute(pk, 0.25, MIN_SPIKES, CLIP);
    buildTemplate(hs, t1);
    float[] f = correlate(hs);
    double[] fp = peakHeights(f);
    double t2 = AdaptiveThreshold.compute(fp, 0.5, MIN_SPIKES, 0);
    std = Stats.negativeRms(f, 0, f.length);
    threshFactor = std > 0 ? Math.max(MIN_THRESH_FACTOR, t2 / std) : Double.POSITIVE_INFINITY;
    initialP95 = Double.NaN;
    for (float h : hs) {
      filterStep(h, sink);
    }
  }

  private void buildTemplate(float[] hs, double thresh) {
    int w = template.length;
    int count = 0;
    for (int i = TEMPLATE_HALF; i < hs.length - TEMPLATE_HALF; i++) {
      if (isPeak(hs, i) && hs[i] > thresh) {
        count++;
      }
    }
    if (count == 0) {
      Arrays.fill(template, 0f);
      template[TEMPLATE_HALF] = 1f;
      return;
    }
    double[][] cols = new double[w][count];
    int s = 0;
    for (int i = TEMPLATE_HALF; i < hs.length - TEMPLATE_HALF; i++) {
      if (isPeak(hs, i) && hs[i] > thresh) {
        for (int k = 0; k < w; k++) {
          cols[k][s] = hs[i - TEMPLATE_HALF + k];
        }
        s++;
      }
    }
    double norm = 0;
    for (int k = 0; k < w; k++) {
      template[k] = (float) Stats.median(cols[k]);
      norm += template[k] * template[k];
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int k = 0; k < w; k++) {
        template[k] /= (float) norm;
      }
    }
  }

  private float[] correlate(float[] hs) {
    float[] f = new float[hs.length];
    for (int i = 0; i < hs.length; i++) {
      double acc = 0;
      for (int k = 0; k < template.length; k++) {
        int j = i - TEMPLATE_HALF + k;
        float v = j < 0 ? hs[0] : j >= hs.length ? hs[hs.length - 1] : hs[j];
        acc += template[k] * v;
      }
      f[i] = (float) acc;
    }
    return f;
  }

  private static boolean isPeak(float[] v, int i) {
    return i > 0 && i < v.length - 1 && v[i] > v[i - 1] && v[i] >= v[i + 1];
  }

  private static double[] peakHeights(float[] v) {
    int n = 0;
    for (int i = 1; i < v.length - 1; i++) {
      if (isPeak(v, i)) {
        n++;
      }
    }
    double[] out = new double[n];
    int j = 0;
    for (int i = 1; i < v.length - 1; i++) {
      if (isPeak(v, i)) {
        out[j++] = v[i];
      }
    }
    return out;
  }

  /** Pushes one high-passed sample through the matched filter and the online threshold. */
  private void filterStep(float h, SpikeSink sink) {
    int w = hRing.length;
    if (fNext == 0) {
      Arrays.fill(hRing, h);
    }
    hRing[(int) (fNext % w)] = h;
    lastH = h;
    long pos = fNext - TEMPLATE_HALF;
    fNext++;
    if (pos < 0) {
      return;
    }
    double acc = 0;
    for (int k = 0; k < w; k++) {
      acc += template[k] * hRing[(int) Math.floorMod(pos - TEMPLATE_HALF + k, (long) w)];
    }
    float f = (float) acc;
    history[(int) (historyCount % HISTORY)] = f;
    historyCount++;
    if (historyCount % UPDATE_EVERY == 0) {
      recalibrate();
    }
    picker.push(f, threshFactor * std, (s, v) -> onSpike(s, v, sink));
  }

  private void onSpike(long sample, double value, SpikeSink sink) {
    recentPeaks[recentCount % RECENT_SPIKES] = value;
    recentCount++;
    sink.onSpike(sample, value / std);
  }

  private void recalibrate() {
    int n = (int) Math.min(HISTORY, historyCount);
    double newStd = Stats.negativeRms(history, 0, n);
    if (newStd > 0) {
      std = newStd;
    }
    int k = Math.min(RECENT_SPIKES, recentCount);
    if (k >= MIN_SPIKES && std > 0) {
      double[] ratios = new double[k];
      for (int i = 0; i < k; i++) {
        ratios[i] = recentPeaks[i] / std;
      }
      double p95 = Stats.percentile(ratios, 95);
      if (Double.isNaN(initialP95)) {
        initialP95 = p95;
      } else if (p95 < initialP95) {
        threshFactor =
            Math.max(MIN_THRESH_FACTOR, Math.min(threshFactor, threshFactor * p95 / initialP95));
        initialP95 = p95;
      }
    }
  }

  /** The codec of {@link VolPyState}, this detector's durable state. */
  public static final StateCodec<VolPyState> STATE =
      new StateCodec<>(VolPyState.getClassSchema(), "VolPyState");

  @Override
  public byte[] snapshot() {
    int held = (int) Math.min(HISTORY, historyCount);
    return STATE.encode(
        VolPyState.newBuilder()
            .setStarted(started)
            .setInitialised(initialised)
            .setLastValid(lastValid)
            .setPrevX(prevX)
            .setDc(dc)
            .setMedian(median.state())
            .setYRing(StateArrays.floats(yRing))
            .setNext(next)
            .setInitBuffer(initialised ? List.of() : StateArrays.floats(initBuffer, 0, initCount))
            .setTemplate(StateArrays.floats(template))
            .setHRing(StateArrays.floats(hRing))
            .setFNext(fNext)
            .setLastH(lastH)
            .setThreshFactor(threshFactor)
            .setInitialP95(initialP95)
            .setStd(std)
            .setHistoryCount(historyCount)
            .setHistory(StateArrays.floats(history, 0, held))
            .setRecentCount(recentCount)
            .setRecentPeaks(StateArrays.doubles(recentPeaks))
            .setPicker(picker.state())
            .build());
  }

  @Override
  public void restore(byte[] state) {
    VolPyState s = STATE.decode(state);
    started = s.getStarted();
    initialised = s.getInitialised();
    lastValid = s.getLastValid();
    prevX = s.getPrevX();
    dc = s.getDc();
    median.restore(s.getMedian());
    StateArrays.fill(s.getYRing(), yRing, "volpy look-ahead ring");
    next = s.getNext();
    initCount = initialised ? 0 : s.getInitBuffer().size();
    if (!initialised) {
      if (initCount > initSamples) {
        throw new io.voltspike.io.StateFormatException(
            "stored volpy start-up buffer holds "
                + initCount
                + " samples, more than "
                + initSamples);
      }
      initBuffer = new float[initSamples];
      for (int i = 0; i < initCount; i++) {
        initBuffer[i] = s.getInitBuffer().get(i);
      }
    } else {
      initBuffer = null;
    }
    StateArrays.fill(s.getTemplate(), template, "volpy template");
    StateArrays.fill(s.getHRing(), hRing, "volpy filter ring");
    fNext = s.getFNext();
    lastH = s.getLastH();
    threshFactor = s.getThreshFactor();
    initialP95 = s.getInitialP95();
    std = s.getStd();
    historyCount = s.getHistoryCount();
    int held = (int) Math.min(HISTORY, historyCount);
    StateArrays.requireLength(s.getHistory().size(), held, "volpy history");
    for (int i = 0; i < held; i++) {
      history[i] = s.getHistory().get(i);
    }
    recentCount = s.getRecentCount();
    StateArrays.fill(s.getRecentPeaks(), recentPeaks, "volpy recent peaks");
    picker.restore(s.getPicker());
  }
}
