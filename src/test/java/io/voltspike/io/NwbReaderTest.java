package io.voltspike.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableDataset;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NwbReaderTest {
  @TempDir Path dir;

  /** An NWB-shaped file: /acquisition/&lt;name&gt;/data [T,N] with starting_time@rate, units. */
  Path nwb(String file, double[][] data, double rate, double start, double[][] unitTimes)
      throws IOException {
    Path p = dir.resolve(file);
    try (WritableHdfFile f = HdfFile.write(p)) {
      f.putAttribute("nwb_version", "2.7.0");
      WritableGroup acq = f.putGroup("acquisition");
      WritableGroup ts = acq.putGroup("RoiResponseSeries");
      ts.putAttribute("neurodata_type", "RoiResponseSeries");
      ts.putDataset("data", data);
      WritableDataset st = ts.putDataset("starting_time", start);
      st.putAttribute("rate", rate);
      if (unitTimes != null) {
        WritableGroup units = f.putGroup("units");
        int total = 0;
        for (double[] u : unitTimes) {
          total += u.length;
        }
        double[] flat = new double[total];
        long[] index = new long[unitTimes.length];
        int k = 0;
        for (int i = 0; i < unitTimes.length; i++) {
          for (double t : unitTimes[i]) {
            flat[k++] = t;
          }
          index[i] = k;
        }
        units.putDataset("spike_times", flat);
        units.putDataset("spike_times_index", index);
      }
    }
    return p;
  }

  @Test
  void readsRoiResponseSeriesWithUnits() throws IOException {
    double[][] data = new double[100][2];
    for (int t = 0; t < 100; t++) {
      data[t][0] = t;
      data[t][1] = -t;
    }
    Path p = nwb("rec.nwb", data, 500.0, 1.0, new double[][] {{1.010, 1.1}, {1.05}});
    List<Recording> r = NwbReader.read(p, ReadOptions.defaults());
    assertEquals(2, r.size());
    assertEquals("rec#1", r.get(1).name());
    assertEquals(500.0, r.get(0).sampleRateHz());
    assertEquals(42f, r.get(0).voltage()[42]);
    assertEquals(-42f, r.get(1).voltage()[42]);
    assertArrayEquals(new int[] {5, 50}, r.get(0).truth(), "(t - start) * rate");
    assertArrayEquals(new int[] {25}, r.get(1).truth());
  }

  @Test
  void timestampsGiveTheRate() throws IOException {
    Path p = dir.resolve("ts.nwb");
    try (WritableHdfFile f = HdfFile.write(p)) {
      WritableGroup ts = f.putGroup("acquisition").putGroup("trace");
      ts.putDataset("data", new float[] {1, 2, 3, 4});
      ts.putDataset("timestamps", new double[] {0, 0.001, 0.002, 0.003});
    }
    List<Recording> r = NwbReader.read(p, ReadOptions.defaults());
    assertEquals(1, r.size());
    assertEquals(1000.0, r.get(0).sampleRateHz(), 1e-6);
    assertNull(r.get(0).truth());
  }

  @Test
  void severalSeriesNeedAChoiceAndTheErrorListsThem() throws IOException {
    Path p = dir.resolve("two.nwb");
    try (WritableHdfFile f = HdfFile.write(p)) {
      WritableGroup acq = f.putGroup("acquisition");
      for (String n : new String[] {"a", "b"}) {
        WritableGroup g = acq.putGroup(n);
        g.putDataset("data", new double[] {1, 2, 3});
        g.putDataset("starting_time", 0.0).putAttribute("rate", 1000.0);
      }
    }
    var e =
        assertThrows(
            RecordingFormatException.class, () -> NwbReader.read(p, ReadOptions.defaults()));
    assertTrue(
        e.getMessage().contains("/acquisition/a") && e.getMessage().contains("/acquisition/b"));
    List<Recording> r = NwbReader.read(p, new ReadOptions(1000, "acquisition/b/data"));
    assertEquals(3, r.get(0).length());
    var unknown =
        assertThrows(
            RecordingFormatException.class,
            () -> NwbReader.read(p, new ReadOptions(1000, "/acquisition/zzz")));
    assertTrue(unknown.getMessage().contains("no such TimeSeries"));
  }

  @Test
  void fileWithoutSeriesOrNotHdf5() throws IOException {
    Path p = dir.resolve("none.nwb");
    try (WritableHdfFile f = HdfFile.write(p)) {
      f.putGroup("acquisition").putDataset("x", new double[] {1});
    }
    var e =
        assertThrows(
            RecordingFormatException.class, () -> NwbReader.read(p, ReadOptions.defaults()));
    assertTrue(e.getMessage().contains("no TimeSeries"));

    Path junk = dir.resolve("junk.h5");
    Files.writeString(junk, "definitely not hdf5");
    e =
        assertThrows(
            RecordingFormatException.class, () -> NwbReader.read(junk, ReadOptions.defaults()));
    assertTrue(e.getMessage().contains("junk.h5"));
  }
}
