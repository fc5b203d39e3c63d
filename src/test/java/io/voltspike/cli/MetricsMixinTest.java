package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.metrics.MetricsServer;
import io.voltspike.stream.DetectorInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The metrics endpoint listens on loopback unless the user opens it. */
class MetricsMixinTest {
  @Test
  void defaultBindIsLoopbackAndTheSocketListensOnlyThere() throws Exception {
    for (String cmd : new String[] {"run", "demo"}) {
      CommandLine cl =
          Main.commandLine(
              new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
      CommandLine.ParseResult r = cl.parseArgs(cmd);
      assertEquals(
          "127.0.0.1", r.subcommand().commandSpec().findOption("--metrics-bind").getValue(), cmd);
    }
    try (MetricsServer m =
        MetricsServer.start(
            "127.0.0.1",
            0,
            new DetectorInfo("unet", "v", "cpu", 20, 10),
            false,
            new io.voltspike.stream.StreamStats())) {
      List<String> local = listeningAddresses(m.port());
      assertFalse(local.isEmpty(), "socket found");
      for (String a : local) {
        assertTrue(a.equals("0100007F") || a.equals("0000000000000000FFFF00000100007F"), a);
      }
    }
  }

  /** Local addresses (kernel hex) of LISTEN sockets on the port, from /proc/net/tcp{,6}. */
  static List<String> listeningAddresses(int port) throws Exception {
    List<String> out = new ArrayList<>();
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    for (String f : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path p = Path.of(f);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        String[] c = line.trim().split("\\s+");
        if (c.length > 3 && c[1].endsWith(":" + hexPort) && c[3].equals("0A")) {
          out.add(c[1].substring(0, c[1].indexOf(':')));
        }
      }
    }
    return out;
  }
}
