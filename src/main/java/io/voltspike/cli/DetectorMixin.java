package io.voltspike.cli;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.PeakSign;
import io.voltspike.signal.FeatureConfig;
import picocli.CommandLine.Option;

/** The detector options shared by every command that detects. */
public final class DetectorMixin {
  @Option(
      names = "--detect-threshold",
      defaultValue = "4.0",
      description = "Spike threshold in noise units (robust sigma). Default: ${DEFAULT-VALUE}.")
  double detectThreshold;

  @Option(
      names = "--peak-sign",
      defaultValue = "auto",
      description =
          "Spike polarity: pos, neg, both, or auto (the recording's peak_sign metadata, else pos)."
              + " Default: ${DEFAULT-VALUE}.")
  String peakSign;

  @Option(
      names = "--refractory-ms",
      defaultValue = "2.0",
      description = "Spikes closer than this are one event. Default: ${DEFAULT-VALUE}.")
  double refractoryMs;

  /** The options; the sample rate is set per recording. */
  public DetectorOptions options() {
    return new DetectorOptions(
        detectThreshold, PeakSign.POS, refractoryMs, FeatureConfig.defaults());
  }

  /** null means auto. */
  public PeakSign explicitPeakSign() {
    return "auto".equalsIgnoreCase(peakSign.strip()) ? null : PeakSign.parse(peakSign);
  }
}
