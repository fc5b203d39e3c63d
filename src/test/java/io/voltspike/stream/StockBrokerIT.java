package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.detect.PeakSign;
import io.voltspike.io.Recording;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a broker whose group and transaction settings are all Kafka's defaults (a 6 s minimum
 * session timeout): the detector fits its timeouts to the cluster and gives the offline spikes; a
 * timeout the cluster refuses stops the job with the reason, and no stream thread is replaced.
 */
class StockBrokerIT {
  static final io.voltspike.model.SharedModels MODELS = new io.voltspike.model.SharedModels();
  static final io.voltspike.detect.Detectors DETECTORS = new io.voltspike.detect.Detectors(MODELS);

  @TempDir static Path dir;
  static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedBroker.startStock(dir.resolve("broker"), 0);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
    MODELS.close();
  }

  static Properties admin() {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    return DetectorApp.adminProperties(p);
  }

  @Test
  void theClusterLimitsAreReadAndTheFastestAllowedTimeoutIsChosen() {
    GroupTimeouts.BrokerLimits limits = GroupTimeouts.BrokerLimits.describe(admin());
    assertTrue(limits.known());
    assertEquals(6000, limits.minSessionMs());
    assertEquals(1_800_000, limits.maxSessionMs());
    assertEquals(10_000, limits.abortCheckMs());
    GroupTimeouts t = GroupTimeouts.fit(limits, new Properties());
    assertEquals(6000, t.sessionTimeoutMs());
    assertEquals(2000, t.heartbeatIntervalMs());
    assertTrue(t.describe().contains("group.min.session.timeout.ms=6000"), t.describe());
  }

  @Test
  void replayedRecordingsGiveTheOfflineSpikesWithNoThreadReplaced() {
    List<Recording> recs = StreamParityIT.benchRecordings(4, 1);
    Map<String, List<Long>> expected = StreamParityIT.offline(recs, DETECTORS);
    int total = expected.values().stream().mapToInt(List::size).sum();
    assertTrue(total > 30, "spikes: " + total);
    StreamSettings s = StreamParityIT.settings("stock", PeakSign.POS);
    Properties p =
        StreamSettings.streamsProperties(broker.bootstrapServers(), "stock-app", "eos", null);
    GroupTimeouts.fit(GroupTimeouts.BrokerLimits.describe(admin()), null).applyTo(p);
    StreamStats stats = new StreamStats();
    try (DetectorApp app =
            DetectorApp.start(
                s,
                DetectorTopology.build(s, DETECTORS, stats),
                p,
                dir.resolve("state-stock"),
                2,
                Duration.ofSeconds(90),
                stats);
        Replayer rp = new Replayer(broker.bootstrapServers(), s.samplesTopic(), null);
        SpikeFollower f =
            new SpikeFollower(broker.bootstrapServers(), s.spikesTopic(), false, null)) {
      rp.replay("stock", recs, 10, 0, 0, true, n -> {});
      Map<String, List<Long>> got = StreamParityIT.collect(f, total, Duration.ofSeconds(90));
      assertEquals(expected, got);
      assertEquals(null, app.failure());
      assertEquals(0, stats.threadReplacements.sum(), "stream threads replaced");
    }
  }

  @Test
  void aSessionTimeoutTheClusterRefusesStopsTheJobInsteadOfLooping() {
    StreamSettings s = StreamParityIT.settings("refused", PeakSign.POS);
    // the detector's own 3 s, not fitted: every join is refused by the broker
    Properties p =
        StreamSettings.streamsProperties(broker.bootstrapServers(), "refused-app", "eos", null);
    assertEquals("3000", p.getProperty("consumer.session.timeout.ms"));
    StreamStats stats = new StreamStats();
    long t0 = System.nanoTime();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                DetectorApp.start(
                    s,
                    DetectorTopology.build(s, DETECTORS, stats),
                    p,
                    dir.resolve("state-refused"),
                    2,
                    Duration.ofSeconds(60),
                    stats));
    assertTrue(e.getMessage().contains("session timeout"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(0, stats.threadReplacements.sum(), "stream threads replaced");
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos(), "stopped at once");
    // and fitting refuses the same setting before anything connects, naming the broker setting
    Properties user = new Properties();
    user.put("consumer.session.timeout.ms", "3000");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> GroupTimeouts.fit(GroupTimeouts.BrokerLimits.describe(admin()), user));
    assertTrue(refused.getMessage().contains("group.min.session.timeout.ms is 6000"));
  }
}
