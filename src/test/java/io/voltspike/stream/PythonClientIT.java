package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voltspike.avro.SpikeEvent;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.PeakSign;
import io.voltspike.io.Recording;
import io.voltspike.model.SharedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Python client ({@code examples/python/follow_spikes.py}, Debian's
 * python3-confluent-kafka and python3-avro) decodes the detector's spike events exactly as the Java
 * client does: single-object encoding, fingerprint checked.
 */
class PythonClientIT {
  static final SharedModels MODELS = new SharedModels();

  static final Detectors DETECTORS = new Detectors(MODELS);

  @org.junit.jupiter.api.AfterAll
  static void closeModels() {
    MODELS.close();
  }

  static final Path PYTHON = Path.of("/usr/bin/python3");
  @TempDir Path dir;

  @Test
  void pythonDecodesTheSpikeEventsTheJavaClientSees() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail("Debian's python3 is needed (apt-get install python3-confluent-kafka python3-avro)");
    }
    List<Recording> recs = StreamParityIT.benchRecordings(6, 1);
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      StreamSettings s = StreamParityIT.settings("python", PeakSign.POS);
      Properties p =
          StreamSettings.streamsProperties(broker.bootstrapServers(), "python-app", "eos", null);
      List<String> javaSeen = new ArrayList<>();
      try (DetectorApp app =
              DetectorApp.start(
                  s,
                  DetectorTopology.build(s, DETECTORS, new StreamStats()),
                  p,
                  dir.resolve("state"),
                  2,
                  Duration.ofSeconds(60));
          Replayer rp = new Replayer(broker.bootstrapServers(), s.samplesTopic(), null);
          SpikeFollower f =
              new SpikeFollower(broker.bootstrapServers(), s.spikesTopic(), false, null)) {
        rp.replay("py", recs, 10, 0, 0, true, n -> {});
        long quiet = System.nanoTime();
        while (System.nanoTime() - quiet < Duration.ofSeconds(4).toNanos()) {
          int n =
              f.poll(
                  Duration.ofMillis(200),
                  (SpikeEvent e) ->
                      javaSeen.add(key(e.getNeuron(), e.getSample(), e.getProbability())));
          if (n > 0) {
            quiet = System.nanoTime();
          }
        }
      }
      assertTrue(javaSeen.size() > 50, "spikes: " + javaSeen.size());

      Path out = dir.resolve("python.out");
      Path err = dir.resolve("python.err");
      Process py =
          new ProcessBuilder(
                  PYTHON.toString(),
                  "examples/python/follow_spikes.py",
                  "--bootstrap-servers",
                  broker.bootstrapServers(),
                  "--topic",
                  s.spikesTopic(),
                  "--from-beginning",
                  "--max-events",
                  Integer.toString(javaSeen.size()),
                  "--idle-timeout-s",
                  "15")
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!py.waitFor(90, TimeUnit.SECONDS)) {
        py.destroyForcibly();
        fail("python client did not finish: " + Files.readString(err));
      }
      assertEquals(0, py.exitValue(), Files.readString(err));
      List<String> pySeen = new ArrayList<>();
      ObjectMapper json = new ObjectMapper();
      for (String line : Files.readAllLines(out)) {
        JsonNode e = json.readTree(line);
        pySeen.add(
            key(
                e.path("neuron").asText(),
                e.path("sample").asLong(),
                e.path("probability").asDouble()));
        assertEquals("unet", e.path("detector").asText());
        assertTrue(e.has("latency_ms") && e.has("acquired_at_us"));
      }
      assertEquals(new TreeSet<>(javaSeen), new TreeSet<>(pySeen), Files.readString(err));
      assertEquals(javaSeen.size(), pySeen.size());
    }
  }

  static String key(String neuron, long sample, double probability) {
    return neuron + "@" + sample + ":" + probability;
  }
}
