package io.voltspike.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Where Kafka is, and client settings (SASL/SSL...) passed through from the config file. */
public final class KafkaMixin {
  @Option(
      names = "--bootstrap-servers",
      defaultValue = "",
      description =
          "Kafka bootstrap servers; empty: the embedded broker. Default: '${DEFAULT-VALUE}'.")
  String bootstrapServers;

  @Option(
      names = "--config",
      description =
          "Properties file: option defaults (keys as in config/voltspike.properties) and Kafka"
              + " client settings under the 'kafka.' prefix (e.g. kafka.security.protocol).")
  Path config;

  /** The {@code kafka.*} entries of the config file, prefix removed. */
  public Properties clientProperties() {
    Properties out = new Properties();
    if (config == null) {
      return out;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(config)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --config " + config + ": " + e.getMessage());
    }
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith("kafka.")) {
        out.put(k.substring("kafka.".length()), p.getProperty(k).strip());
      }
    }
    return out;
  }

  public boolean embedded() {
    return bootstrapServers == null || bootstrapServers.isBlank();
  }
}
