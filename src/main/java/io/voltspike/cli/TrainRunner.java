package io.voltspike.cli;

import io.voltspike.eval.Counts;
import io.voltspike.model.UNetSpec;
import io.voltspike.train.TrainConfig;
import io.voltspike.train.UNetTrainer;
import java.io.PrintWriter;
import java.util.Locale;

/** Kept apart from {@link TrainCommand} so DJL classes load only when training really runs. */
final class TrainRunner {
  private TrainRunner() {}

  static int run(TrainCommand c, UNetSpec arch, PrintWriter out) throws Exception {
    TrainConfig cfg =
        new TrainConfig(
            arch,
            c.trainTraces,
            c.validationTraces,
            c.durationS,
            c.data,
            c.windowStride,
            c.batchSize,
            c.learningRate,
            c.learningRateSchedule,
            c.positiveWeight,
            c.labelRadius,
            c.fpBudgetPerS,
            c.maxEpochs,
            c.patience,
            c.seed,
            c.output,
            c.trainingPreset,
            c.teacher,
            c.teacher == null ? 0f : c.teacherWeight);
    UNetTrainer.Listener log = UNetTrainer.epochLog(out);
    Progress[] bar = {null};
    UNetTrainer.Listener listener =
        new UNetTrainer.Listener() {
          @Override
          public void epochStarted(int epoch, int batches) {
            bar[0] = Progress.start("epoch " + epoch, batches);
          }

          @Override
          public void batchDone() {
            bar[0].step();
          }

          @Override
          public void epochDone(
              int epoch, double loss, Counts v, double threshold, boolean best, double seconds) {
            bar[0].close();
            log.epochDone(epoch, loss, v, threshold, best, seconds);
          }
        };
    UNetTrainer.Result r = new UNetTrainer(cfg).train(listener, out);
    out.printf(
        Locale.ROOT,
        "best epoch %d of %d: validation F1 %.4f at threshold %s; wrote %s (%s)%n",
        r.bestEpoch(),
        r.epochs(),
        r.bestValidation().f1(),
        r.meta().get(io.voltspike.model.ModelMetadata.PROBABILITY_THRESHOLD),
        c.output,
        r.meta().get("voltspike.model_version"));
    out.flush();
    return 0;
  }
}
