package io.voltspike.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.stream.DetectorInfo;
import io.voltspike.stream.StreamStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  @Test
  void servesTheDetectorMetricsOnLoopback() throws Exception {
    StreamStats stats = new StreamStats();
    stats.samples.add(1234);
    stats.alreadyProcessed.get("duplicate").increment();
    DetectorInfo info = new DetectorInfo("unet", "v7", "cpu", 20, 10);
    try (MetricsServer m = MetricsServer.start("127.0.0.1", 0, info, true, stats)) {
      m.observeLatencySeconds(0.042);
      stats.spike("n-17", 30_000);
      stats.inference(48, 1_500_000);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      String body = r.body();
      for (String name :
          new String[] {
            "voltspike_samples_total 1234",
            "voltspike_chunks_total 0",
            "voltspike_bad_records_total{reason=\"after_end\"} 0",
            "voltspike_already_processed_chunks_total{kind=\"duplicate\"} 1",
            "voltspike_windows_inferred_total 48",
            "voltspike_spikes_emitted_total 1",
            "voltspike_inference_last_batch_windows 48",
            "voltspike_inference_batch_windows_bucket{le=\"64.0\"} 1",
            "voltspike_inference_duration_seconds_bucket{le=\"0.0025\"} 1",
            "voltspike_neuron_spikes_total{neuron=\"n-17\"} 1",
            "voltspike_gaps_total",
            "voltspike_sessions_ended_total",
            "voltspike_sessions_expired_total",
            "voltspike_detection_latency_seconds_bucket{stage=\"emitted\",le=\"0.03\"} 1",
            "voltspike_detection_latency_seconds_bucket{stage=\"readable\",le=\"0.05\"} 1",
            "voltspike_lookahead_seconds 0.02",
            "voltspike_stride_seconds 0.01",
            "voltspike_model_info{detector=\"unet\",provider=\"cpu\",version=\"v7\"} 1",
            "voltspike_detection_latency_seconds_bucket",
            "jvm_memory_used_bytes"
          }) {
        assertTrue(served(body, name), name + " missing");
      }
      assertTrue(body.matches("(?s).*voltspike_samples_total \\d.*"));
      // a value must match exactly: "... 1" is not "... 12"
      assertTrue(!served("x_total{a=\"b\"} 12.0\n", "x_total{a=\"b\"} 1"));
      assertTrue(served("x_total{a=\"b\"} 1.0\n", "x_total{a=\"b\"} 1"));
    }
  }

  @Test
  void perNeuronSeriesCanBeTurnedOff() throws Exception {
    StreamStats stats = new StreamStats();
    stats.spike("n-18", 1000);
    try (MetricsServer m =
        MetricsServer.start(
            "127.0.0.1", 0, new DetectorInfo("unet", "v", "cpu", 20, 10), false, stats)) {
      String body = scrape(m.port());
      assertTrue(body.contains("voltspike_spikes_emitted_total"));
      assertTrue(!body.contains("voltspike_neuron_spikes_total"), "per-neuron series served");
    }
  }

  @Test
  void twoDetectorsInOneJvmKeepTheirOwnCounts() throws Exception {
    StreamStats a = new StreamStats();
    StreamStats b = new StreamStats();
    a.samples.add(7);
    a.bad(io.voltspike.stream.DeadLetterReason.NAN_ONLY);
    DetectorInfo info = new DetectorInfo("unet", "v", "cpu", 20, 10);
    try (MetricsServer ma = MetricsServer.start("127.0.0.1", 0, info, false, a);
        MetricsServer mb = MetricsServer.start("127.0.0.1", 0, info, false, b)) {
      String bodyA = scrape(ma.port());
      String bodyB = scrape(mb.port());
      assertTrue(served(bodyA, "voltspike_samples_total 7"), bodyA);
      assertTrue(served(bodyA, "voltspike_bad_records_total{reason=\"nan_only\"} 1"));
      assertTrue(served(bodyB, "voltspike_samples_total 0"), bodyB);
      assertTrue(served(bodyB, "voltspike_bad_records_total{reason=\"nan_only\"} 0"));
    }
  }

  @Test
  void lagIsSummedPerTopicFromTheMainConsumersPartitions() {
    Map<MetricName, Metric> m = new HashMap<>();
    put(m, "records-lag", "main-consumer", "in", "0", 5.0);
    put(m, "records-lag", "main-consumer", "in", "1", 7.0);
    put(m, "records-lag", "main-consumer", "in", "2", Double.NaN);
    put(m, "records-lag", "main-consumer", "other", "0", 1.0);
    put(m, "records-lag", "main-consumer", "in.x", "0", 3.0);
    put(m, "records-lag", "main-consumer", "in_x", "0", 3.0);
    put(m, "records-lag", "x-restore-consumer", "in", "0", 100.0);
    put(m, "records-lag-max", "main-consumer", "in", "0", 50.0);
    assertEquals(Map.of("in", 12.0, "other", 1.0, "in.x", 3.0), MetricsServer.lagByTopic(m));
  }

  private static void put(
      Map<MetricName, Metric> m, String name, String client, String topic, String part, double v) {
    MetricName n =
        new MetricName(
            name,
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", client, "topic", topic, "partition", part));
    m.put(
        n,
        new Metric() {
          @Override
          public MetricName metricName() {
            return n;
          }

          @Override
          public Object metricValue() {
            return v;
          }
        });
  }

  /**
   * Whether the exposition has {@code expected}: a metric name (followed by labels or a value), or
   * a whole sample line ending in its value (1 matches 1 or 1.0, never 10 or 12).
   */
  static boolean served(String body, String expected) {
    String q = java.util.regex.Pattern.quote(expected);
    String re =
        Character.isDigit(expected.charAt(expected.length() - 1))
            ? "(?m)^" + q + "(\\.0+)?$"
            : "(?m)^" + q + "[{ _]";
    return java.util.regex.Pattern.compile(re).matcher(body).find();
  }

  static String scrape(int port) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
