package io.voltspike.cli;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.UNetOptions;
import io.voltspike.stream.StreamSettings;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The built-in defaults of options whose values belong to the detector or the stream job, taken
 * from their own option records ({@link DetectorOptions#defaults()}, {@link
 * UNetOptions#defaults()}, {@link StreamSettings#defaults()}), so the library, the stream and the
 * CLI cannot drift apart: those options carry no default of their own. Options that exist only on
 * the command line keep theirs in their annotation; {@code config/voltspike.properties} documents
 * both, checked against them by a test.
 */
public final class BuiltInDefaults {
  private BuiltInDefaults() {}

  /** Configuration key to built-in default, as picocli reads option values. */
  public static Map<String, String> all() {
    Map<String, String> m = detector();
    StreamSettings s = StreamSettings.defaults();
    m.put("detector", s.detector());
    m.put("batch_wait_ms", Long.toString(s.batchWaitMs()));
    m.put("session_idle_s", number(s.sessionIdleMs() / 1000.0));
    return m;
  }

  /** The detector's options only. */
  public static Map<String, String> detector() {
    DetectorOptions d = DetectorOptions.defaults();
    UNetOptions u = d.unet();
    Map<String, String> m = new TreeMap<>();
    m.put("detect_threshold", number(d.detectThreshold()));
    m.put("refractory_ms", number(d.refractoryMs()));
    m.put("operating_point", d.operatingPoint().label());
    m.put("model", u.modelPath().toString().replace('\\', '/'));
    m.put("provider", u.provider());
    m.put("stride_ms", number(u.strideMs()));
    m.put("lookahead_ms", Double.isInfinite(u.lookaheadMs()) ? "full" : number(u.lookaheadMs()));
    m.put("edge_ms", number(u.edgeMs()));
    m.put(
        "probability_threshold",
        u.usesModelThreshold() ? "model" : number(u.probabilityThreshold()));
    m.put("shadow_ms", number(u.shadowMs()));
    m.put("min_height_sd", number(u.minHeightSd()));
    m.put("min_evidence_sd", number(u.minEvidenceSd()));
    m.put("oscillation_trough_ratio", number(u.oscillationTroughRatio()));
    m.put("batch_size", Integer.toString(u.batchSize()));
    return m;
  }

  /** 10.0 as "10", 3.5 as "3.5": how the values are written in the configuration file. */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%s", v);
  }
}
