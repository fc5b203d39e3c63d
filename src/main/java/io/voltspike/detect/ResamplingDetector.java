package io.voltspike.detect;

import io.voltspike.avro.state.ResamplingState;
import io.voltspike.io.StateCodec;
import io.voltspike.model.WindowModel;
import io.voltspike.signal.FrameResampler;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Serves a recording at any frame rate to a detector that runs at one fixed rate (the U-Net's
 * model): frames are resampled on the way in by camera integration ({@link FrameResampler}), and
 * spikes decided on the model's grid are reported on the recording's own: the sample index of the
 * recording's most extreme frame inside the model sample. Two model-grid spikes that land on the
 * same recording frame (possible only below the model's rate) are one spike, the first.
 *
 * <p>Everything is indexed by frame number, so a recording fed whole, in chunks, or through the
 * stream gives the same spikes, as for the detectors it wraps.
 */
public final class ResamplingDetector implements SpikeDetector {
  /** Lowest recording rate served: a 1 ms spike is still a third of a frame. */
  public static final double MIN_RATE_HZ = 300;

  /** Highest recording rate served. */
  public static final double MAX_RATE_HZ = 5000;

  /** Most resampled samples handed to the inner detector at once. */
  private static final int SLICE = 128;

  private final SpikeDetector inner;
  private final FrameResampler resampler;
  private final long maxGapOut;
  private float[] buf = new float[256];
  private int bufN;
  private long lastReported = -1;
  private SpikeSink outer;
  private final SpikeSink mapped = this::onInnerSpike;

  /**
   * @param inner the detector at the model's rate (its features carry the matching noise lag)
   * @param inRateHz the recording's rate
   * @param sign the detector's polarity (+1 pos, -1 neg): which frame is "most extreme"
   * @param maxGapModelSamples gaps up to this many model samples are bridged by holding (the inner
   *     feature extractor's policy); longer ones restart it
   */
  public ResamplingDetector(
      SpikeDetector inner,
      double inRateHz,
      double modelRateHz,
      float sign,
      long maxGapModelSamples) {
    requireServable(inRateHz, modelRateHz);
    this.inner = inner;
    this.resampler = new FrameResampler(inRateHz, modelRateHz, sign);
    this.maxGapOut = maxGapModelSamples;
  }

  /** Refuses rates outside [{@value #MIN_RATE_HZ}, {@value #MAX_RATE_HZ}] Hz, naming the range. */
  public static void requireServable(double inRateHz, double modelRateHz) {
    if (!(inRateHz >= MIN_RATE_HZ && inRateHz <= MAX_RATE_HZ)) {
      throw new UnsupportedRateException(
          String.format(
              java.util.Locale.ROOT,
              "sample rate %s Hz cannot be served: valid rates are %.0f-%.0f Hz (recordings are"
                  + " resampled to the model's %s Hz)",
              inRateHz,
              MIN_RATE_HZ,
              MAX_RATE_HZ,
              modelRateHz));
    }
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public long nextSampleIndex() {
    return resampler.nextIn();
  }

  @Override
  public long clampedSamples() {
    return inner.clampedSamples();
  }

  @Override
  public int decisionLatencySamples() {
    return (int)
            Math.ceil(inner.decisionLatencySamples() * resampler.inRateHz() / resampler.outRateHz())
        + 1;
  }

  @Override
  public void push(float[] samples, int offset, int length, SpikeSink sink) {
    outer = sink;
    feed(samples, offset, length, false);
  }

  @Override
  public void cut(float[] samples, int offset, int length, SpikeSink sink) {
    outer = sink;
    feed(samples, offset, length, true);
  }

  /**
   * Resamples and hands the inner detector at most {@link #SLICE} samples at a time, so that its
   * decisions never fall further behind the resampler than the source-frame ring reaches.
   */
  private void feed(float[] samples, int offset, int length, boolean batched) {
    bufN = 0;
    for (int i = 0; i < length; i++) {
      resampler.push(samples[offset + i], this::collect);
      if (bufN >= SLICE) {
        deliver(batched);
      }
    }
    deliver(batched);
  }

  private void deliver(boolean batched) {
    if (bufN > 0) {
      if (batched) {
        inner.cut(buf, 0, bufN, mapped);
      } else {
        inner.push(buf, 0, bufN, mapped);
      }
      bufN = 0;
    }
  }

  private void collect(long outIndex, float value) {
    if (bufN == buf.length) {
      buf = Arrays.copyOf(buf, 2 * buf.length);
    }
    buf[bufN++] = value;
  }

  @Override
  public void pushGap(long count, SpikeSink sink) {
    outer = sink;
    if (count <= 0) {
      return;
    }
    long outSpan = (long) Math.ceil(count * resampler.outRateHz() / resampler.inRateHz());
    if (outSpan <= maxGapOut) {
      float[] nan = new float[(int) Math.min(count, 4096)];
      Arrays.fill(nan, Float.NaN);
      for (long left = count; left > 0; left -= nan.length) {
        feed(nan, 0, (int) Math.min(left, nan.length), false);
      }
      return;
    }
    resampler.skip(count);
    long gap = resampler.nextOut() - inner.nextSampleIndex();
    if (gap > 0) {
      inner.pushGap(gap, mapped);
    }
  }

  @Override
  public void flush(SpikeSink sink) {
    outer = sink;
    bufN = 0;
    resampler.flush(this::collect);
    deliver(false);
    inner.flush(mapped);
  }

  private void onInnerSpike(long outSample, double score) {
    long frame = resampler.sourceFrame(outSample);
    if (frame <= lastReported) {
      return;
    }
    lastReported = frame;
    outer.onSpike(frame, score);
  }

  @Override
  public WindowModel model() {
    return inner.model();
  }

  @Override
  public int pendingWindows() {
    return inner.pendingWindows();
  }

  @Override
  public void copyPending(int i, float[] dst, int dstOffset) {
    inner.copyPending(i, dst, dstOffset);
  }

  @Override
  public void applyPending(float[] probabilities, int offset, SpikeSink sink) {
    outer = sink;
    inner.applyPending(probabilities, offset, mapped);
  }

  /** The codec of {@link ResamplingState}, this detector's durable state. */
  public static final StateCodec<ResamplingState> STATE =
      new StateCodec<>(ResamplingState.getClassSchema(), "ResamplingState");

  @Override
  public byte[] snapshot() {
    return STATE.encode(
        new ResamplingState(lastReported, resampler.state(), ByteBuffer.wrap(inner.snapshot())));
  }

  @Override
  public void restore(byte[] state) {
    ResamplingState s = STATE.decode(state);
    lastReported = s.getLastReported();
    resampler.restore(s.getResampler());
    ByteBuffer d = s.getInner().duplicate();
    byte[] innerState = new byte[d.remaining()];
    d.get(innerState);
    inner.restore(innerState);
  }
}
