package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code voltspike bench}'s contract on a tiny load: a real broker, a JSON last line. */
class BenchCommandIT {
  @Test
  void fixedLoadReportsItsSettingsAndFiguresAsJson(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // kafka.* settings apply on the embedded broker as `run` applies them
    Path config = dir.resolve("bench.properties");
    Files.writeString(
        config, "kafka.processing.guarantee=at_least_once\nkafka.commit.interval.ms=250\n");
    CliTest.Run r =
        CliTest.run(
            "bench",
            "--config",
            config.toString(),
            "--json",
            "--fixed-neurons",
            "4",
            "--hold-s",
            "10",
            "--warmup-s",
            "0",
            "--stream-threads",
            "2",
            "--batch-wait-ms",
            "3",
            "--stride-ms",
            "20",
            "--lookahead-ms",
            "25");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().strip().split("\n");
    JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertEquals(2, j.get("stream_threads").asInt());
    assertEquals(3, j.get("batch_wait_ms").asInt());
    assertEquals(20.0, j.get("stride_ms").asDouble());
    assertEquals(25.0, j.get("lookahead_ms").asDouble());
    assertEquals("at_least_once", j.get("processing_guarantee").asText());
    assertEquals(250, j.get("commit_interval_ms").asInt());
    assertEquals(4, j.get("max_sustained_neurons").asInt(), j.toString());
    JsonNode at = j.get("at_max");
    assertEquals(4, at.get("neurons").asInt());
    assertTrue(at.get("sustained").asBoolean());
    // four neurons at 1 kHz, measured over the hold
    assertEquals(4000, at.get("samplesPerS").asDouble(), 400);
    // four neurons cut 200 windows a second (20 ms stride); the network sees only those that could
    // change a decision, some of them flipped too, at the default operating point as well
    double windows = at.get("windowsPerS").asDouble();
    assertTrue(windows > 0 && windows < 200, "windows through the network: " + at);
    // a decision waits for at least lookahead - stride + 1 samples (windows complete every stride)
    assertTrue(at.get("p50Ms").asDouble() >= 25 - 20 + 1, "latency below the lookahead's: " + at);
    // the detector's share (acquisition -> forwarded) is the lookahead plus a batch wait and
    // queueing; with a cold JIT (no warm-up) four neurons stay within 75 ms of the lookahead
    assertTrue(at.get("p50Ms").asDouble() <= 25 + 75, "latency far above the lookahead: " + at);
    assertTrue(j.get("sustained").asBoolean());
    // an event is read back after the detector forwards it
    assertTrue(at.get("emittedP50Ms").asDouble() <= at.get("p50Ms").asDouble(), at.toString());
    assertEquals(0, at.get("badRecords").asInt());
  }

  @Test
  void onAClusterAtStockSettingsItFitsItsTimeoutsAndLeavesNoTopicsBehind(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (io.voltspike.stream.EmbeddedBroker broker =
        io.voltspike.stream.EmbeddedBroker.startStock(dir.resolve("broker"), 0)) {
      CliTest.Run r =
          CliTest.run(
              "bench",
              "--json",
              "--bootstrap-servers",
              broker.bootstrapServers(),
              "--fixed-neurons",
              "4",
              "--hold-s",
              "10",
              "--warmup-s",
              "0",
              "--rig-process",
              "--group-neurons",
              "2");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.err().contains("consumer session timeout 6.0 s"), r.err());
      String[] lines = r.out().strip().split("\n");
      JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);
      assertTrue(j.get("sustained").asBoolean(), j.toString());
      assertTrue(j.get("rig_process").asBoolean());
      assertEquals(2, j.get("group_neurons").asInt());
      // the rig, in its own JVM, sends frame blocks of two neurons; its CPU is counted apart
      assertEquals(4000, j.get("at_max").get("samplesPerS").asDouble(), 400);
      assertTrue(j.get("at_max").get("rigCpuCores").asDouble() > 0, j.toString());
      java.util.Properties p = new java.util.Properties();
      p.put("bootstrap.servers", broker.bootstrapServers());
      try (org.apache.kafka.clients.admin.Admin admin =
          org.apache.kafka.clients.admin.Admin.create(p)) {
        java.util.Set<String> left = admin.listTopics().names().get();
        assertTrue(
            left.stream().noneMatch(t -> t.contains("bench-")),
            "the bench's topics are deleted: " + left);
      }
    }
  }
}
