package io.voltspike.cli;

import io.voltspike.detect.Detectors;
import io.voltspike.detect.OfflineDetection;
import io.voltspike.detect.PeakSign;
import io.voltspike.detect.Spike;
import io.voltspike.eval.Evaluator;
import io.voltspike.eval.Plausibility;
import io.voltspike.io.Recording;
import io.voltspike.io.Recordings;
import io.voltspike.io.SpikeCsv;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voltspike detect}: spikes of recordings, one CSV per trace. */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description = {
      "Detect spikes offline and write one NAME.spikes.csv per trace",
      "(session,neuron,sample,time_ms,probability; sample is 0-based in the recording's own frames).",
      "Every input is read and checked before anything is written."
    })
public final class DetectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin InputMixin input;
  @Mixin DetectorMixin detectorOptions;

  @Option(
      names = "--detector",
      description = "Detector: unet, matched, threshold or volpy. Default: ${DEFAULT-VALUE}.")
  String detector;

  @Option(names = "--output", required = true, description = "Output directory.")
  Path output;

  @Option(
      names = "--session",
      defaultValue = "offline",
      description =
          "Session id written in the spikes CSV's session column (the stream writes the rig's)."
              + " Default: ${DEFAULT-VALUE}.")
  String session;

  @Override
  public Integer call() throws Exception {
    Detectors detectors = ShutdownSequence.detectors();
    detectors.create(detector, detectorOptions.options()); // fail fast on a bad name
    List<Recording> recs = Recordings.readAll(input.input, input.readOptions());
    PrintWriter w = spec.commandLine().getOut();
    long total = 0;
    try (Progress bar = Progress.start("detect", recs.size())) {
      List<List<Spike>> results =
          recs.parallelStream()
              .map(
                  r -> {
                    List<Spike> s =
                        Evaluator.detect(
                            detectors,
                            detector,
                            detectorOptions.options(),
                            detectorOptions.explicitPeakSign(),
                            r);
                    bar.step();
                    return s;
                  })
              .toList();
      for (int i = 0; i < recs.size(); i++) {
        Recording r = recs.get(i);
        String file = r.name().replaceAll("[^A-Za-z0-9._-]", "_") + Recordings.SPIKES_SUFFIX;
        List<Spike> found = results.get(i);
        SpikeCsv.write(
            output.resolve(file), SpikeCsv.rows(session, r.name(), r.sampleRateHz(), found));
        total += found.size();
        if (recs.size() <= 20) {
          PeakSign sign = Evaluator.peakSignFor(r, detectorOptions.explicitPeakSign());
          int low =
              Plausibility.low(Plausibility.heights(r, sign, OfflineDetection.samples(found)));
          w.printf(
              Locale.ROOT,
              "%s: %d spikes (%.2f/s) at %.0f Hz, %s; %d below %.1f robust sd of its"
                  + " high-pass channel%n",
              r.name(),
              found.size(),
              found.size() / r.durationS(),
              r.sampleRateHz(),
              sign.toString().toLowerCase(Locale.ROOT),
              low,
              Plausibility.LOW_SD);
          int missing = r.missingSamples();
          if (missing == r.length()) {
            w.printf(Locale.ROOT, "%s: every sample is missing (NaN or infinite)%n", r.name());
          } else if (missing > 0) {
            w.printf(
                Locale.ROOT,
                "%s: %d of %d samples missing (NaN or infinite); no spike is reported on them%n",
                r.name(),
                missing,
                r.length());
          }
        }
      }
    }
    w.printf(
        Locale.ROOT,
        "%s: %d spikes in %d traces written to %s%n",
        detector,
        total,
        recs.size(),
        output);
    w.flush();
    return 0;
  }
}
