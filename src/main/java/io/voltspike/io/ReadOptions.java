package io.voltspike.io;

/**
 * How to read formats that do not carry everything themselves.
 *
 * @param sampleRateHz rate for formats without timing (NPY); ignored where the file states one
 * @param dataset NWB: the TimeSeries group (or its data) to read; null picks the only one
 */
public record ReadOptions(double sampleRateHz, String dataset) {
  public static final double DEFAULT_SAMPLE_RATE_HZ = 1000.0;

  public static ReadOptions defaults() {
    return new ReadOptions(DEFAULT_SAMPLE_RATE_HZ, null);
  }
}
