package io.voltspike.cli;

import io.voltspike.io.ReadOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where recordings come from and how to read formats that lack timing. */
public final class InputMixin {
  @Option(
      names = "--input",
      required = true,
      description = "A recording (.csv, .npy, .nwb, .h5) or a directory of them.")
  Path input;

  @Option(
      names = "--sample-rate-hz",
      defaultValue = "1000",
      description =
          "Sample rate for NPY input, which carries no timing. Default: ${DEFAULT-VALUE}.")
  double sampleRateHz;

  @Option(
      names = "--dataset",
      description = "NWB: the TimeSeries to read when a file holds several.")
  String dataset;

  public ReadOptions readOptions() {
    if (!(sampleRateHz > 0)) {
      throw new IllegalArgumentException("--sample-rate-hz must be > 0, was " + sampleRateHz);
    }
    return new ReadOptions(sampleRateHz, dataset);
  }
}
