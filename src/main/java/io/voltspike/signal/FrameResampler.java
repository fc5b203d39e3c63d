package io.voltspike.signal;

import io.voltspike.avro.state.ResamplerState;
import io.voltspike.io.StateArrays;
import java.nio.ByteBuffer;

/**
 * Streaming resampler from a recording's frame rate to a model's rate, by camera integration.
 *
 * <p><b>Method.</b> A camera frame is the fluorescence integrated over its exposure, so frame i of
 * a recording at {@code inRateHz} stands for the interval [i, i+1) / inRateHz. The resampled value
 * of output sample j is the mean of that piecewise-constant signal over [j, j+1) / outRateHz: the
 * overlap-weighted mean of the frames it covers. Downsampling by an integer factor is then exactly
 * what a camera at the lower rate would have recorded (2 kHz to 1 kHz averages pairs of frames);
 * upsampling repeats a frame over the output samples inside it (500 Hz to 1 kHz doubles each
 * frame), inventing no detail the camera did not see. Missing (NaN) frames are left out of the
 * mean; an output sample that is more than half missing is missing.
 *
 * <p>Each output sample also remembers its most extreme contributing frame (in the direction of the
 * detector's polarity), so a spike decided on the model's grid is reported at the recording's own
 * frame: see {@link #sourceFrame}. Boundaries are computed from frame indices alone, so a trace fed
 * whole, in chunks or through the stream resamples identically.
 */
public final class FrameResampler {
  /** Output samples whose source frame is remembered: more than any detector's decision delay. */
  public static final int SOURCE_RING = 1024;

  /** Receives resampled samples, in order. */
  @FunctionalInterface
  public interface Sink {
    void accept(long outIndex, float value);
  }

  private final double inRateHz;
  private final double outRateHz;
  private final double ratio; // output samples per input frame
  private final float sign;

  private final byte[] sourceDelta = new byte[SOURCE_RING];

  private long nextIn;
  private long out; // the output sample being accumulated
  private double sum;
  private double weight;
  private double missing;
  private long best = -1;
  private double bestValue;

  /**
   * @param sign +1 or -1: the direction in which a frame is "most extreme" (the detector's
   *     polarity)
   */
  public FrameResampler(double inRateHz, double outRateHz, float sign) {
    if (!(inRateHz > 0) || !(outRateHz > 0)) {
      throw new IllegalArgumentException("rates must be > 0");
    }
    this.inRateHz = inRateHz;
    this.outRateHz = outRateHz;
    this.ratio = outRateHz / inRateHz;
    this.sign = sign;
  }

  public double inRateHz() {
    return inRateHz;
  }

  public double outRateHz() {
    return outRateHz;
  }

  /** Index of the next input frame. */
  public long nextIn() {
    return nextIn;
  }

  /** Index of the output sample the next frame contributes to first. */
  public long nextOut() {
    return out;
  }

  /** The output sample that contains the start of input frame {@code i}. */
  public long outIndexOf(long frame) {
    return (long) Math.floor(boundary(frame));
  }

  private double boundary(long frame) {
    return frame * outRateHz / inRateHz;
  }

  /**
   * Noise-estimate lag (in output samples) that makes the extractor's first differences those of
   * the recording's own frames: ceil(outRate / inRate) when upsampling, else 1.
   */
  public static int noiseLag(double inRateHz, double outRateHz) {
    return Math.max(1, (int) Math.ceil(outRateHz / inRateHz - 1e-9));
  }

  public void push(float x, Sink sink) {
    long i = nextIn++;
    double a = boundary(i);
    double e = boundary(i + 1);
    boolean finite = Float.isFinite(x);
    while (a < e) {
      double end = Math.min(e, out + 1.0);
      double w = end - a;
      if (finite) {
        sum += w * x;
        weight += w;
        if (best < 0 || sign * x > bestValue) {
          best = i;
          bestValue = sign * x;
        }
      } else {
        missing += w;
      }
      a = end;
      if (end == out + 1.0) {
        emit(sink);
      } else {
        break;
      }
    }
  }

  /** Skips {@code count} frames that never arrived: output samples they cover get no value. */
  public void skip(long count) {
    nextIn += count;
    long to = outIndexOf(nextIn);
    if (to > out) {
      out = to;
      clear();
    }
  }

  /** End of the data: the last, partly covered output sample is emitted if it has any frame. */
  public void flush(Sink sink) {
    if (weight > 0) {
      emitValue(sink, (float) (sum / weight));
      out++;
      clear();
    }
  }

  private void emit(Sink sink) {
    float v = weight > missing ? (float) (sum / weight) : Float.NaN;
    emitValue(sink, v);
    out++;
    clear();
  }

  private void emitValue(Sink sink, float v) {
    long nominal = (long) Math.floor(out / ratio);
    long delta = best < 0 ? 0 : best - nominal;
    sourceDelta[(int) Math.floorMod(out, (long) SOURCE_RING)] =
        (byte) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, delta));
    sink.accept(out, v);
  }

  private void clear() {
    sum = 0;
    weight = 0;
    missing = 0;
    best = -1;
    bestValue = 0;
  }

  /**
   * The recording frame to report for output sample {@code outIndex}: its most extreme contributing
   * frame, while it is among the last {@link #SOURCE_RING} outputs; else the frame containing its
   * centre.
   */
  public long sourceFrame(long outIndex) {
    long nominal = (long) Math.floor(outIndex / ratio);
    if (outIndex >= out || outIndex < out - SOURCE_RING) {
      return (long) Math.floor((outIndex + 0.5) / ratio);
    }
    return nominal + sourceDelta[(int) Math.floorMod(outIndex, (long) SOURCE_RING)];
  }

  /** The resampler's memory, for a changelogged state. */
  public ResamplerState state() {
    return new ResamplerState(
        nextIn, out, sum, weight, missing, best, bestValue, ByteBuffer.wrap(sourceDelta.clone()));
  }

  /** Continues from a {@link #state()} of a resampler with the same rates. */
  public void restore(ResamplerState s) {
    ByteBuffer d = s.getSourceDelta().duplicate();
    StateArrays.requireLength(d.remaining(), sourceDelta.length, "resampler source ring");
    nextIn = s.getNextIn();
    out = s.getOut();
    sum = s.getSum();
    weight = s.getWeight();
    missing = s.getMissing();
    best = s.getBest();
    bestValue = s.getBestValue();
    d.get(sourceDelta);
  }
}
