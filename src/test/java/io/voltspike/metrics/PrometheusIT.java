package io.voltspike.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voltspike.cli.Main;
import io.voltspike.stream.EmbeddedBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package; {@code .ci/run} installs it) scrapes the running demo, and
 * every query of every shipped dashboard panel must return data.
 */
class PrometheusIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;

  @Test
  void everyDashboardQueryReturnsDataFromPrometheusScrapingTheDemo() throws Exception {
    Path prometheus = prometheusBinary();
    List<Dashboards.Query> queries = Dashboards.queries();
    assertTrue(queries.size() >= 10, "dashboard queries: " + queries.size());
    int metricsPort = EmbeddedBroker.freePort();
    int promPort = EmbeddedBroker.freePort();

    StringWriter demoOut = new StringWriter();
    int[] demoExit = {-1};
    Thread demo =
        new Thread(
            () ->
                demoExit[0] =
                    Main.run(
                        new String[] {
                          "demo",
                          "--neurons",
                          "4",
                          "--duration-s",
                          "50",
                          "--profile",
                          "low-latency",
                          "--metrics-port",
                          Integer.toString(metricsPort)
                        },
                        new PrintWriter(demoOut, true),
                        new PrintWriter(demoOut, true)),
            "demo");
    demo.start();

    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "scrape_configs:\n  - job_name: voltspike\n    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + metricsPort
            + "']\n");
    Process prom =
        new ProcessBuilder(
                prometheus.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + promPort,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    long pid = prom.pid();
    try {
      String base = "http://127.0.0.1:" + promPort;
      waitFor(() -> get(base + "/-/ready").statusCode() == 200, Duration.ofSeconds(30), "ready");
      // until every query has data (the first scrape and two points for rate() take a while)
      List<Dashboards.Query> empty = new ArrayList<>(queries);
      long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
      while (!empty.isEmpty() && System.nanoTime() < deadline) {
        empty.removeIf(q -> resultCount(base, q.expr()) > 0);
        if (!empty.isEmpty()) {
          Thread.sleep(1000);
        }
      }
      if (!empty.isEmpty()) {
        StringBuilder sb = new StringBuilder("panels without data:");
        for (Dashboards.Query q : empty) {
          sb.append("\n  ").append(q.panel()).append(": ").append(q.expr());
        }
        sb.append("\nprometheus log:\n").append(Files.readString(dir.resolve("prometheus.log")));
        fail(sb.toString());
      }
      // and the scrape target is up
      assertTrue(resultCount(base, "up{job=\"voltspike\"} == 1") == 1, "target up");
    } finally {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      h.ifPresent(ProcessHandle::destroy);
      if (!prom.waitFor(10, TimeUnit.SECONDS)) {
        h.ifPresent(ProcessHandle::destroyForcibly);
      }
      demo.join(Duration.ofSeconds(120).toMillis());
    }
    assertEquals(0, demoExit[0], demoOut.toString());
    assertTrue(demoOut.toString().contains("summary:"), demoOut.toString());
  }

  static Path prometheusBinary() {
    String env = System.getenv("VOLTSPIKE_PROMETHEUS");
    Path p = Path.of(env != null ? env : "/usr/bin/prometheus");
    if (!Files.isExecutable(p)) {
      fail(
          "Prometheus not found at "
              + p
              + ": install Debian's package (apt-get install prometheus; .ci/run does) or set"
              + " VOLTSPIKE_PROMETHEUS");
    }
    return p;
  }

  static int resultCount(String base, String expr) {
    try {
      HttpResponse<String> r =
          get(base + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
      JsonNode j = new ObjectMapper().readTree(r.body());
      if (!"success".equals(j.path("status").asText())) {
        fail("query failed: " + expr + ": " + r.body());
      }
      return j.path("data").path("result").size();
    } catch (IOException e) {
      return 0;
    }
  }

  static HttpResponse<String> get(String url) throws IOException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void waitFor(Check c, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (c.ok()) {
          return;
        }
      } catch (Exception e) {
        // not yet
      }
      Thread.sleep(200);
    }
    fail("timed out waiting for " + what);
  }
}
