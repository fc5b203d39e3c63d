package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SASL/SSL settings pass through to every Kafka client, and no secret reaches a log, even with
 * Kafka's config logging at INFO and stack traces on: {@code voltspike run} in its own JVM, against
 * a cluster it cannot reach.
 */
class SecretsIT {
  static final List<String> SECRETS =
      List.of("JAAS-SECRET-1", "KEYSTORE-SECRET-2", "KEY-SECRET-3", "TRUST-SECRET-4");

  @TempDir Path dir;

  @Test
  void secretsAreMaskedInEveryLogLine() throws Exception {
    Path config = dir.resolve("secure.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "kafka.security.protocol=SASL_PLAINTEXT",
            "kafka.sasl.mechanism=PLAIN",
            "kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                + " required username=\"lab\" password=\"JAAS-SECRET-1\";",
            "kafka.ssl.keystore.password=KEYSTORE-SECRET-2",
            "kafka.ssl.key.password=KEY-SECRET-3",
            "kafka.ssl.truststore.password=TRUST-SECRET-4",
            ""));
    Path log = dir.resolve("run.log");
    ProcessBuilder pb =
        Launcher.voltspike(
                List.of("-Dvoltspike.log.level=info"),
                "run",
                "--config",
                config.toString(),
                "--bootstrap-servers",
                "127.0.0.1:" + RunStartupTest.closedPort(),
                "--metrics-port",
                "0",
                "--state-dir",
                dir.resolve("state").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("VOLTSPIKE_DEBUG", "1"); // stack traces too
    Process p = pb.start();
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "run did not exit");
    String out = Files.readString(log);
    assertEquals(ErrorHandler.EXIT_INPUT, p.exitValue(), out);
    assertTrue(out.contains("cannot reach the Kafka cluster"), out);
    // the settings reached the clients (Kafka logged them) ...
    assertTrue(out.contains("security.protocol = SASL_PLAINTEXT"), out);
    assertTrue(out.contains("sasl.jaas.config = [hidden]"), out);
    assertTrue(out.contains("ssl.keystore.password = [hidden]"), out);
    // ... and no secret was written anywhere
    for (String s : SECRETS) {
      assertFalse(out.contains(s), s + " leaked:\n" + out);
    }
  }
}
