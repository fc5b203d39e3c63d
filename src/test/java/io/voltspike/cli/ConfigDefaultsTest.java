package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigDefaultsTest {
  static DetectCommand parse(ConfigDefaults defaults, String... args) {
    DetectCommand cmd = new DetectCommand();
    CommandLine cl = new CommandLine(cmd);
    cl.setDefaultValueProvider(defaults);
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.parseArgs(args);
    return cmd;
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsBuiltIn() {
    Properties p = new Properties();
    p.setProperty("detect_threshold", "5.5");
    p.setProperty("detector", "volpy");
    String[] base = {"--input", "x", "--output", "y"};

    DetectCommand builtIn = parse(new ConfigDefaults(new Properties(), Map.of()), base);
    assertEquals(3.5, builtIn.detectorOptions.detectThreshold);
    assertEquals("unet", builtIn.detector);

    DetectCommand file = parse(new ConfigDefaults(p, Map.of()), base);
    assertEquals(5.5, file.detectorOptions.detectThreshold);
    assertEquals("volpy", file.detector);

    DetectCommand env =
        parse(new ConfigDefaults(p, Map.of("VOLTSPIKE_DETECT_THRESHOLD", "6.5")), base);
    assertEquals(6.5, env.detectorOptions.detectThreshold);

    DetectCommand flag =
        parse(
            new ConfigDefaults(p, Map.of("VOLTSPIKE_DETECT_THRESHOLD", "6.5")),
            "--input",
            "x",
            "--output",
            "y",
            "--detect-threshold",
            "3");
    assertEquals(3.0, flag.detectorOptions.detectThreshold);
  }

  @Test
  void detectorDefaultsOnTheCommandLineAreTheDetectorsOwn() {
    DetectCommand builtIn =
        parse(new ConfigDefaults(new Properties(), Map.of()), "--input", "x", "--output", "y");
    assertEquals(io.voltspike.detect.DetectorOptions.defaults(), builtIn.detectorOptions.options());
  }

  @Test
  void theConfigFileDocumentsTheBuiltInDefaults() throws Exception {
    java.util.Map<String, String> documented = new java.util.TreeMap<>();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?m)^#([a-z_]+)=(.*)$")
            .matcher(
                java.nio.file.Files.readString(
                    java.nio.file.Path.of("config/voltspike.properties")));
    while (m.find()) {
      documented.put(m.group(1), m.group(2).strip());
    }
    // a key several commands share may have a default per command (session: detect "offline",
    // replay "replay"); the file must document one that a command really uses
    ConfigDefaults none = new ConfigDefaults(new Properties(), Map.of());
    java.util.Map<String, java.util.Set<String>> used = new java.util.TreeMap<>();
    CommandLine root =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    for (CommandLine sub : root.getSubcommands().values()) {
      for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
        String builtIn = none.defaultValue(o);
        used.computeIfAbsent(ConfigDefaults.key(o), k -> new java.util.TreeSet<>())
            .add(builtIn != null ? builtIn : o.type() == boolean.class ? "false" : "");
      }
    }
    java.util.Set<String> wrong = new java.util.TreeSet<>();
    documented.forEach(
        (key, doc) -> {
          java.util.Set<String> values = used.getOrDefault(key, java.util.Set.of());
          if (!key.startsWith("kafka") && values.stream().noneMatch(v -> sameValue(doc, v))) {
            wrong.add(key + ": the file says '" + doc + "', the commands use " + values);
          }
        });
    assertEquals(java.util.Set.of(), wrong, "config/voltspike.properties vs built-in defaults");
  }

  private static boolean sameValue(String a, String b) {
    try {
      return Double.parseDouble(a) == Double.parseDouble(b);
    } catch (NumberFormatException e) {
      return a.equals(b);
    }
  }

  @Test
  void everyOptionIsDocumentedInTheConfigFile() throws Exception {
    String doc =
        java.nio.file.Files.readString(java.nio.file.Path.of("config/voltspike.properties"));
    java.util.Set<String> missing = new java.util.TreeSet<>();
    CommandLine root =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    for (CommandLine sub : root.getSubcommands().values()) {
      for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
        String key = ConfigDefaults.key(o);
        if (o.usageHelp() || o.versionHelp() || key.equals("config") || key.equals("set")) {
          continue;
        }
        if (!java.util.regex.Pattern.compile("(?m)^#?" + key + "=").matcher(doc).find()) {
          missing.add(sub.getCommandName() + " " + o.longestName() + " (" + key + ")");
        }
      }
    }
    assertEquals(
        java.util.Set.of(), missing, "options without a key in config/voltspike.properties");
  }

  @Test
  void everyKeyOfTheShippedConfigFilesIsAnOptionOrAKafkaSetting() throws Exception {
    java.util.Set<String> keys = new java.util.HashSet<>();
    CommandLine root =
        Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    for (CommandLine sub : root.getSubcommands().values()) {
      for (CommandLine.Model.OptionSpec o : sub.getCommandSpec().options()) {
        keys.add(ConfigDefaults.key(o));
      }
    }
    java.util.List<java.nio.file.Path> files;
    try (var s = java.nio.file.Files.list(java.nio.file.Path.of("config"))) {
      files = s.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
    }
    assertEquals(5, files.size(), "" + files);
    java.util.Set<String> unknown = new java.util.TreeSet<>();
    for (java.nio.file.Path f : files) {
      Properties p = new Properties();
      try (var in = java.nio.file.Files.newInputStream(f)) {
        p.load(in);
      }
      for (String k : p.stringPropertyNames()) {
        if (!k.startsWith("kafka.") && !keys.contains(k)) {
          unknown.add(f.getFileName() + ": " + k);
        }
      }
    }
    assertEquals(java.util.Set.of(), unknown);
  }

  @Test
  void configFileAndVoltspikeConfigGiveTheSameKafkaClientSettings() {
    String file = "config/production.properties";
    Properties viaFlag = ConfigDefaults.fromFile(file, Map.of()).kafkaClientProperties();
    Properties viaEnv =
        ConfigDefaults.fromEnvironment(Map.of("VOLTSPIKE_CONFIG", file), null)
            .kafkaClientProperties();
    assertEquals(viaFlag, viaEnv);
    assertEquals("SASL_SSL", viaEnv.getProperty("security.protocol"));
    assertEquals("SCRAM-SHA-512", viaEnv.getProperty("sasl.mechanism"));
    org.junit.jupiter.api.Assertions.assertTrue(
        viaEnv.getProperty("sasl.jaas.config").contains("${file:"));
    // an environment variable overrides the file's client setting, through either path
    Map<String, String> env =
        Map.of("VOLTSPIKE_CONFIG", file, "VOLTSPIKE_KAFKA_SASL_MECHANISM", "PLAIN");
    assertEquals(
        "PLAIN",
        ConfigDefaults.fromEnvironment(env, null)
            .kafkaClientProperties()
            .getProperty("sasl.mechanism"));
    assertEquals(
        "PLAIN",
        ConfigDefaults.fromFile(file, env).kafkaClientProperties().getProperty("sasl.mechanism"));
  }

  @Test
  void theRunCommandSeesTheClientSettingsOfVoltspikeConfig() {
    RunCommand run = new RunCommand();
    CommandLine cl = new CommandLine(run);
    cl.setDefaultValueProvider(
        ConfigDefaults.fromEnvironment(
            Map.of("VOLTSPIKE_CONFIG", "config/production.properties"), null));
    cl.parseArgs();
    assertEquals("SASL_SSL", run.kafka.clientProperties().getProperty("security.protocol"));
    assertEquals(
        "kafka-1.lab.example:9093,kafka-2.lab.example:9093,kafka-3.lab.example:9093",
        run.kafka.bootstrapServers);
  }
}
