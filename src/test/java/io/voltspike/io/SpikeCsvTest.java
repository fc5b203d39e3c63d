package io.voltspike.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.voltspike.detect.Spike;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpikeCsvTest {
  @TempDir Path dir;

  @Test
  void roundTrip() throws IOException {
    List<SpikeCsv.Row> rows =
        SpikeCsv.rows("day1", "n1", 1000, List.of(new Spike(5, 0.9), new Spike(1234, 0.51)));
    Path f = dir.resolve("n1.spikes.csv");
    SpikeCsv.write(f, rows);
    assertEquals(SpikeCsv.HEADER, Files.readAllLines(f).get(0));
    List<SpikeCsv.Row> back = SpikeCsv.read(f);
    assertEquals(2, back.size());
    assertEquals(1234, back.get(1).sample());
    assertEquals(1234.0, back.get(1).timeMs(), 1e-9);
    assertEquals(0.51, back.get(1).probability(), 1e-6);
    assertEquals("day1", back.get(0).session());
    assertEquals("day1,n1,5,5.000,0.900000", Files.readAllLines(f).get(1));
  }

  @Test
  void filesWithoutTheSessionColumnStillRead() throws IOException {
    Path f = dir.resolve("old.spikes.csv");
    Files.writeString(f, "neuron,sample,time_ms,probability\nn1,7,7.000,0.800000\n");
    List<SpikeCsv.Row> back = SpikeCsv.read(f);
    assertEquals("", back.get(0).session());
    assertEquals(7, back.get(0).sample());
  }

  @Test
  void failedWriteLeavesNothingBehind() throws IOException {
    Path f = dir.resolve("out.csv");
    assertThrows(
        IOException.class,
        () ->
            AtomicFiles.writeText(
                f,
                w -> {
                  w.write("partial");
                  throw new IOException("boom");
                }));
    assertFalse(Files.exists(f));
    try (var s = Files.list(dir)) {
      assertEquals(0, s.count(), "no temporary file left");
    }
  }
}
