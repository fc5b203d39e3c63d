package io.voltspike.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from configuration, so every option is set the same three ways. Precedence, from
 * strongest: the command-line flag; the environment variable {@code VOLTSPIKE_<KEY>}; the key in
 * the properties file ({@code $VOLTSPIKE_CONFIG}, else {@code config/voltspike.properties} under
 * {@code voltspike.home}); the built-in default. The key of {@code --detect-threshold} is {@code
 * detect_threshold}. {@code config/voltspike.properties} documents every key.
 *
 * <p>Kafka client settings (SASL, SSL, timeouts) come from the same places: {@code kafka.*} keys of
 * the file, overridden by environment variables {@code VOLTSPIKE_KAFKA_<KEY>} ({@code
 * VOLTSPIKE_KAFKA_SECURITY_PROTOCOL} is {@code security.protocol}). This class is the one loader:
 * {@code --config FILE} and {@code VOLTSPIKE_CONFIG=FILE} give the same options and the same client
 * settings.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
  private final Properties properties;
  private final Map<String, String> env;

  public ConfigDefaults(Properties properties, Map<String, String> env) {
    this.properties = properties;
    this.env = env;
  }

  /** Defaults from an explicit file (the {@code --config} option), environment still first. */
  public static ConfigDefaults fromFile(String file) {
    Path f = Path.of(file);
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException("--config names no file: " + f);
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(f)) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --config " + f + ": " + e.getMessage());
    }
    return new ConfigDefaults(p, System.getenv());
  }

  /** The same from an explicit file with an explicit environment (tests). */
  static ConfigDefaults fromFile(String file, Map<String, String> env) {
    ConfigDefaults d = fromFile(file);
    return new ConfigDefaults(d.properties, env);
  }

  /**
   * The Kafka client settings: the file's {@code kafka.*} entries (prefix removed), then {@code
   * VOLTSPIKE_KAFKA_*} environment variables (lower case, '_' as '.').
   */
  public Properties kafkaClientProperties() {
    Properties out = new Properties();
    for (String k : properties.stringPropertyNames()) {
      if (k.startsWith("kafka.")) {
        out.put(k.substring("kafka.".length()), properties.getProperty(k).strip());
      }
    }
    env.forEach(
        (k, v) -> {
          if (k.startsWith("VOLTSPIKE_KAFKA_") && k.length() > "VOLTSPIKE_KAFKA_".length()) {
            String key =
                k.substring("VOLTSPIKE_KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            out.put(key, v.strip());
          }
        });
    return out;
  }

  public static ConfigDefaults fromEnvironment() {
    return fromEnvironment(System.getenv(), System.getProperty("voltspike.home"));
  }

  /** Defaults from {@code VOLTSPIKE_CONFIG} in {@code env}, else {@code home}'s default file. */
  public static ConfigDefaults fromEnvironment(Map<String, String> env, String home) {
    Properties p = new Properties();
    Path file = null;
    if (env.containsKey("VOLTSPIKE_CONFIG")) {
      file = Path.of(env.get("VOLTSPIKE_CONFIG"));
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("VOLTSPIKE_CONFIG names no file: " + file);
      }
    } else {
      if (home != null) {
        Path f = Path.of(home, "config", "voltspike.properties");
        if (Files.isRegularFile(f)) {
          file = f;
        }
      }
    }
    if (file != null) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read configuration " + file, e);
      }
    }
    return new ConfigDefaults(p, env);
  }

  /** The configuration key of an option: its longest name without dashes, '-' as '_'. */
  public static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "").replace('-', '_').toLowerCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String key = key(option);
    String fromEnv = env.get("VOLTSPIKE_" + key.toUpperCase(Locale.ROOT));
    if (fromEnv != null) {
      return fromEnv;
    }
    String fromFile = properties.getProperty(key);
    if (fromFile != null) {
      return fromFile.strip();
    }
    return option.defaultValue() != null ? option.defaultValue() : BUILT_IN.get(key);
  }

  private static final Map<String, String> BUILT_IN = BuiltInDefaults.all();
}
