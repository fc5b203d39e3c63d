package io.voltspike.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.ModelMetadata;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.model.UNetSpec;
import io.voltspike.signal.FeatureConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small real training run: DJL trains, the loss falls, the export loads in ONNX Runtime. */
class UNetTrainerTest {
  @TempDir Path dir;

  static TrainConfig config(Path out, String schedule, int epochs) {
    return config(out, schedule, epochs, 5, "train");
  }

  static TrainConfig config(Path out, String schedule, int epochs, int inputs, String preset) {
    return new TrainConfig(
        UNetSpec.parse("8-16-32:k5", inputs, 100),
        8,
        2,
        10,
        null,
        20,
        64,
        0.002f, // the CLI default (--learning-rate)
        schedule,
        5f,
        0,
        0.5,
        epochs,
        epochs,
        3,
        out,
        preset);
  }

  @Test
  void aWhitenedChannelModelOnMixedTracesSaysSoAndTheDetectorRunsIt() throws Exception {
    Path out = dir.resolve("w.onnx");
    UNetTrainer trainer = new UNetTrainer(config(out, "fixed", 1, 6, "mixed"));
    // mixed: the classic families and domain-randomised traces, alternating
    var recs = trainer.recordings(6, 5);
    for (int i = 0; i < recs.size(); i++) {
      String family = recs.get(i).meta("family").orElseThrow();
      boolean randomised = family.equals("random") || family.equals("silent");
      assertEquals(i % 2 == 1, randomised, i + ": " + family);
    }
    assertEquals(6, recs.stream().map(r -> r.name()).distinct().count());
    trainer.train((e, l, v, t, b, s) -> {}, new PrintWriter(new StringWriter()));
    String hash = FeatureConfig.defaults().hash(true);
    try (OnnxSpikeModel m = OnnxSpikeModel.load(out, ExecutionProvider.CPU, 1, hash)) {
      assertEquals(6, m.channels());
      assertEquals(hash, m.featureHash());
      assertTrue(m.metadata().get("voltspike.channel_order").endsWith(",median,whitened"));
      String cmd = m.metadata().get(ModelMetadata.TRAINING_COMMAND);
      assertTrue(cmd.endsWith("--training-preset mixed --whitened-channel"), cmd);
      // the detector feeds it six channels (it refuses a model whose inputs it cannot make)
      var d =
          new io.voltspike.detect.UNetDetector(io.voltspike.detect.DetectorOptions.defaults(), m);
      io.voltspike.detect.OfflineDetection.run(d, recs.get(0).voltage());
    }
    // a five-channel load of it is refused with both hashes named
    var e =
        assertThrows(
            RuntimeException.class,
            () ->
                OnnxSpikeModel.load(
                    out, ExecutionProvider.CPU, 1, FeatureConfig.defaults().hash()));
    assertTrue(e.getMessage().contains(hash), e.getMessage());
  }

  @Test
  void trainsExportsAndRecordsHowToRepeatIt() throws Exception {
    Path out = dir.resolve("m.onnx");
    List<Double> losses = new ArrayList<>();
    UNetTrainer.Listener listener = (epoch, loss, v, threshold, best, seconds) -> losses.add(loss);
    StringWriter log = new StringWriter();
    UNetTrainer trainer = new UNetTrainer(config(out, "cosine", 3));
    UNetTrainer.Result r = trainer.train(listener, new PrintWriter(log));
    assertEquals(3, r.epochs());
    assertEquals(3, losses.size());
    assertTrue(losses.get(2) < losses.get(0), "loss should fall: " + losses);
    assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() <= 3);
    String hash = FeatureConfig.defaults().hash();
    try (OnnxSpikeModel m = OnnxSpikeModel.load(out, ExecutionProvider.CPU, 1, hash)) {
      assertEquals(100, m.windowSamples());
      double t = Double.parseDouble(m.metadata().get(ModelMetadata.PROBABILITY_THRESHOLD));
      assertEquals(t, m.probabilityThreshold());
      assertTrue(t >= 0.05 && t <= 0.975, "threshold " + t);
      String cmd = m.metadata().get(ModelMetadata.TRAINING_COMMAND);
      assertTrue(cmd.contains("--lr-schedule cosine") && cmd.contains("--seed 3"), cmd);
      // the exported file is the epoch validation chose: ONNX Runtime running it through the same
      // validation gives the F1 the trainer recorded (up to float differences between engines)
      var val = trainer.recordings(2, 3 + 1_000_003L);
      UNetTrainer.Validation again = trainer.validate(val, m);
      assertTrue(r.bestValidation().f1() > 0.15, "validation F1 " + r.bestValidation().f1());
      assertEquals(r.bestValidation().f1(), again.counts().f1(), 0.05, "export = best epoch");
      float[] x = new float[5 * 100];
      float[] y = new float[100];
      m.predict(x, 1, y);
      for (float p : y) {
        assertTrue(p >= 0 && p <= 1, "probability " + p);
      }
    }
  }

  /** One epoch's mean loss, with or without a thread forcing garbage collections throughout. */
  double oneEpochLoss(String name, boolean gcPressure) throws Exception {
    Thread gc =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                System.gc();
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    gc.setDaemon(true);
    if (gcPressure) {
      gc.start();
    }
    try {
      List<Double> losses = new ArrayList<>();
      new UNetTrainer(config(dir.resolve(name), "fixed", 1))
          .train((e, l, v, t, b, s) -> losses.add(l), new PrintWriter(new StringWriter()));
      return losses.get(0);
    } finally {
      gc.interrupt();
      gc.join();
    }
  }

  @Test
  void trainingDoesNotDependOnTheGarbageCollector() throws Exception {
    // DJL turns a Java scalar operand into a tensor over a buffer the GC may free while autograd
    // still holds it; with such an operand in the loss or the network, collections during training
    // changed the losses (0.11-0.21 instead of 0.095 here) and sometimes made them NaN
    double quiet = oneEpochLoss("quiet.onnx", false);
    double collected = oneEpochLoss("collected.onnx", true);
    assertEquals(quiet, collected, 1e-4, "epoch loss with and without garbage collections");
  }

  static io.voltspike.detect.Spike spike(long sample, double p) {
    return new io.voltspike.detect.Spike(sample, p);
  }

  @Test
  void operatingThresholdIsTheBestF1WithinTheFalsePositiveBudget() {
    // 10 s: 10 true spikes found at probability 0.9, 5 weak true ones at 0.4, 4 false ones at 0.5.
    int[] truth = new int[15];
    List<io.voltspike.detect.Spike> found = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      truth[i] = 300 + i * 600;
      found.add(spike(truth[i], i < 10 ? 0.9 : 0.4));
    }
    for (int i = 0; i < 4; i++) {
      found.add(spike(100 + i * 600, 0.5));
    }
    var r =
        new io.voltspike.io.Recording("x", 1000.0, new float[10_000], truth, java.util.Map.of());
    // Below 0.4: tp 15, fp 4 (0.4/s), F1 30/34 = 0.882: the best, if 0.4/s is allowed.
    var loose = UNetTrainer.choose(List.of(r), List.of(found), 1.0);
    assertEquals(0.05, loose.threshold(), 1e-9);
    assertEquals(30.0 / 34, loose.counts().f1(), 1e-9);
    // Within 0.1/s: from 0.5 on no false positive is left: tp 10, fn 5, F1 0.8.
    var tight = UNetTrainer.choose(List.of(r), List.of(found), 0.1);
    assertEquals(0.5, tight.threshold(), 1e-9);
    assertEquals(0.8, tight.counts().f1(), 1e-9);
    // A false spike at 0.99 is above every threshold: no threshold meets 0.05/s, take the highest.
    found.add(spike(9900, 0.99));
    var none = UNetTrainer.choose(List.of(r), List.of(found), 0.05);
    assertEquals(0.975, none.threshold(), 1e-9);
    assertEquals(1, none.counts().fp());
  }

  @Test
  void labelRadiusWidensEachSpike() {
    float[] l = new float[10];
    l[0] = 1;
    l[5] = 1;
    assertEquals(
        java.util.Arrays.toString(new float[] {1, 1, 0, 0, 1, 1, 1, 0, 0, 0}),
        java.util.Arrays.toString(UNetTrainer.widen(l, 1)));
    assertTrue(UNetTrainer.widen(l, 0) == l);
  }

  static TrainConfig withTeacher(TrainConfig c, Path teacher, float weight) {
    return new TrainConfig(
        c.spec(),
        c.trainTraces(),
        c.validationTraces(),
        c.durationS(),
        c.data(),
        c.windowStrideSamples(),
        c.batchSize(),
        c.learningRate(),
        c.learningRateSchedule(),
        c.positiveWeight(),
        c.labelRadiusSamples(),
        c.fpBudgetPerS(),
        c.maxEpochs(),
        c.patience(),
        c.seed(),
        c.output(),
        c.preset(),
        teacher,
        weight);
  }

  @Test
  void aTeacherBlendsItsWindowProbabilitiesIntoTheLabels() throws Exception {
    Path teacher = Path.of("models/voltspike-unet-whitened.onnx");
    TrainConfig plain = config(dir.resolve("t.onnx"), "fixed", 1, 6, "train");
    UNetTrainer hard = new UNetTrainer(plain);
    var recs = hard.recordings(2, 5);
    UNetTrainer.Windows h = hard.windows(recs);
    UNetTrainer.Windows t1 = new UNetTrainer(withTeacher(plain, teacher, 1f)).windows(recs);
    UNetTrainer.Windows tq = new UNetTrainer(withTeacher(plain, teacher, 0.25f)).windows(recs);
    assertArrayEquals(h.x(), t1.x());
    float[] p = new float[h.y().length];
    try (io.voltspike.model.OnnxSpikeModel m =
        io.voltspike.model.OnnxSpikeModel.load(
            teacher,
            io.voltspike.model.ExecutionProvider.CPU,
            1,
            io.voltspike.signal.FeatureConfig.defaults().hash(true))) {
      m.predict(h.x(), h.n(), p);
    }
    double spikes = 0;
    double moved = 0;
    for (int i = 0; i < p.length; i++) {
      assertEquals(p[i], t1.y()[i], 1e-6, "weight 1: the teacher's probability, sample " + i);
      assertEquals(0.75 * h.y()[i] + 0.25 * p[i], tq.y()[i], 1e-6, "weight 0.25, sample " + i);
      spikes += h.y()[i];
      moved += Math.abs(t1.y()[i] - h.y()[i]);
    }
    assertTrue(spikes > 10 && moved > 10, "spike labels " + spikes + ", moved " + moved);
    assertTrue(
        new UNetTrainer(withTeacher(plain, teacher, 0.5f))
            .command()
            .endsWith(" --teacher " + teacher + " --teacher-weight 0.5"));
    assertThrows(IllegalArgumentException.class, () -> withTeacher(plain, teacher, 1.5f));
  }

  @Test
  void aDivergingRunStopsWithAClearErrorAndWritesNoModel() {
    Path out = dir.resolve("diverged.onnx");
    TrainConfig c = config(out, "fixed", 2);
    TrainConfig huge =
        new TrainConfig(
            c.spec(),
            c.trainTraces(),
            c.validationTraces(),
            c.durationS(),
            null,
            c.windowStrideSamples(),
            c.batchSize(),
            1e38f,
            "fixed",
            c.positiveWeight(),
            0,
            c.fpBudgetPerS(),
            2,
            2,
            c.seed(),
            out,
            "train");
    TrainingDivergedException e =
        assertThrows(
            TrainingDivergedException.class,
            () ->
                new UNetTrainer(huge)
                    .train((ep, l, v, t, b, s) -> {}, new PrintWriter(new StringWriter())));
    assertTrue(e.getMessage().startsWith("training diverged: loss"), e.getMessage());
    assertTrue(e.getMessage().contains("no model written"), e.getMessage());
    assertTrue(
        e.getMessage().contains("(parameter ") || e.getMessage().contains("(inputs and parameters"),
        "says where the NaN came from: " + e.getMessage());
    assertTrue(!java.nio.file.Files.exists(out), "a diverged run must not leave a model file");
  }

  @Test
  void nonFiniteLossAndWeightsAreRefused() {
    UNetTrainer.requireFinite(0.5f, 1, 1, () -> "");
    assertThrows(
        TrainingDivergedException.class,
        () -> UNetTrainer.requireFinite(Float.NaN, 1, 2, () -> ""));
    assertThrows(
        TrainingDivergedException.class,
        () -> UNetTrainer.requireFinite(Float.POSITIVE_INFINITY, 1, 2, () -> ""));
    assertThrows(
        TrainingDivergedException.class,
        () ->
            UNetTrainer.requireFiniteWeights(
                java.util.Map.of("enc0.conv.weight", new float[] {1f, Float.NaN})));
  }

  @Test
  void oneDnnIsCappedInThisProcess() {
    java.util.Map<String, String> inForce = NativeCpuGuard.capIsa();
    assertEquals(NativeCpuGuard.CAPS.keySet(), inForce.keySet());
    for (var cap : NativeCpuGuard.CAPS.entrySet()) {
      String expected = System.getenv().getOrDefault(cap.getKey(), cap.getValue());
      assertEquals(expected, inForce.get(cap.getKey()), cap.getKey());
    }
  }

  @Test
  void unknownScheduleListsTheValidOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> config(dir, "step", 1));
    assertTrue(e.getMessage().contains("valid values: cosine, fixed"), e.getMessage());
  }
}
