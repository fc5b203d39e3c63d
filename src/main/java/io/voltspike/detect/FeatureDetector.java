package io.voltspike.detect;

import io.voltspike.signal.FeatureExtractor;
import io.voltspike.signal.FeatureSink;

/**
 * A detector that decides frame by frame on the five-channel features: the sample, gap and flush
 * plumbing the classical detectors share, so each of them only says what a frame means ({@link
 * #onFrame}) and what is left to decide at the end ({@link #endOfData}).
 */
abstract class FeatureDetector implements SpikeDetector {
  /** The neuron's feature extractor (its state is part of every subclass's snapshot). */
  protected final FeatureExtractor features;

  /** Where the spikes of the call in progress go. */
  protected SpikeSink current;

  /** Canonical polarity: samples are multiplied by it (peak_sign neg: -1). */
  private final float sign;

  /** The extractor's sink, made once (not a new method reference per sample). */
  private final FeatureSink frameSink = this::onFrame;

  FeatureDetector(DetectorOptions options) {
    this.features = new FeatureExtractor(options.features());
    this.sign = options.peakSign().factor();
  }

  /** One frame of the features, in sample order ({@code imputed}: a held value, no data). */
  protected abstract void onFrame(long index, float[] frame, boolean imputed);

  /** The extractor has emitted its last frame: decide every sample still open into {@code sink}. */
  protected abstract void endOfData(SpikeSink sink);

  @Override
  public long nextSampleIndex() {
    return features.nextSampleIndex();
  }

  @Override
  public long clampedSamples() {
    return features.clampedSamples();
  }

  @Override
  public final void push(float[] samples, int offset, int length, SpikeSink sink) {
    current = sink;
    for (int i = 0; i < length; i++) {
      features.push(sign * samples[offset + i], frameSink);
    }
  }

  @Override
  public final void pushGap(long count, SpikeSink sink) {
    current = sink;
    features.pushGap(count, frameSink);
  }

  @Override
  public final void flush(SpikeSink sink) {
    current = sink;
    features.flush(frameSink);
    endOfData(sink);
  }
}
