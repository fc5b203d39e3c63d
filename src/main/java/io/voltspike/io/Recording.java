package io.voltspike.io;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One neuron's trace: voltage (indicator fluorescence) samples at a fixed rate, optionally with
 * ground-truth spike sample indices and descriptive metadata (simulated SNR, family, polarity).
 *
 * @param name unique name within its source: the file stem, plus {@code #i} for multi-neuron files
 * @param sampleRateHz samples per second
 * @param voltage the samples; NaN marks a missing sample
 * @param truth ground-truth spike sample indices (sorted, 0-based), or null when unknown
 * @param metadata free-form key/value facts (e.g. snr, family, polarity); never null
 */
public record Recording(
    String name, double sampleRateHz, float[] voltage, int[] truth, Map<String, String> metadata) {

  public Recording {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(voltage, "voltage");
    if (!(sampleRateHz > 0) || !Double.isFinite(sampleRateHz)) {
      throw new IllegalArgumentException("sample rate must be > 0 Hz, was " + sampleRateHz);
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public int length() {
    return voltage.length;
  }

  public double durationS() {
    return voltage.length / sampleRateHz;
  }

  /** Samples that are missing (NaN or infinite): imputed by the detectors, never a spike. */
  public int missingSamples() {
    int n = 0;
    for (float v : voltage) {
      if (!Float.isFinite(v)) {
        n++;
      }
    }
    return n;
  }

  public boolean hasTruth() {
    return truth != null;
  }

  public Optional<String> meta(String key) {
    return Optional.ofNullable(metadata.get(key));
  }

  public Recording withMetadata(Map<String, String> extra) {
    java.util.Map<String, String> m = new java.util.TreeMap<>(metadata);
    m.putAll(extra);
    return new Recording(name, sampleRateHz, voltage, truth, m);
  }

  /** Ground truth as a 0/1 label per sample (the poster's row 1). */
  public float[] truthLabels() {
    float[] labels = new float[voltage.length];
    if (truth != null) {
      for (int s : truth) {
        if (s >= 0 && s < labels.length) {
          labels[s] = 1f;
        }
      }
    }
    return labels;
  }
}
