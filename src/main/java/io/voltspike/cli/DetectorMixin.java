package io.voltspike.cli;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.OperatingPoint;
import io.voltspike.detect.PeakSign;
import io.voltspike.detect.UNetOptions;
import io.voltspike.signal.FeatureConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The detector options shared by every command that detects. Their built-in defaults come from the
 * detector's option records through {@link BuiltInDefaults}, so none is written here.
 */
public final class DetectorMixin {
  @Option(
      names = "--detect-threshold",
      description = "Spike threshold in noise units (robust sigma). Default: ${DEFAULT-VALUE}.")
  double detectThreshold;

  @Option(
      names = "--operating-point",
      description =
          "Where matched and unet trade missed spikes for invented ones: fixed (matched:"
              + " detect_threshold for every neuron; unet: its probability threshold and height"
              + " floor), or a false-alarm rate held per neuron from its own noise: closed-loop"
              + " (0.1 false positives per second), balanced (0.3) or analysis (1); auto: closed-loop"
              + " for matched, balanced for unet. Default: ${DEFAULT-VALUE}.")
  String operatingPoint;

  @Option(
      names = "--peak-sign",
      defaultValue = "auto",
      description =
          "Spike polarity: pos, neg, both, or auto (the recording's peak_sign metadata, else pos)."
              + " Default: ${DEFAULT-VALUE}.")
  String peakSign;

  @Option(
      names = "--refractory-ms",
      description = "Spikes closer than this are one event. Default: ${DEFAULT-VALUE}.")
  double refractoryMs;

  @Option(names = "--model", description = "unet: the ONNX model file. Default: ${DEFAULT-VALUE}.")
  Path model;

  @Option(
      names = "--provider",
      description =
          "unet: ONNX Runtime execution provider, cpu or cuda. Default: ${DEFAULT-VALUE}.")
  String provider;

  @Option(
      names = "--stride-ms",
      description = "unet: a 100 ms window starts every stride. Default: ${DEFAULT-VALUE}.")
  double strideMs;

  @Option(
      names = "--lookahead-ms",
      description =
          "unet: decision latency; a sample is decided once this much later signal arrived,"
              + " or 'full' to wait for every window. Default: ${DEFAULT-VALUE}.")
  String lookaheadMs;

  @Option(
      names = "--edge-ms",
      description = "unet: window edges pruned from the average. Default: ${DEFAULT-VALUE}.")
  double edgeMs;

  @Option(
      names = "--probability-threshold",
      description =
          "unet: averaged probability above which a sample is a spike candidate; 'model': the"
              + " operating point recorded in the model (0.5 if it has none)."
              + " Default: ${DEFAULT-VALUE}.")
  String probabilityThreshold;

  @Option(
      names = "--shadow-ms",
      description =
          "unet: confidence-based shadowing radius (one spike per event). Default: ${DEFAULT-VALUE}.")
  double shadowMs;

  @Option(
      names = "--min-height-sd",
      description =
          "unet: per-neuron calibration: a spike must stand this many robust sd of the neuron's"
              + " own high-pass channel above zero; 0 turns it off. Default: ${DEFAULT-VALUE}.")
  double minHeightSd;

  @Option(
      names = "--min-evidence-sd",
      description =
          "unet: a spike below the height floor still passes when the neuron's whitened evidence"
              + " (the matched detector's statistic) reaches this many robust sd; 0 turns it off."
              + " Default: ${DEFAULT-VALUE}.")
  double minEvidenceSd;

  @Option(
      names = "--oscillation-trough-ratio",
      description =
          "unet: a broad candidate with a trough of this fraction of its height below zero in"
              + " the 25 ms before it is an oscillation's crest, not a spike; 0 turns it off."
              + " Default: ${DEFAULT-VALUE}.")
  double oscillationTroughRatio;

  @Option(
      names = "--batch-size",
      description = "unet: most windows per ONNX Runtime call. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  /** The options; the sample rate is set per recording. */
  public DetectorOptions options() {
    UNetOptions u =
        new UNetOptions(
            model,
            provider,
            strideMs,
            UNetOptions.parseLookahead(lookaheadMs),
            edgeMs,
            UNetOptions.parseProbabilityThreshold(probabilityThreshold),
            shadowMs,
            batchSize,
            minHeightSd,
            minEvidenceSd,
            oscillationTroughRatio);
    return new DetectorOptions(
        detectThreshold,
        PeakSign.POS,
        refractoryMs,
        FeatureConfig.defaults(),
        u,
        OperatingPoint.parse(operatingPoint));
  }

  /** null means auto. */
  public PeakSign explicitPeakSign() {
    return "auto".equalsIgnoreCase(peakSign.strip()) ? null : PeakSign.parse(peakSign);
  }
}
