package io.voltspike.detect;

import io.voltspike.avro.state.ThresholdState;
import io.voltspike.io.StateCodec;
import io.voltspike.signal.SlidingMedian;

/**
 * The classic baseline, made fair: the normalized signal band-passed (the Gaussian-smoothed channel
 * through a causal first-order high-pass at the features' cutoff, 20 Hz: smoothing is the matched
 * filter of a 1-3 ms spike, the high-pass removes the subthreshold activity and drift that a plain
 * k-sigma rule mistakes for noise or spikes), against k robust sigma of that band-passed signal
 * itself (the running MAD), decided online; a spike is a local maximum above k sigma with no larger
 * sample within the refractory period. This is SpikeInterface's "band-pass, then threshold in MAD
 * units"; its {@code detect_threshold} default (3.5) keeps the false positives of {@code --preset
 * bench} within 0.2 per second. With {@code peak_sign both} the smoothed signal is used without the
 * high-pass, whose opposite-sign lobe after each spike would count as a second spike.
 */
public final class ThresholdDetector extends FeatureDetector {
  public static final String NAME = "threshold";
  private static final int NOISE_WINDOW = 1000;
  private static final int NOISE_DECIMATION = 2;

  private final DetectorOptions options;
  private final SlidingMedian smoothedNoise = new SlidingMedian(NOISE_WINDOW);
  private final PeakPicker picker;
  private final io.voltspike.signal.HighPassFilter bandPass;
  private final boolean both;
  private long frames;

  public ThresholdDetector(DetectorOptions options) {
    super(options);
    this.options = options;
    this.picker = new PeakPicker(options.refractorySamples());
    this.bandPass =
        new io.voltspike.signal.HighPassFilter(
            options.features().highPassCutoffHz(), options.features().sampleRateHz());
    this.both = options.peakSign() == PeakSign.BOTH;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int decisionLatencySamples() {
    return features.delaySamples() + picker.delaySamples();
  }

  @Override
  protected void endOfData(SpikeSink sink) {
    picker.flush(sink);
  }

  @Override
  protected void onFrame(long index, float[] frame, boolean imputed) {
    if (index != picker.nextIndex()) {
      picker.flush(current);
      picker.reset(index);
      bandPass.reset();
    }
    // with peak_sign both, no high-pass: its opposite-sign lobe after a spike would be a second one
    float g = both ? frame[1] : (float) bandPass.apply(frame[1]);
    float a = both ? Math.abs(g) : g;
    if (!imputed && frames++ % NOISE_DECIMATION == 0) {
      smoothedNoise.push(Math.abs(g));
    }
    double sigma = smoothedNoise.median() / 0.6744897501960817;
    double threshold = sigma > 0 ? options.detectThreshold() * sigma : Double.POSITIVE_INFINITY;
    picker.push(imputed ? Double.NEGATIVE_INFINITY : a, threshold, current);
  }

  /** The codec of {@link ThresholdState}, this detector's durable state. */
  public static final StateCodec<ThresholdState> STATE =
      new StateCodec<>(ThresholdState.getClassSchema(), "ThresholdState");

  @Override
  public byte[] snapshot() {
    return STATE.encode(
        new ThresholdState(
            features.state(), frames, smoothedNoise.state(), bandPass.state(), picker.state()));
  }

  @Override
  public void restore(byte[] state) {
    ThresholdState s = STATE.decode(state);
    features.restore(s.getFeatures());
    frames = s.getFrames();
    smoothedNoise.restore(s.getSmoothedNoise());
    bandPass.restore(s.getBandPass());
    picker.restore(s.getPicker());
  }
}
