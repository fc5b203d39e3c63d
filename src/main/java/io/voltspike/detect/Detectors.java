package io.voltspike.detect;

import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.SharedModels;
import io.voltspike.model.WindowModel;
import io.voltspike.signal.FrameResampler;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The detectors by name, so the CLI and the stream pick one the same way. An instance holds the
 * model sessions its U-Net detectors share ({@link SharedModels}, owned by the caller) and may have
 * more detectors registered; nothing is process-wide.
 */
public final class Detectors {
  private final Map<String, Function<DetectorOptions, SpikeDetector>> factories = new TreeMap<>();
  private final SharedModels models;

  /**
   * @param models the model sessions U-Net detectors are built on
   */
  public Detectors(SharedModels models) {
    this.models = models;
    factories.put(ThresholdDetector.NAME, ThresholdDetector::new);
    factories.put(VolPyDetector.NAME, VolPyDetector::new);
    factories.put(MatchedDetector.NAME, MatchedDetector::new);
    factories.put(UNetDetector.NAME, this::unet);
  }

  /**
   * The U-Net on the shared model; a recording at another rate than the model's is resampled to it
   * ({@link ResamplingDetector}), its features' noise lag matched to the resampling.
   */
  private SpikeDetector unet(DetectorOptions o) {
    WindowModel m = models.get(o.unet().modelPath(), ExecutionProvider.parse(o.unet().provider()));
    double in = o.features().sampleRateHz();
    double modelRate = m.sampleRateHz();
    if (in == modelRate) {
      return new UNetDetector(o, m);
    }
    ResamplingDetector.requireServable(in, modelRate);
    DetectorOptions atModel =
        o.withFeatures(
            o.features().atRate(modelRate).withNoiseLag(FrameResampler.noiseLag(in, modelRate)));
    return new ResamplingDetector(
        new UNetDetector(atModel, m),
        in,
        modelRate,
        o.peakSign().factor(),
        atModel.features().maxGapSamples());
  }

  /** Registers another detector under {@code name} (replacing one of that name). */
  public synchronized Detectors register(
      String name, Function<DetectorOptions, SpikeDetector> factory) {
    factories.put(name.toLowerCase(Locale.ROOT), factory);
    return this;
  }

  /** A new detector; an unknown name is an error that lists the valid ones. */
  public synchronized SpikeDetector create(String name, DetectorOptions options) {
    Function<DetectorOptions, SpikeDetector> f = factories.get(name.toLowerCase(Locale.ROOT));
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown detector '"
              + name
              + "'; valid values: "
              + String.join(", ", factories.keySet()));
    }
    return f.apply(options);
  }
}
