package io.voltspike.cli;

import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /**
   * Kafka client settings from the configuration the command runs with ({@code --config} or {@code
   * VOLTSPIKE_CONFIG}, then {@code VOLTSPIKE_KAFKA_*}): see {@link ConfigDefaults}.
   */
  public Properties clientProperties() {
    CommandLine.IDefaultValueProvider p = mixee == null ? null : mixee.defaultValueProvider();
    if (p instanceof ConfigDefaults c) {
      return c.kafkaClientProperties();
    }
    return new Properties();
  }

  public boolean embedded() {
    return bootstrapServers == null || bootstrapServers.isBlank();
  }
}
