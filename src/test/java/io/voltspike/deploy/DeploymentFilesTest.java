package io.voltspike.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.voltspike.cli.Main;
import io.voltspike.stream.StreamSettings;
import io.voltspike.stream.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * No Docker engine runs here, so the stack's files are checked against the project instead: the
 * services' commands parse as VoltSpike commands, topic names and ports agree across Kafka, the
 * detector, Prometheus and Grafana, and every mounted or copied file exists.
 */
class DeploymentFilesTest {
  static final Path DOCKER = Path.of("docker");
  static JsonNode compose;
  static JsonNode services;

  @BeforeAll
  static void read() throws Exception {
    compose = yaml(DOCKER.resolve("docker-compose.yml"));
    services = compose.path("services");
  }

  static JsonNode yaml(Path p) throws Exception {
    return new ObjectMapper(new YAMLFactory()).readTree(p.toFile());
  }

  static List<String> list(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  /** The internal listener's host:port that other containers use. */
  static String internalBootstrap() {
    String adv =
        services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
    for (String l : adv.split(",")) {
      if (l.startsWith("INTERNAL://")) {
        return l.substring("INTERNAL://".length());
      }
    }
    throw new AssertionError("no INTERNAL listener in " + adv);
  }

  @Test
  void theStackHasEveryService() {
    Set<String> names = new TreeSet<>();
    services.fieldNames().forEachRemaining(names::add);
    assertEquals(Set.of("kafka", "kafka-init", "detector", "rig", "prometheus", "grafana"), names);
    assertTrue(services.path("kafka").path("image").asText().startsWith("apache/kafka:"));
    assertTrue(
        services
            .path("kafka")
            .path("environment")
            .path("KAFKA_PROCESS_ROLES")
            .asText()
            .contains("controller"),
        "KRaft");
  }

  @Test
  void theBrokerAllowsTheDetectorsFastFailover() {
    JsonNode env = services.path("kafka").path("environment");
    int minSession = env.path("KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS").asInt(6000);
    assertTrue(
        minSession <= io.voltspike.stream.GroupTimeouts.PREFERRED_SESSION_MS,
        "group.min.session.timeout.ms " + minSession + " refuses the detector's session timeout");
    int abortCheck =
        env.path("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS").asInt(10000);
    assertTrue(abortCheck <= 1000, "transaction abort check every " + abortCheck + " ms");
  }

  @Test
  void topicCreationMatchesTheDetectorsTopics() {
    String script = String.join("\n", list(services.path("kafka-init").path("command")));
    Matcher m = Pattern.compile("for t in ([^;]+);").matcher(script);
    assertTrue(m.find(), script);
    Set<String> created = new TreeSet<>(List.of(m.group(1).trim().split("\\s+")));
    StreamSettings d = StreamSettings.defaults();
    assertEquals(
        new TreeSet<>(List.of(Topics.SAMPLES, d.framesTopic(), Topics.SPIKES, Topics.DEAD_LETTER)),
        created);
    assertTrue(script.contains("--bootstrap-server " + internalBootstrap()), script);
  }

  @Test
  void detectorCommandParsesAndItsMetricsPortIsScraped() throws Exception {
    List<String> args = list(services.path("detector").path("command"));
    CommandLine.ParseResult r = parse(args);
    assertEquals("run", r.subcommand().commandSpec().name());
    CommandLine.ParseResult run = r.subcommand();
    assertEquals(internalBootstrap(), run.matchedOptionValue("--bootstrap-servers", ""));
    assertEquals("0.0.0.0", run.matchedOptionValue("--metrics-bind", ""));
    int port = run.matchedOptionValue("--metrics-port", -1);
    JsonNode prom = yaml(DOCKER.resolve("prometheus.yml"));
    List<String> targets =
        list(prom.path("scrape_configs").get(0).path("static_configs").get(0).path("targets"));
    assertEquals(List.of("detector:" + port), targets);
    String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
    assertTrue(dockerfile.contains("EXPOSE " + port), "Dockerfile exposes the metrics port");
    // the state volume is where the image keeps state
    assertTrue(run.matchedOptionValue("--state-dir", Path.of("")).startsWith("/var/lib/voltspike"));
  }

  @Test
  void rigCommandsParse() {
    String script = String.join("\n", list(services.path("rig").path("command")));
    int n = 0;
    for (String line : script.split("\n")) {
      line = line.strip();
      if (line.startsWith("/opt/voltspike/bin/voltspike ")) {
        String[] args = line.substring("/opt/voltspike/bin/voltspike ".length()).split("\\s+");
        CommandLine.ParseResult r = parse(List.of(args));
        if (r.subcommand().commandSpec().name().equals("replay")) {
          assertEquals(
              internalBootstrap(), r.subcommand().matchedOptionValue("--bootstrap-servers", ""));
        }
        n++;
      }
    }
    assertEquals(2, n, "simulate + replay");
    assertEquals(
        "voltspike:latest", services.path("rig").path("image").asText(), "the image built above");
    assertEquals(
        services.path("detector").path("image").asText(),
        services.path("rig").path("image").asText());
  }

  @Test
  void grafanaMountsTheProvisioningAndItsDashboardPath() throws Exception {
    List<String> vols = list(services.path("grafana").path("volumes"));
    String dashboardsTarget = null;
    for (String v : vols) {
      String[] parts = v.split(":");
      Path host = DOCKER.resolve(parts[0]).normalize();
      assertTrue(Files.exists(host), "mounted path exists: " + host);
      if (host.equals(Path.of("grafana", "dashboards"))) {
        dashboardsTarget = parts[1];
      }
      if (host.equals(Path.of("grafana", "provisioning"))) {
        assertEquals("/etc/grafana/provisioning", parts[1]);
      }
    }
    JsonNode providers =
        yaml(Path.of("grafana", "provisioning", "dashboards", "voltspike.yml")).path("providers");
    assertEquals(dashboardsTarget, providers.get(0).path("options").path("path").asText());
    JsonNode ds =
        yaml(Path.of("grafana", "provisioning", "datasources", "prometheus.yml"))
            .path("datasources");
    String url = ds.get(0).path("url").asText();
    assertTrue(services.has("prometheus"));
    assertTrue(
        list(services.path("prometheus").path("ports")).contains("9090:9090")
            && url.equals("http://prometheus:9090"),
        url);
    String home =
        services
            .path("grafana")
            .path("environment")
            .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
            .asText();
    assertTrue(home.startsWith(dashboardsTarget + "/"));
    assertTrue(
        Files.exists(
            Path.of("grafana", "dashboards", home.substring(dashboardsTarget.length() + 1))));
    for (String v : list(services.path("prometheus").path("volumes"))) {
      assertTrue(Files.exists(DOCKER.resolve(v.split(":")[0])), v);
    }
  }

  @Test
  void dockerfileIsMultiStageNonRootAndCopiesWhatExists() throws Exception {
    List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));
    long stages = lines.stream().filter(l -> l.startsWith("FROM ")).count();
    assertTrue(stages >= 2, "multi-stage");
    String user =
        lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");
    assertFalse(user.equals("USER root") || user.equals("USER 0"), user);
    for (String l : lines) {
      if (l.startsWith("COPY ") && !l.contains("--from=")) {
        String[] parts = l.substring(5).trim().split("\\s+");
        for (int i = 0; i < parts.length - 1; i++) {
          assertTrue(Files.exists(Path.of(parts[i])), "COPY source exists: " + parts[i]);
        }
      }
    }
    // the environment variables it sets are option keys of 'run' (parse fails on unknown ones)
    Matcher m = Pattern.compile("VOLTSPIKE_([A-Z_]+)=").matcher(String.join("\n", lines));
    int keys = 0;
    while (m.find()) {
      String option = "--" + m.group(1).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      assertEquals("run", parse(List.of("run", option + "=x")).subcommand().commandSpec().name());
      keys++;
    }
    assertEquals(2, keys);
    assertTrue(Files.exists(Path.of(".dockerignore")));
  }

  static CommandLine.ParseResult parse(List<String> args) {
    return Main.commandLine(
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(java.io.Writer.nullWriter()))
        .parseArgs(args.toArray(String[]::new));
  }
}
