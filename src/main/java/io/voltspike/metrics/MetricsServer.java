package io.voltspike.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.voltspike.stream.DetectorInfo;
import io.voltspike.stream.StreamStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Prometheus endpoint ({@code /metrics}) of a running detector, bound to loopback unless told
 * otherwise. VoltSpike's counters are read from the topology's own counters at scrape time; timings
 * are histograms fed through {@link StreamStats.Observer}; Kafka Streams' client metrics are
 * bridged by Micrometer onto the same registry. Only the spike counter is per neuron (the live
 * raster needs it), and it can be turned off.
 */
public final class MetricsServer implements AutoCloseable {
  /** Latency stages: handed to the producer, and readable by a consumer (where measured). */
  public static final String EMITTED = "emitted";

  public static final String READABLE = "readable";

  private final HTTPServer server;
  private final PrometheusRegistry registry;
  private final StreamStats stats;
  private final Histogram latency;
  private KafkaStreamsMetrics streamsMetrics;
  private final java.util.concurrent.atomic.AtomicReference<KafkaStreams> streams;
  private ScheduledExecutorService refresher;

  private MetricsServer(
      HTTPServer server,
      PrometheusRegistry registry,
      StreamStats stats,
      Histogram latency,
      java.util.concurrent.atomic.AtomicReference<KafkaStreams> streams) {
    this.streams = streams;
    this.server = server;
    this.registry = registry;
    this.stats = stats;
    this.latency = latency;
  }

  /** End-to-end latency (acquisition to readable spike event), where a consumer measures it. */
  public void observeLatencySeconds(double s) {
    latency.labelValues(READABLE).observe(s);
  }

  /**
   * @param bindAddress e.g. 127.0.0.1 (loopback, the default) or 0.0.0.0
   * @param port 0 picks a free port
   * @param perNeuron whether spikes are also counted per neuron (one series per neuron)
   * @param stats the counters of the detector this endpoint serves
   */
  public static MetricsServer start(
      String bindAddress, int port, DetectorInfo info, boolean perNeuron, StreamStats stats) {
    PrometheusRegistry r = new PrometheusRegistry();
    JvmMetrics.builder().register(r);
    counter(r, "voltspike_samples", "Samples ingested", stats.samples);
    counter(r, "voltspike_chunks", "Chunks ingested", stats.chunks);
    counter(r, "voltspike_gaps", "Gaps in a neuron's sample indices", stats.gaps);
    counter(
        r,
        "voltspike_sessions_ended",
        "Sessions ended (end_of_session or idle) and their state deleted",
        stats.sessionsEnded);
    counter(
        r,
        "voltspike_sessions_expired",
        "Sessions ended because they went idle for session_idle_s",
        stats.sessionsExpired);
    counter(r, "voltspike_gap_samples", "Missing samples bridged as gaps", stats.gapSamples);
    counter(
        r,
        "voltspike_missing_samples",
        "NaN, infinite or null samples, held and flagged",
        stats.missingSamples);
    counter(
        r,
        "voltspike_clamped_samples",
        "Samples beyond the feature extractor's range (artefacts), clamped",
        stats.clampedSamples);
    counter(r, "voltspike_windows_inferred", "Windows run through the network", stats.windows);
    counter(r, "voltspike_inference_batches", "ONNX Runtime calls", stats.batches);
    counter(r, "voltspike_spikes_emitted", "Spike events published", stats.spikes);
    counter(
        r,
        "voltspike_stream_thread_replacements",
        "Stream threads replaced after a retriable Kafka error (a non-retriable one stops the job)",
        stats.threadReplacements);
    labelled(
        r,
        "voltspike_bad_records",
        "Records sent to the dead-letter topic (or repaired), by reason",
        "reason",
        stats.badRecords);
    labelled(
        r,
        "voltspike_already_processed_chunks",
        "Chunks whose samples were all processed before (replay after a recovery, duplicates),"
            + " skipped",
        "kind",
        stats.alreadyProcessed);
    if (perNeuron) {
      labelled(
          r,
          "voltspike_neuron_spikes",
          "Spike events published, per neuron (the live raster)",
          "neuron",
          stats.neuronSpikes);
    }
    GaugeWithCallback.builder()
        .name("voltspike_inference_last_batch_windows")
        .help("Windows in the last ONNX Runtime call")
        .callback(cb -> cb.call(stats.lastBatchSize.get()))
        .register(r);
    GaugeWithCallback.builder()
        .name("voltspike_lookahead_seconds")
        .help("Decision latency setting")
        .unit(Unit.SECONDS)
        .callback(cb -> cb.call(info.lookaheadMs() / 1000.0))
        .register(r);
    GaugeWithCallback.builder()
        .name("voltspike_stride_seconds")
        .help("Window stride setting")
        .unit(Unit.SECONDS)
        .callback(cb -> cb.call(info.strideMs() / 1000.0))
        .register(r);
    GaugeWithCallback.builder()
        .name("voltspike_model_info")
        .help("The detector and model in use")
        .labelNames("detector", "version", "provider")
        .callback(cb -> cb.call(1, info.detector(), info.modelVersion(), info.provider()))
        .register(r);
    Histogram batch =
        Histogram.builder()
            .name("voltspike_inference_batch_windows")
            .help("Windows per ONNX Runtime call")
            .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256)
            .register(r);
    Histogram inference =
        Histogram.builder()
            .name("voltspike_inference_duration_seconds")
            .help("Duration of one ONNX Runtime call")
            .unit(Unit.SECONDS)
            .classicUpperBounds(
                0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25)
            .register(r);
    Histogram latency =
        Histogram.builder()
            .name("voltspike_detection_latency_seconds")
            .help(
                "Acquisition of the spike's sample to the spike event: handed to the producer"
                    + " (stage=emitted) or read by a consumer (stage=readable)")
            .unit(Unit.SECONDS)
            .labelNames("stage")
            .classicUpperBounds(0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5)
            .register(r);
    Histogram lat = latency;
    stats.observer(
        new StreamStats.Observer() {
          @Override
          public void inference(int windows, long nanos) {
            batch.observe(windows);
            inference.observe(nanos / 1e9);
          }

          @Override
          public void emitted(long micros) {
            lat.labelValues(EMITTED).observe(Math.max(0, micros) / 1e6);
          }
        });
    java.util.concurrent.atomic.AtomicReference<KafkaStreams> bound =
        new java.util.concurrent.atomic.AtomicReference<>();
    GaugeWithCallback.builder()
        .name("voltspike_consumer_lag_records")
        .help("Records of the input topics not yet consumed by this instance, per topic")
        .labelNames("topic")
        .callback(
            cb -> {
              KafkaStreams ks = bound.get();
              if (ks != null) {
                for (Map.Entry<String, Double> e : lagByTopic(ks.metrics()).entrySet()) {
                  cb.call(e.getValue(), e.getKey());
                }
              }
            })
        .register(r);
    try {
      return new MetricsServer(
          HTTPServer.builder().hostname(bindAddress).port(port).registry(r).buildAndStart(),
          r,
          stats,
          latency,
          bound);
    } catch (IOException e) {
      stats.observer(null);
      throw new UncheckedIOException(
          "cannot serve metrics on " + bindAddress + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds the Kafka Streams client's own metrics (bridged by Micrometer: {@code kafka_stream_*},
   * {@code kafka_consumer_*}, {@code kafka_producer_*}) and the input lag, summed per topic, as
   * {@code voltspike_consumer_lag_records}.
   */
  public void bind(KafkaStreams streams) {
    PrometheusMeterRegistry micrometer =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry, Clock.SYSTEM);
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "metrics-refresh");
              t.setDaemon(true);
              return t;
            });
    streamsMetrics = new KafkaStreamsMetrics(streams, List.of(), refresher, Duration.ofSeconds(5));
    streamsMetrics.bindTo(micrometer);
    this.streams.set(streams);
  }

  /** What a scrape of this endpoint returns now (the reference lists the metrics from it). */
  public io.prometheus.metrics.model.snapshots.MetricSnapshots scrape() {
    return registry.scrape();
  }

  /**
   * The main consumer's per-partition {@code records-lag}, summed per topic (unknown lag skipped).
   */
  static Map<String, Double> lagByTopic(Map<MetricName, ? extends Metric> metrics) {
    Map<String, Double> out = new TreeMap<>();
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals("records-lag")
          && n.group().equals("consumer-fetch-manager-metrics")
          && n.tags().containsKey("topic")
          && n.tags().containsKey("partition")
          && !n.tags().getOrDefault("client-id", "").contains("restore-consumer")) {
        Object v = e.getValue().metricValue();
        if (v instanceof Number x && Double.isFinite(x.doubleValue())) {
          out.merge(n.tags().get("topic"), x.doubleValue(), Double::sum);
        }
      }
    }
    // Kafka also registers each dotted topic name with '_' for '.' (a deprecated alias)
    out.keySet()
        .removeIf(
            t ->
                out.keySet().stream().anyMatch(o -> !o.equals(t) && o.replace('.', '_').equals(t)));
    return out;
  }

  private static void counter(PrometheusRegistry r, String name, String help, LongAdder a) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(a.sum()))
        .register(r);
  }

  private static void labelled(
      PrometheusRegistry r, String name, String help, String label, Map<String, LongAdder> m) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(label)
        .callback(
            cb -> {
              for (Map.Entry<String, LongAdder> e : m.entrySet()) {
                cb.call(e.getValue().sum(), e.getKey());
              }
            })
        .register(r);
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    stats.observer(null);
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    if (refresher != null) {
      refresher.shutdownNow();
    }
    server.close();
  }
}
