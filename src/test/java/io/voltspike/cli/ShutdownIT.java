package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a demo under load: the streams stop before the shared ONNX session is closed, and the
 * process exits 0 without a JVM crash report.
 */
class ShutdownIT {
  @TempDir Path dir;

  @Test
  void sigtermUnderLoadStopsTheStreamsThenTheModelAndExitsZero() throws Exception {
    ProcessBuilder pb =
        Launcher.voltspike(
            List.of("-Xmx1g", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")),
            "demo",
            "--neurons",
            "64",
            "--duration-s",
            "120",
            "--metrics-port",
            "0");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    StringBuilder log = new StringBuilder();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                char[] buf = new char[4096];
                int n;
                while ((n = r.read(buf)) > 0) {
                  synchronized (log) {
                    log.append(buf, 0, n); // status lines end in \r, not \n
                  }
                }
              } catch (java.io.IOException e) {
                // the process ended
              }
            });
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      synchronized (log) {
        if (log.indexOf("spikes/s") >= 0) {
          break;
        }
      }
      Thread.sleep(200);
    }
    Thread.sleep(8_000); // under load: 64 neurons streaming, batches in flight
    assertTrue(p.isAlive(), "demo still running before the signal:\n" + log);
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "demo stopped within 60 s:\n" + log);
    reader.join(5_000);
    String out;
    synchronized (log) {
      out = log.toString();
    }
    assertEquals(0, p.exitValue(), "exit status after SIGTERM:\n" + out);
    assertFalse(out.contains("SIGSEGV") || out.contains("A fatal error"), out);
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("hs_err")));
    }
  }
}
