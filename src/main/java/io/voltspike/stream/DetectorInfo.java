package io.voltspike.stream;

import io.voltspike.detect.Detectors;
import io.voltspike.detect.SpikeDetector;

/**
 * What a running detector job is, for its metrics and start-up line. Building it creates one
 * detector, so a missing or corrupt model, or a feature-hash mismatch, fails at start-up rather
 * than on the first record.
 *
 * @param provider the execution provider actually in use (cpu after a CUDA fallback)
 */
public record DetectorInfo(
    String detector, String modelVersion, String provider, double lookaheadMs, double strideMs) {

  public static DetectorInfo of(StreamSettings s, Detectors detectors) {
    SpikeDetector d = detectors.create(s.detector(), s.options());
    if (d.model() != null) {
      return new DetectorInfo(
          d.name(),
          d.model().version(),
          d.model().executionProvider(),
          s.options().unet().lookaheadMs(),
          s.options().unet().strideMs());
    }
    return new DetectorInfo(d.name(), "none", "none", 0, 0);
  }
}
