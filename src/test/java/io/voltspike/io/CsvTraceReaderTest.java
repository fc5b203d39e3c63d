package io.voltspike.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTraceReaderTest {
  @TempDir Path dir;

  Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void roundTripWithTruth() throws IOException {
    float[] v = {1.5f, -2.25f, 3e-5f, Float.NaN, 7f};
    Recording r = new Recording("a", 1000, v, new int[] {1, 4}, Map.of());
    Path f = dir.resolve("a.csv");
    TraceWriter.writeCsv(f, r);
    Recording back = CsvTraceReader.read(f);
    assertEquals("a", back.name());
    assertEquals(1000.0, back.sampleRateHz(), 1e-9);
    assertArrayEquals(v, back.voltage());
    assertArrayEquals(new int[] {1, 4}, back.truth());
  }

  @Test
  void readsVoltageOnlyAndDerivesTheRate() throws IOException {
    Recording r = CsvTraceReader.read(write("b.csv", "time_ms,voltage\n0,1\n0.5,2\n1.0,3\n"));
    assertEquals(2000.0, r.sampleRateHz(), 1e-9);
    assertNull(r.truth());
    assertArrayEquals(new float[] {1, 2, 3}, r.voltage());
  }

  @Test
  void skippedRowsBecomeMissingSamples() throws IOException {
    Recording r = CsvTraceReader.read(write("g.csv", "time_ms,voltage\n0,1\n1,2\n2,3\n5,6\n"));
    assertEquals(6, r.length());
    assertTrue(Float.isNaN(r.voltage()[3]) && Float.isNaN(r.voltage()[4]));
    assertEquals(6f, r.voltage()[5]);
  }

  @Test
  void badFilesNameTheFileLineAndProblem() throws IOException {
    Path noHeader = write("h.csv", "0,1\n1,2\n");
    var e = assertThrows(RecordingFormatException.class, () -> CsvTraceReader.read(noHeader));
    assertTrue(e.getMessage().contains("h.csv") && e.getMessage().contains("line 1"));

    Path nonNumeric = write("n.csv", "time_ms,voltage\n0,1\n1,abc\n");
    e = assertThrows(RecordingFormatException.class, () -> CsvTraceReader.read(nonNumeric));
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("abc"), e.getMessage());

    Path empty = write("e.csv", "");
    e = assertThrows(RecordingFormatException.class, () -> CsvTraceReader.read(empty));
    assertTrue(e.getMessage().contains("empty"));

    Path headerOnly = write("o.csv", "time_ms,voltage\n");
    assertThrows(RecordingFormatException.class, () -> CsvTraceReader.read(headerOnly));

    Path back = write("d.csv", "time_ms,voltage\n0,1\n2,1\n1,1\n");
    e = assertThrows(RecordingFormatException.class, () -> CsvTraceReader.read(back));
    assertTrue(e.getMessage().contains("line 4") && e.getMessage().contains("does not increase"));

    Path badSpike = write("s.csv", "time_ms,voltage,spike\n0,1,0\n1,1,2\n");
    e = assertThrows(RecordingFormatException.class, () -> CsvTraceReader.read(badSpike));
    assertTrue(e.getMessage().contains("0 or 1"));

    Path cells = write("c.csv", "time_ms,voltage\n0,1,5\n");
    e = assertThrows(RecordingFormatException.class, () -> CsvTraceReader.read(cells));
    assertTrue(e.getMessage().contains("line 2"));
  }

  @Test
  void unknownExtensionIsRefused() throws IOException {
    Path p = write("x.txt", "time_ms,voltage\n0,1\n");
    var e = assertThrows(RecordingFormatException.class, () -> Recordings.list(p));
    assertTrue(e.getMessage().contains("unknown format"));
  }
}
