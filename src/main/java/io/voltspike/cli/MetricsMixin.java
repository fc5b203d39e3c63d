package io.voltspike.cli;

import io.voltspike.metrics.MetricsServer;
import io.voltspike.stream.DetectorInfo;
import io.voltspike.stream.StreamStats;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Where the Prometheus endpoint of a streaming job listens. */
public final class MetricsMixin {
  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      description = "Serve Prometheus /metrics on this port (0: off). Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(
      names = "--metrics-bind",
      defaultValue = "127.0.0.1",
      description =
          "Address of the metrics endpoint; loopback unless you open it (e.g. 0.0.0.0 in a"
              + " container). Default: ${DEFAULT-VALUE}.")
  String metricsBind;

  @Option(
      names = "--metrics-per-neuron",
      defaultValue = "true",
      arity = "1",
      description =
          "Also count spikes per neuron (one series per neuron, for the live raster)."
              + " Default: ${DEFAULT-VALUE}.")
  boolean metricsPerNeuron;

  /** The started endpoint, or null when turned off; its address is printed. */
  public MetricsServer start(DetectorInfo info, StreamStats stats, PrintWriter out) {
    if (metricsPort <= 0) {
      return null;
    }
    MetricsServer m = MetricsServer.start(metricsBind, metricsPort, info, metricsPerNeuron, stats);
    out.printf(Locale.ROOT, "metrics on http://%s:%d/metrics%n", metricsBind, m.port());
    out.flush();
    return m;
  }
}
