package io.voltspike.detect;

import java.nio.file.Path;

/**
 * Settings of the U-Net detector's windowing and post-processing.
 *
 * @param modelPath the ONNX model file
 * @param provider "cpu" or "cuda"
 * @param strideMs a 100 ms window starts every stride
 * @param lookaheadMs a sample's decision is final once this much later signal has arrived (the
 *     detector's whole decision latency: feature delay, windows and shadowing included); {@code
 *     Double.POSITIVE_INFINITY} waits for every window that covers the sample ("full context")
 * @param edgeMs each window's first and last edge ms are pruned from the average (used only where
 *     no window covers a sample with its interior)
 * @param probabilityThreshold averaged probability above which a sample is a spike candidate;
 *     {@link #MODEL_THRESHOLD} (NaN) takes the operating point recorded in the model
 * @param shadowMs confidence-based shadowing radius: within it only the most probable candidate
 *     stays a spike
 * @param batchSize most windows per ONNX Runtime call
 * @param minHeightSd per-neuron calibration: a candidate must stand at least this many robust
 *     standard deviations of the neuron's own high-pass channel above zero (within a sample of it);
 *     0 turns the floor off
 * @param minEvidenceSd a candidate below the height floor still passes when the neuron's whitened
 *     evidence ({@link WhitenedEvidence}) reaches this many robust sd within a sample of it: a
 *     spike on a slow wave or a plateau stands out of the whitened trace though its high-pass
 *     height is small; 0 turns it off
 * @param oscillationTroughRatio the oscillation veto: a candidate whose high-pass peak is broad
 *     (still {@link UNetDetector#OSCILLATION_WIDTH_RATIO} of its height 3 ms before or after it)
 *     and preceded within 25 ms by a trough reaching this fraction of its height below zero is the
 *     crest of an oscillation, not a spike (a 1-3 ms spike is narrow, and a lone one has no trough
 *     of its own size before it); 0 turns it off
 */
public record UNetOptions(
    Path modelPath,
    String provider,
    double strideMs,
    double lookaheadMs,
    double edgeMs,
    double probabilityThreshold,
    double shadowMs,
    int batchSize,
    double minHeightSd,
    double minEvidenceSd,
    double oscillationTroughRatio) {

  public static final Path DEFAULT_MODEL = Path.of("models", "voltspike-unet-whitened.onnx");

  /** The default height floor, in robust sd of the neuron's high-pass channel. */
  public static final double DEFAULT_MIN_HEIGHT_SD = 3.0;

  /** The default evidence that lets a candidate below the height floor pass, in robust sd. */
  public static final double DEFAULT_MIN_EVIDENCE_SD = 4.0;

  /** The default oscillation veto: a trough before the peak of 0.6 of its height. */
  public static final double DEFAULT_OSCILLATION_TROUGH_RATIO = 0.6;

  /** "Use the model's own threshold" (chosen on validation data when it was trained). */
  public static final double MODEL_THRESHOLD = Double.NaN;

  public UNetOptions {
    if (!(strideMs > 0)) {
      throw new IllegalArgumentException("stride_ms must be > 0, was " + strideMs);
    }
    if (!(lookaheadMs > 0)) {
      throw new IllegalArgumentException("lookahead_ms must be > 0 (or full), was " + lookaheadMs);
    }
    if (!(edgeMs >= 0)) {
      throw new IllegalArgumentException("edge_ms must be >= 0, was " + edgeMs);
    }
    if (!Double.isNaN(probabilityThreshold)
        && !(probabilityThreshold > 0 && probabilityThreshold < 1)) {
      throw new IllegalArgumentException(
          "probability_threshold must be in (0, 1) or 'model', was " + probabilityThreshold);
    }
    if (!(shadowMs > 0)) {
      throw new IllegalArgumentException("shadow_ms must be > 0, was " + shadowMs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch_size must be >= 1, was " + batchSize);
    }
    if (!(minHeightSd >= 0) || !Double.isFinite(minHeightSd)) {
      throw new IllegalArgumentException("min_height_sd must be >= 0, was " + minHeightSd);
    }
    if (!(minEvidenceSd >= 0) || !Double.isFinite(minEvidenceSd)) {
      throw new IllegalArgumentException("min_evidence_sd must be >= 0, was " + minEvidenceSd);
    }
    if (!(oscillationTroughRatio >= 0) || !Double.isFinite(oscillationTroughRatio)) {
      throw new IllegalArgumentException(
          "oscillation_trough_ratio must be >= 0, was " + oscillationTroughRatio);
    }
  }

  public static UNetOptions defaults() {
    return new UNetOptions(
        DEFAULT_MODEL,
        "cpu",
        10,
        20,
        10,
        MODEL_THRESHOLD,
        2,
        64,
        DEFAULT_MIN_HEIGHT_SD,
        DEFAULT_MIN_EVIDENCE_SD,
        DEFAULT_OSCILLATION_TROUGH_RATIO);
  }

  /** True when the threshold comes from the model. */
  public boolean usesModelThreshold() {
    return Double.isNaN(probabilityThreshold);
  }

  public UNetOptions withProbabilityThreshold(double t) {
    return new UNetOptions(
        modelPath,
        provider,
        strideMs,
        lookaheadMs,
        edgeMs,
        t,
        shadowMs,
        batchSize,
        minHeightSd,
        minEvidenceSd,
        oscillationTroughRatio);
  }

  /** Parses a probability threshold: a number in (0, 1), or "model". */
  public static double parseProbabilityThreshold(String s) {
    if (s.strip().equalsIgnoreCase("model")) {
      return MODEL_THRESHOLD;
    }
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "probability_threshold must be a number in (0, 1) or 'model', was " + s);
    }
  }

  public UNetOptions withStrideMs(double ms) {
    return new UNetOptions(
        modelPath,
        provider,
        ms,
        lookaheadMs,
        edgeMs,
        probabilityThreshold,
        shadowMs,
        batchSize,
        minHeightSd,
        minEvidenceSd,
        oscillationTroughRatio);
  }

  public UNetOptions withLookaheadMs(double ms) {
    return new UNetOptions(
        modelPath,
        provider,
        strideMs,
        ms,
        edgeMs,
        probabilityThreshold,
        shadowMs,
        batchSize,
        minHeightSd,
        minEvidenceSd,
        oscillationTroughRatio);
  }

  public UNetOptions withModel(Path path) {
    return new UNetOptions(
        path,
        provider,
        strideMs,
        lookaheadMs,
        edgeMs,
        probabilityThreshold,
        shadowMs,
        batchSize,
        minHeightSd,
        minEvidenceSd,
        oscillationTroughRatio);
  }

  public UNetOptions withMinHeightSd(double sd) {
    return new UNetOptions(
        modelPath,
        provider,
        strideMs,
        lookaheadMs,
        edgeMs,
        probabilityThreshold,
        shadowMs,
        batchSize,
        sd,
        minEvidenceSd,
        oscillationTroughRatio);
  }

  public UNetOptions withMinEvidenceSd(double sd) {
    return new UNetOptions(
        modelPath,
        provider,
        strideMs,
        lookaheadMs,
        edgeMs,
        probabilityThreshold,
        shadowMs,
        batchSize,
        minHeightSd,
        sd,
        oscillationTroughRatio);
  }

  public UNetOptions withOscillationTroughRatio(double ratio) {
    return new UNetOptions(
        modelPath,
        provider,
        strideMs,
        lookaheadMs,
        edgeMs,
        probabilityThreshold,
        shadowMs,
        batchSize,
        minHeightSd,
        minEvidenceSd,
        ratio);
  }

  public UNetOptions withBatchSize(int n) {
    return new UNetOptions(
        modelPath,
        provider,
        strideMs,
        lookaheadMs,
        edgeMs,
        probabilityThreshold,
        shadowMs,
        n,
        minHeightSd,
        minEvidenceSd,
        oscillationTroughRatio);
  }

  /** Parses a lookahead: milliseconds, or "full". */
  public static double parseLookahead(String s) {
    if (s.strip().equalsIgnoreCase("full")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("lookahead_ms must be a number of ms or 'full', was " + s);
    }
  }
}
