package io.voltspike.detect;

import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.SharedModels;
import io.voltspike.model.WindowModel;
import io.voltspike.signal.FrameResampler;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The registry of detectors by name, so the CLI and the stream pick one the same way. */
public final class Detectors {
  private static final Map<String, Function<DetectorOptions, SpikeDetector>> FACTORIES =
      new TreeMap<>();

  static {
    FACTORIES.put(ThresholdDetector.NAME, ThresholdDetector::new);
    FACTORIES.put(VolPyDetector.NAME, VolPyDetector::new);
    FACTORIES.put(UNetDetector.NAME, Detectors::unet);
  }

  /**
   * The U-Net on the shared model; a recording at another rate than the model's is resampled to it
   * ({@link ResamplingDetector}), its features' noise lag matched to the resampling.
   */
  static SpikeDetector unet(DetectorOptions o) {
    WindowModel m =
        SharedModels.get(o.unet().modelPath(), ExecutionProvider.parse(o.unet().provider()));
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

  private Detectors() {}

  /** Registers another detector; closing the result removes it again. */
  public static synchronized AutoCloseable register(
      String name, Function<DetectorOptions, SpikeDetector> factory) {
    String key = name.toLowerCase(Locale.ROOT);
    FACTORIES.put(key, factory);
    return () -> {
      synchronized (Detectors.class) {
        FACTORIES.remove(key);
      }
    };
  }

  public static synchronized Iterable<String> names() {
    return FACTORIES.keySet();
  }

  /** A new detector; an unknown name is an error that lists the valid ones. */
  public static synchronized SpikeDetector create(String name, DetectorOptions options) {
    Function<DetectorOptions, SpikeDetector> f = FACTORIES.get(name.toLowerCase(Locale.ROOT));
    if (f == null) {
      throw new IllegalArgumentException(
          "unknown detector '"
              + name
              + "'; valid values: "
              + String.join(", ", FACTORIES.keySet()));
    }
    return f.apply(options);
  }
}
