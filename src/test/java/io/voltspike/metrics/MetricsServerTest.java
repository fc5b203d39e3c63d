package io.voltspike.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.stream.StreamStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  @Test
  void servesTheDetectorMetricsOnLoopback() throws Exception {
    StreamStats.SAMPLES.add(1234);
    StreamStats.bad("duplicate");
    try (MetricsServer m = MetricsServer.start("127.0.0.1", 0, 20, 10, "models/x.onnx")) {
      MetricsServer.observeLatencySeconds(0.042);
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
            "voltspike_samples_total",
            "voltspike_chunks_total",
            "voltspike_bad_records_total{reason=\"duplicate\"}",
            "voltspike_windows_inferred_total",
            "voltspike_spikes_emitted_total",
            "voltspike_inference_batch_size",
            "voltspike_lookahead_seconds 0.02",
            "voltspike_stride_seconds 0.01",
            "voltspike_model_info{model=\"models/x.onnx\"} 1",
            "voltspike_detection_latency_seconds_bucket",
            "jvm_memory_used_bytes"
          }) {
        assertTrue(body.contains(name), name + " missing");
      }
      assertTrue(body.matches("(?s).*voltspike_samples_total \\d.*"));
    }
  }
}
