package io.voltspike.cli;

import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.Detectors;
import io.voltspike.detect.OperatingPoint;
import io.voltspike.eval.EvaluationReport;
import io.voltspike.eval.Evaluator;
import io.voltspike.eval.HtmlReport;
import io.voltspike.eval.SweepReport;
import io.voltspike.eval.ThresholdSweep;
import io.voltspike.eval.TraceResult;
import io.voltspike.io.Recording;
import io.voltspike.io.Recordings;
import io.voltspike.io.ReferenceSpikes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voltspike evaluate}: detectors against ground truth. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Compare detectors with ground truth: detected spikes are matched one-to-one to true",
      "spikes within the tolerance. Reports tp, fp, fn, precision, recall, F1,",
      "accuracy = tp/(tp+fp+fn), false positives per second and the poster's sample-level",
      "accuracy, per SNR band and family (simulated sets), overall, and per file."
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin InputMixin input;
  @Mixin DetectorMixin detectorOptions;

  @Option(
      names = "--detector",
      split = ",",
      description =
          "Detector(s), comma-separated: unet, matched, threshold, volpy. Default: ${DEFAULT-VALUE}.")
  List<String> detectors;

  @Option(
      names = "--tolerance-ms",
      defaultValue = "2",
      description =
          "Matching tolerance (+-ms; 2 ms = +-2 samples at 1 kHz; 0 = exact sample)."
              + " Default: ${DEFAULT-VALUE}.")
  double toleranceMs;

  @Option(
      names = "--truth",
      description =
          "Reference spikes for a single recording: a CSV with a 'sample' column (another"
              + " detector's output, or electrophysiology); scored like ground truth.")
  Path truth;

  @Option(
      names = "--score-from-ms",
      defaultValue = "0",
      description =
          "Score only spikes from this time on (detection still sees the whole trace), e.g."
              + " where a reference starts. Default: ${DEFAULT-VALUE}.")
  double scoreFromMs;

  @Option(names = "--json", description = "Also write the results as JSON to this file.")
  Path json;

  @Option(names = "--report", description = "Also write an HTML report with plots here.")
  Path report;

  @Option(names = "--per-file", description = "List every file in the table.")
  boolean perFile;

  @Option(
      names = "--threshold-sweep",
      description =
          "unet: score every probability threshold from 0.05 to 0.975 (step 0.025) from one run"
              + " of the rule alone (operating point fixed; the height floor and the oscillation"
              + " veto as set) and print F1 and false positives per second at each, and the best"
              + " F1 within --fp-budget-per-s.")
  boolean thresholdSweep;

  @Option(
      names = "--fp-budget-per-s",
      defaultValue = "0.2",
      description =
          "With --threshold-sweep: the false positives per second per neuron the best F1 may"
              + " cost. Default: ${DEFAULT-VALUE}.")
  double fpBudgetPerS;

  @Override
  public Integer call() throws Exception {
    if (thresholdSweep) {
      checkSweepOptions();
    }
    Detectors registry = ShutdownSequence.detectors();
    for (String d : detectors) {
      registry.create(d, detectorOptions.options()); // fail fast on a bad name or model
    }
    Evaluator ev = new Evaluator(registry, toleranceMs, scoreFromMs);
    List<Recording> recs = Recordings.readAll(input.input, input.readOptions());
    if (truth != null) {
      if (recs.size() != 1) {
        throw new IllegalArgumentException(
            "--truth needs a single recording; " + input.input + " holds " + recs.size());
      }
      Recording r = recs.get(0);
      int[] t = ReferenceSpikes.read(truth);
      if (t.length > 0 && t[t.length - 1] >= r.length()) {
        throw new IllegalArgumentException(
            truth + ": sample " + t[t.length - 1] + " is beyond the recording's " + r.length());
      }
      recs = List.of(new Recording(r.name(), r.sampleRateHz(), r.voltage(), t, r.metadata()));
    }
    for (Recording r : recs) {
      if (!r.hasTruth()) {
        throw new IllegalArgumentException(
            r.name() + ": has no ground-truth spikes (CSV spike column, poster NPY, NWB units)");
      }
    }
    if (thresholdSweep) {
      return sweep(ev, recs);
    }
    Map<String, List<TraceResult>> byDetector = new LinkedHashMap<>();
    try (Progress bar = Progress.start("evaluate", (long) recs.size() * detectors.size())) {
      for (String d : detectors) {
        List<TraceResult> rs =
            recs.parallelStream()
                .map(
                    r -> {
                      TraceResult t =
                          ev.evaluate(
                              d, detectorOptions.options(), detectorOptions.explicitPeakSign(), r);
                      bar.step();
                      return t;
                    })
                .toList();
        byDetector.put(d, rs);
      }
    }
    EvaluationReport er = new EvaluationReport(toleranceMs, byDetector);
    PrintWriter w = spec.commandLine().getOut();
    w.print(er.table(perFile));
    w.println("F1 by SNR band (Markdown):");
    w.print(er.markdownF1BySnr());
    if (json != null) {
      er.writeJson(json);
    }
    if (report != null) {
      Map<String, Recording> byName = new LinkedHashMap<>();
      recs.forEach(r -> byName.put(r.name(), r));
      HtmlReport.write(report, er, byName);
      w.println("report: " + report.resolve("index.html"));
    }
    w.flush();
    return 0;
  }

  /** The options a threshold sweep cannot honour, refused before any work. */
  private void checkSweepOptions() {
    var parsed = spec.commandLine().getParseResult();
    if (!detectors.equals(List.of("unet"))) {
      throw new IllegalArgumentException(
          "--threshold-sweep scores the unet's probability thresholds; --detector "
              + String.join(",", detectors)
              + " is not just unet");
    }
    if (parsed.hasMatchedOption("--probability-threshold")) {
      throw new IllegalArgumentException(
          "--threshold-sweep scores every probability threshold; drop --probability-threshold");
    }
    if (parsed.hasMatchedOption("--operating-point")
        && OperatingPoint.parse(detectorOptions.operatingPoint) != OperatingPoint.FIXED) {
      throw new IllegalArgumentException(
          "--threshold-sweep runs the rule alone (a named operating point sets each neuron's"
              + " threshold itself); use --operating-point fixed or leave it out");
    }
    if (report != null || perFile) {
      throw new IllegalArgumentException(
          "--threshold-sweep prints its own table; drop --report and --per-file");
    }
    if (!(fpBudgetPerS >= 0)) {
      throw new IllegalArgumentException("--fp-budget-per-s must be >= 0, was " + fpBudgetPerS);
    }
  }

  /** One run at the lowest threshold, every threshold scored from it ({@link ThresholdSweep}). */
  private int sweep(Evaluator ev, List<Recording> recs) throws java.io.IOException {
    DetectorOptions base = detectorOptions.options();
    DetectorOptions o =
        base.withOperatingPoint(OperatingPoint.FIXED)
            .withUnet(base.unet().withProbabilityThreshold(ThresholdSweep.THRESHOLDS[0]));
    List<ThresholdSweep.Trace> traces;
    try (Progress bar = Progress.start("evaluate", recs.size())) {
      traces =
          recs.parallelStream()
              .map(
                  r -> {
                    ThresholdSweep.Trace t =
                        ev.sweepTrace("unet", o, detectorOptions.explicitPeakSign(), r);
                    bar.step();
                    return t;
                  })
              .toList();
    }
    SweepReport sr =
        new SweepReport(
            ev.toleranceMs(),
            fpBudgetPerS,
            ThresholdSweep.sweep(traces, ThresholdSweep.THRESHOLDS));
    PrintWriter w = spec.commandLine().getOut();
    w.print(sr.table());
    if (json != null) {
      sr.writeJson(json);
    }
    w.flush();
    return 0;
  }
}
