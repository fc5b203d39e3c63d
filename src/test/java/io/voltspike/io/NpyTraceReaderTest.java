package io.voltspike.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jetbrains.bio.npy.NpyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTraceReaderTest {
  @TempDir Path dir;
  ReadOptions opts = new ReadOptions(800, null);

  @Test
  void oneDimensionalIsOneNeuron() throws IOException {
    Path f = dir.resolve("one.npy");
    NpyFile.write(f, new float[] {1, 2, 3}, new int[] {3});
    List<Recording> r = NpyTraceReader.read(f, opts);
    assertEquals(1, r.size());
    assertEquals(800.0, r.get(0).sampleRateHz());
    assertArrayEquals(new float[] {1, 2, 3}, r.get(0).voltage());
    assertNull(r.get(0).truth());
  }

  @Test
  void twoDimensionalIsNeuronsByTime() throws IOException {
    Path f = dir.resolve("many.npy");
    NpyFile.write(f, new double[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {2, 4});
    List<Recording> r = NpyTraceReader.read(f, opts);
    assertEquals(2, r.size());
    assertEquals("many#1", r.get(1).name());
    assertArrayEquals(new float[] {5, 6, 7, 8}, r.get(1).voltage());
  }

  @Test
  void posterLayoutRoundTrip() throws IOException {
    Recording rec =
        new Recording("p", 1000, new float[] {0.5f, 3f, 0.1f, 4f, 0f}, new int[] {1, 3}, Map.of());
    Path f = dir.resolve("p.npy");
    TraceWriter.writeNpy(f, rec);
    List<Recording> r = NpyTraceReader.read(f, ReadOptions.defaults());
    assertEquals(1, r.size());
    assertArrayEquals(rec.voltage(), r.get(0).voltage());
    assertArrayEquals(new int[] {1, 3}, r.get(0).truth());
  }

  @Test
  void threeRowsThatAreNotLabelsAreThreeNeurons() throws IOException {
    Path f = dir.resolve("three.npy");
    NpyFile.write(f, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {3, 3});
    assertEquals(3, NpyTraceReader.read(f, opts).size());
  }

  @Test
  void badShapesAndGarbage() throws IOException {
    Path cube = dir.resolve("cube.npy");
    NpyFile.write(cube, new double[8], new int[] {2, 2, 2});
    var e = assertThrows(RecordingFormatException.class, () -> NpyTraceReader.read(cube, opts));
    assertTrue(e.getMessage().contains("cube.npy") && e.getMessage().contains("[2, 2, 2]"));

    Path garbage = dir.resolve("garbage.npy");
    Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    e = assertThrows(RecordingFormatException.class, () -> NpyTraceReader.read(garbage, opts));
    assertTrue(e.getMessage().contains("garbage.npy"));
    assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7F), e.getMessage());

    Path strings = dir.resolve("strings.npy");
    NpyFile.write(strings, new String[] {"a", "b"}, new int[] {2});
    e = assertThrows(RecordingFormatException.class, () -> NpyTraceReader.read(strings, opts));
    assertTrue(e.getMessage().contains("unsupported"));
  }
}
