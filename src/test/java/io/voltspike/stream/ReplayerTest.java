package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.io.Recording;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ReplayerTest {

  @Test
  void chunksTheBrokerNeverTookFailTheReplayWithTheirCount() {
    Properties p = new Properties();
    p.put("max.block.ms", "200");
    p.put("delivery.timeout.ms", "300");
    p.put("request.timeout.ms", "250");
    Recording r = new Recording("n1", 1000, new float[30], null, Map.of());
    // nothing listens on port 1: every send fails, and the replay must say so
    try (Replayer rp = new Replayer("127.0.0.1:1", "samples-nowhere", p)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> rp.replay("s", List.of(r), 10, 0, 0L, true, n -> {}));
      assertTrue(
          e.getMessage().contains("chunks were not delivered to topic 'samples-nowhere'"),
          e.getMessage());
    }
  }
}
