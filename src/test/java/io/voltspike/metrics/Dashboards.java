package io.voltspike.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Grafana dashboards shipped under {@code grafana/dashboards}, read as the tests need them. */
final class Dashboards {
  static final Path DIR = Path.of("grafana", "dashboards");

  /** One panel query. */
  record Query(String dashboard, String panel, String datasourceUid, String expr) {}

  private Dashboards() {}

  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  static JsonNode read(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  /** Every target of every panel (rows' nested panels included). */
  static List<Query> queries() throws IOException {
    List<Query> out = new ArrayList<>();
    for (Path f : files()) {
      JsonNode d = read(f);
      collect(d.path("title").asText(), d.path("panels"), out);
    }
    return out;
  }

  private static void collect(String dash, JsonNode panels, List<Query> out) {
    for (JsonNode p : panels) {
      collect(dash, p.path("panels"), out);
      for (JsonNode t : p.path("targets")) {
        JsonNode ds = t.has("datasource") ? t.path("datasource") : p.path("datasource");
        out.add(
            new Query(
                dash, p.path("title").asText(), ds.path("uid").asText(), t.path("expr").asText()));
      }
    }
  }
}
