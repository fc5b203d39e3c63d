package io.voltspike.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.voltspike.stream.StreamStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Prometheus endpoint ({@code /metrics}) of a running detector, bound to loopback unless told
 * otherwise. Counters read the topology's own counters at scrape time; per-neuron labels are
 * avoided to keep cardinality flat.
 */
public final class MetricsServer implements AutoCloseable {
  private static volatile Histogram latency;
  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /** End-to-end detection latency (acquisition to readable event), where it is measured. */
  public static void observeLatencySeconds(double s) {
    Histogram h = latency;
    if (h != null) {
      h.observe(s);
    }
  }

  /**
   * @param bindAddress e.g. 127.0.0.1 (loopback, the default) or 0.0.0.0
   * @param port 0 picks a free port
   */
  public static MetricsServer start(
      String bindAddress, int port, double lookaheadMs, double strideMs, String model) {
    PrometheusRegistry r = new PrometheusRegistry();
    JvmMetrics.builder().register(r);
    counter(r, "voltspike_samples", "Samples ingested", StreamStats.SAMPLES);
    counter(r, "voltspike_chunks", "Chunks ingested", StreamStats.CHUNKS);
    counter(r, "voltspike_gap_samples", "Missing samples bridged as gaps", StreamStats.GAP_SAMPLES);
    counter(
        r, "voltspike_windows_inferred", "Windows run through the network", StreamStats.WINDOWS);
    counter(r, "voltspike_inference_batches", "ONNX Runtime calls", StreamStats.BATCHES);
    counter(r, "voltspike_spikes_emitted", "Spike events published", StreamStats.SPIKES);
    CounterWithCallback.builder()
        .name("voltspike_bad_records")
        .help("Records sent to the dead-letter topic (or repaired), by reason")
        .labelNames("reason")
        .callback(
            cb -> {
              for (Map.Entry<String, LongAdder> e : StreamStats.BAD_RECORDS.entrySet()) {
                cb.call(e.getValue().sum(), e.getKey());
              }
            })
        .register(r);
    GaugeWithCallback.builder()
        .name("voltspike_inference_batch_size")
        .help("Windows in the last ONNX Runtime call")
        .callback(cb -> cb.call(StreamStats.LAST_BATCH_SIZE.get()))
        .register(r);
    GaugeWithCallback.builder()
        .name("voltspike_lookahead_seconds")
        .help("Decision latency setting")
        .unit(Unit.SECONDS)
        .callback(cb -> cb.call(lookaheadMs / 1000.0))
        .register(r);
    GaugeWithCallback.builder()
        .name("voltspike_stride_seconds")
        .help("Window stride setting")
        .unit(Unit.SECONDS)
        .callback(cb -> cb.call(strideMs / 1000.0))
        .register(r);
    GaugeWithCallback.builder()
        .name("voltspike_model_info")
        .help("The model in use")
        .labelNames("model")
        .callback(cb -> cb.call(1, model))
        .register(r);
    latency =
        Histogram.builder()
            .name("voltspike_detection_latency_seconds")
            .help("Acquisition of the spike sample to a readable spike event")
            .unit(Unit.SECONDS)
            .classicUpperBounds(0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5)
            .register(r);
    try {
      return new MetricsServer(
          HTTPServer.builder().hostname(bindAddress).port(port).registry(r).buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
    }
  }

  private static void counter(PrometheusRegistry r, String name, String help, LongAdder a) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(a.sum()))
        .register(r);
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
