package io.voltspike.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.voltspike.detect.DetectorOptions;
import io.voltspike.detect.OfflineDetection;
import io.voltspike.detect.PeakSign;
import io.voltspike.detect.Spike;
import io.voltspike.detect.UNetDetector;
import io.voltspike.detect.UNetOptions;
import io.voltspike.detect.WhitenedEvidence;
import io.voltspike.eval.Counts;
import io.voltspike.eval.ThresholdSweep;
import io.voltspike.io.ReadOptions;
import io.voltspike.io.Recording;
import io.voltspike.io.Recordings;
import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.ModelMetadata;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.signal.FeatureConfig;
import io.voltspike.signal.Features;
import io.voltspike.signal.FrameResampler;
import io.voltspike.sim.NeuronSimulator;
import io.voltspike.sim.Preset;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the U-Net with DJL's PyTorch engine on features from the project's own extractor, and
 * exports the best epoch (by validation F1 of the real detector) to ONNX.
 */
public final class UNetTrainer {

  /** Progress callbacks, so the CLI can show a bar and tests stay quiet. */
  @FunctionalInterface
  public interface Listener {
    default void epochStarted(int epoch, int batches) {}

    default void batchDone() {}

    /**
     * @param threshold the operating threshold chosen on the validation traces this epoch
     */
    void epochDone(
        int epoch, double loss, Counts validation, double threshold, boolean best, double seconds);
  }

  /** What a run produced. */
  public record Result(
      int epochs, int bestEpoch, Counts bestValidation, Map<String, String> meta) {}

  private final TrainConfig cfg;
  private final FeatureConfig features = FeatureConfig.defaults();

  /** Input channels: the five features, and the whitened channel when the spec takes six. */
  private final int channels;

  private final boolean whitened;

  public UNetTrainer(TrainConfig cfg) {
    this.cfg = cfg;
    this.channels = cfg.spec().inChannels();
    this.whitened = channels == FeatureConfig.CHANNELS.length + 1;
    if (channels != FeatureConfig.CHANNELS.length && !whitened) {
      throw new IllegalArgumentException(
          "the network takes 5 (features) or 6 (and the whitened channel) inputs, not " + channels);
    }
  }

  /**
   * Simulated recordings of the configured preset, each brought to the model's rate the way the
   * detector brings a recording there (only {@code train} has traces at other rates).
   */
  List<Recording> recordings(int count, long seed) throws IOException {
    List<Recording> out = new ArrayList<>();
    List<Preset.Spec> specs = new ArrayList<>();
    if (cfg.preset().equals(TrainConfig.MIXED)) {
      // half the classic families, half domain randomisation, interleaved; the second half's
      // names continue the first's so that no two traces share one
      int half = count / 2;
      List<Preset.Spec> a =
          Preset.DEFAULT.specs(count - half, cfg.durationS(), seed, MODEL_RATE_HZ);
      List<Preset.Spec> b = Preset.TRAIN.specs(half, cfg.durationS(), seed + 1, MODEL_RATE_HZ);
      for (int i = 0; i < count; i++) {
        Preset.Spec x = i % 2 == 0 ? a.get(i / 2) : b.get(i / 2);
        specs.add(new Preset.Spec("trace" + i, x.params(), x.seed()));
      }
    } else {
      specs.addAll(Preset.parse(cfg.preset()).specs(count, cfg.durationS(), seed, MODEL_RATE_HZ));
    }
    for (Preset.Spec s : specs) {
      out.add(atModelRate(NeuronSimulator.simulate(s.name(), s.params(), s.seed())));
    }
    return out;
  }

  static final double MODEL_RATE_HZ = 1000.0;

  /** Validation traces are simulated with the training seed plus this. */
  static final long VALIDATION_SEED = 1_000_003L;

  /** Metadata key of a resampled recording: its features' noise lag. */
  static final String NOISE_LAG = "noise_lag";

  /**
   * A recording resampled to the model's rate by camera integration ({@link FrameResampler}), its
   * true spikes moved to the model sample that holds the centre of their frame; the features' noise
   * lag is recorded in its metadata. A recording already at the rate is returned as is.
   */
  static Recording atModelRate(Recording r) {
    if (r.sampleRateHz() == MODEL_RATE_HZ) {
      return r;
    }
    FrameResampler rs = new FrameResampler(r.sampleRateHz(), MODEL_RATE_HZ, 1);
    float[] v = r.voltage();
    float[] out = new float[(int) Math.ceil(v.length * MODEL_RATE_HZ / r.sampleRateHz()) + 2];
    int[] n = {0};
    for (float x : v) {
      rs.push(x, (j, y) -> out[n[0]++] = y);
    }
    rs.flush((j, y) -> out[n[0]++] = y);
    double ratio = MODEL_RATE_HZ / r.sampleRateHz();
    int[] truth = new int[r.truth() == null ? 0 : r.truth().length];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = (int) Math.min(n[0] - 1, Math.floor((r.truth()[i] + 0.5) * ratio));
    }
    java.util.Map<String, String> meta = new java.util.TreeMap<>(r.metadata());
    meta.put(NOISE_LAG, Integer.toString(FrameResampler.noiseLag(r.sampleRateHz(), MODEL_RATE_HZ)));
    meta.put("recorded_rate_hz", Double.toString(r.sampleRateHz()));
    return new Recording(r.name(), MODEL_RATE_HZ, java.util.Arrays.copyOf(out, n[0]), truth, meta);
  }

  private FeatureConfig featuresOf(Recording r) {
    return features.withNoiseLag(Integer.parseInt(r.meta(NOISE_LAG).orElse("1")));
  }

  static float[] canonical(Recording r) {
    float sign = PeakSign.parse(r.meta("peak_sign").orElse("pos")).factor();
    float[] v = r.voltage().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] *= sign;
    }
    return v;
  }

  /** Training windows: x [n, 5, W] and y [n, W]. */
  record Windows(float[] x, float[] y, int n) {}

  Windows windows(List<Recording> recs) {
    int w = cfg.spec().windowSamples();
    int stride = cfg.windowStrideSamples();
    int n = 0;
    for (Recording r : recs) {
      n += Math.max(0, (r.length() - w) / stride + 1);
    }
    float[] x = new float[n * channels * w];
    float[] y = new float[n * w];
    int k = 0;
    for (Recording r : recs) {
      Features f = Features.of(featuresOf(r), canonical(r));
      float[][] in = f.channels();
      if (whitened) {
        in = java.util.Arrays.copyOf(in, channels);
        in[channels - 1] = WhitenedEvidence.whitenedChannel(in[0], f.imputed(), r.sampleRateHz());
      }
      float[] labels = widen(r.truthLabels(), cfg.labelRadiusSamples());
      for (int s = 0; s + w <= r.length(); s += stride) {
        for (int c = 0; c < channels; c++) {
          System.arraycopy(in[c], s, x, (k * channels + c) * w, w);
        }
        System.arraycopy(labels, s, y, k * w, w);
        k++;
      }
    }
    if (cfg.teacher() != null && cfg.teacherWeight() > 0) {
      blendTeacher(x, y, k);
    }
    return new Windows(x, y, k);
  }

  /**
   * Replaces each label by {@code (1 - a) * label + a * teacher}, the teacher's probability for
   * that sample of that window ({@code a} = {@link TrainConfig#teacherWeight}).
   */
  private void blendTeacher(float[] x, float[] y, int n) {
    int w = cfg.spec().windowSamples();
    float a = cfg.teacherWeight();
    try (OnnxSpikeModel t =
        OnnxSpikeModel.load(cfg.teacher(), ExecutionProvider.CPU, 2, features.hash(whitened))) {
      int batch = 256;
      float[] out = new float[batch * w];
      for (int i = 0; i < n; i += batch) {
        int m = Math.min(batch, n - i);
        t.predict(
            java.util.Arrays.copyOfRange(x, i * channels * w, (i + m) * channels * w), m, out);
        for (int j = 0; j < m * w; j++) {
          y[i * w + j] = (1 - a) * y[i * w + j] + a * out[j];
        }
      }
    }
  }

  /**
   * Marks {@code radius} samples either side of each spike as spike too: the network then learns
   * "an event is here" rather than the exact sample, which sub-sample peak timing and noise make
   * uncertain; shadowing still keeps one spike per event, at its most probable sample.
   */
  static float[] widen(float[] labels, int radius) {
    if (radius == 0) {
      return labels;
    }
    float[] out = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] > 0) {
        for (int j = Math.max(0, i - radius); j <= Math.min(labels.length - 1, i + radius); j++) {
          out[j] = 1f;
        }
      }
    }
    return out;
  }

  public Result train(Listener listener, PrintWriter log) throws IOException {
    System.setProperty("ai.djl.offline", "true");
    String isa = NativeCpuGuard.capIsa().toString();
    Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed());
    List<Recording> train = new ArrayList<>(recordings(cfg.trainTraces(), cfg.seed()));
    if (cfg.data() != null) {
      for (Recording r : Recordings.readAll(cfg.data(), ReadOptions.defaults())) {
        if (r.hasTruth()) {
          train.add(atModelRate(r));
        }
      }
    }
    List<Recording> val = recordings(cfg.validationTraces(), cfg.seed() + VALIDATION_SEED);
    Windows data = windows(train);
    log.printf(
        Locale.ROOT,
        "training %s: %d parameters, %d windows from %d traces, %d validation traces"
            + " (CPU ISA caps %s)%n",
        cfg.spec(),
        cfg.spec().parameters(),
        data.n(),
        train.size(),
        val.size(),
        isa);
    log.flush();
    int w = cfg.spec().windowSamples();
    int batches = (data.n() + cfg.batchSize() - 1) / cfg.batchSize();
    try (Model model = Model.newInstance("voltspike-unet", "PyTorch")) {
      DjlUNet net = new DjlUNet(cfg.spec());
      model.setBlock(net);
      DefaultTrainingConfig tc =
          new DefaultTrainingConfig(new WeightedBceLoss(cfg.positiveWeight()))
              .optOptimizer(Optimizer.adam().optLearningRateTracker(learningRate(batches)).build());
      try (Trainer trainer = model.newTrainer(tc)) {
        trainer.initialize(new Shape(cfg.batchSize(), channels, w));
        DjlWindowModel wm = new DjlWindowModel(trainer, channels, w, features.hash(whitened));
        Random rnd = new Random(cfg.seed());
        int[] order = new int[data.n()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        double bestF1 = -1;
        int bestEpoch = 0;
        Counts bestCounts = null;
        double bestThreshold = Double.NaN;
        Map<String, float[]> bestWeights = null;
        int epoch = 0;
        float[] bx = new float[cfg.batchSize() * channels * w];
        float[] by = new float[cfg.batchSize() * w];
        while (epoch < cfg.maxEpochs() && epoch - bestEpoch < cfg.patience() + 1) {
          epoch++;
          long t0 = System.nanoTime();
          shuffle(order, rnd);
          listener.epochStarted(epoch, batches);
          double lossSum = 0;
          for (int b = 0; b < batches; b++) {
            int from = b * cfg.batchSize();
            int size = Math.min(cfg.batchSize(), data.n() - from);
            for (int i = 0; i < size; i++) {
              int src = order[from + i];
              System.arraycopy(data.x(), src * channels * w, bx, i * channels * w, channels * w);
              System.arraycopy(data.y(), src * w, by, i * w, w);
            }
            try (NDManager m = trainer.getManager().newSubManager()) {
              NDArray x = m.create(slice(bx, size * channels * w), new Shape(size, channels, w));
              NDArray y = m.create(slice(by, size * w), new Shape(size, 1, w));
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(x));
                NDArray loss = tc.getLossFunction().evaluate(new NDList(y), pred);
                float value = loss.getFloat();
                int inputs = size * channels * w;
                requireFinite(value, epoch, b + 1, () -> where(net, bx, inputs));
                gc.backward(loss);
                lossSum += value;
              }
              trainer.step();
            }
            listener.batchDone();
          }
          Validation v = validate(val, wm);
          boolean best = v.counts().f1() > bestF1;
          if (best) {
            bestF1 = v.counts().f1();
            bestEpoch = epoch;
            bestCounts = v.counts();
            bestThreshold = v.threshold();
            bestWeights = net.weightArrays();
          }
          listener.epochDone(
              epoch,
              lossSum / batches,
              v.counts(),
              v.threshold(),
              best,
              (System.nanoTime() - t0) / 1e9);
        }
        requireFiniteWeights(bestWeights);
        Map<String, String> meta = metadata(bestEpoch, bestCounts, bestThreshold, train.size());
        OnnxExporter.export(cfg.spec(), bestWeights, meta, cfg.output());
        return new Result(epoch, bestEpoch, bestCounts, meta);
      }
    }
  }

  /**
   * Stops training at the first non-finite loss: nothing after it can be trusted. {@code where}
   * (looked at only then) says where the NaN came from.
   */
  static void requireFinite(
      float loss, int epoch, int batch, java.util.function.Supplier<String> where) {
    if (Float.isFinite(loss)) {
      return;
    }
    throw new TrainingDivergedException(
        String.format(
            Locale.ROOT,
            "training diverged: loss %s at epoch %d, batch %d%s; no model written (a lower"
                + " --learning-rate may help; CPU ISA caps in force: %s)",
            loss,
            epoch,
            batch,
            where.get(),
            NativeCpuGuard.capIsa()));
  }

  /**
   * Where a non-finite loss came from, for the error: a non-finite input, a parameter the previous
   * step made non-finite, or (both finite) the forward pass itself, i.e. a native kernel.
   */
  static String where(DjlUNet net, float[] batch, int n) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(batch[i])) {
        return " (input value " + i + " of the batch is " + batch[i] + ")";
      }
    }
    for (Map.Entry<String, float[]> e : net.weightArrays().entrySet()) {
      for (float f : e.getValue()) {
        if (!Float.isFinite(f)) {
          return " (parameter " + e.getKey() + " became " + f + " at the previous step)";
        }
      }
    }
    return " (inputs and parameters finite: the forward pass produced it)";
  }

  static void requireFiniteWeights(Map<String, float[]> weights) {
    if (weights == null) {
      throw new TrainingDivergedException("training produced no epoch to export");
    }
    for (Map.Entry<String, float[]> e : weights.entrySet()) {
      for (float f : e.getValue()) {
        if (!Float.isFinite(f)) {
          throw new TrainingDivergedException(
              "training diverged: parameter " + e.getKey() + " is not finite; no model written");
        }
      }
    }
  }

  private Tracker learningRate(int batchesPerEpoch) {
    if (cfg.learningRateSchedule().equals("fixed")) {
      return Tracker.fixed(cfg.learningRate());
    }
    return Tracker.cosine()
        .setBaseValue(cfg.learningRate())
        .optFinalValue(cfg.learningRate() / 50f)
        .setMaxUpdates(Math.max(1, cfg.maxEpochs() * batchesPerEpoch))
        .build();
  }

  private Map<String, String> metadata(int bestEpoch, Counts best, double threshold, int traces) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ModelMetadata.VERSION, "unet-" + cfg.spec() + "-s" + cfg.seed() + "-e" + bestEpoch);
    m.put(ModelMetadata.WINDOW, Integer.toString(cfg.spec().windowSamples()));
    m.put(ModelMetadata.CHANNELS, Integer.toString(channels));
    m.put("voltspike.channel_order", String.join(",", FeatureConfig.channels(whitened)));
    m.put(ModelMetadata.FEATURE_CONFIG, features.canonical(whitened));
    m.put(ModelMetadata.FEATURE_HASH, features.hash(whitened));
    m.put(ModelMetadata.SAMPLE_RATE_HZ, Double.toString(MODEL_RATE_HZ));
    m.put(ModelMetadata.ARCHITECTURE, cfg.spec().toString());
    m.put(
        ModelMetadata.TRAINED_ON,
        String.format(
                Locale.ROOT,
                "%d simulated traces x %.0f s (voltspike simulate --preset %s, seed %d: %s)%s",
                cfg.trainTraces(),
                cfg.durationS(),
                cfg.preset(),
                cfg.seed(),
                switch (cfg.preset()) {
                  case "train" ->
                      "domain randomised, SNR 2-12, both polarities, 10% spike-free, half"
                          + " at 400-2000 Hz resampled to 1000 Hz";
                  case TrainConfig.MIXED ->
                      "half the classic families at SNR 2-12, half domain"
                          + " randomised (preset train), interleaved";
                  default -> "SNR 2-12, all families and polarities";
                },
                cfg.data() == null ? "" : " + labelled recordings from " + cfg.data())
            + (cfg.teacher() == null
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; labels blended with %s's probabilities (weight %s)",
                    cfg.teacher(),
                    cfg.teacherWeight())));
    m.put(ModelMetadata.TRAINING_COMMAND, command());
    m.put(ModelMetadata.VALIDATION_F1, validationF1(best, threshold));
    m.put(ModelMetadata.PROBABILITY_THRESHOLD, String.format(Locale.ROOT, "%.3f", threshold));
    return m;
  }

  /** The {@link ModelMetadata#VALIDATION_F1} text: the counts at the chosen threshold. */
  static String validationF1(Counts c, double threshold) {
    return String.format(
        Locale.ROOT,
        "%.4f (+-2 samples, full context, height floor %.1f robust sd, threshold %.3f:"
            + " precision %.3f, recall %.3f, %.3f false positives/s)",
        c.f1(),
        DetectorOptions.defaults().unet().minHeightSd(),
        threshold,
        c.precision(),
        c.recall(),
        c.fpPerSecond());
  }

  String command() {
    return String.format(
            Locale.ROOT,
            "voltspike train --architecture %s --train-traces %d --validation-traces %d"
                + " --duration-s %.0f --window-stride %d --train-batch-size %d --learning-rate %s"
                + " --lr-schedule %s --fp-budget-per-s %s --label-radius %d --positive-weight %s"
                + " --max-epochs %d --patience %d --seed %d --training-preset %s",
            cfg.spec(),
            cfg.trainTraces(),
            cfg.validationTraces(),
            cfg.durationS(),
            cfg.windowStrideSamples(),
            cfg.batchSize(),
            cfg.learningRate(),
            cfg.learningRateSchedule(),
            cfg.fpBudgetPerS(),
            cfg.labelRadiusSamples(),
            cfg.positiveWeight(),
            cfg.maxEpochs(),
            cfg.patience(),
            cfg.seed(),
            cfg.preset())
        + (whitened ? " --whitened-channel" : " --no-whitened-channel")
        + (cfg.teacher() == null
            ? ""
            : " --teacher " + cfg.teacher() + " --teacher-weight " + cfg.teacherWeight());
  }

  /** The validation result of one epoch: the chosen threshold and the counts there. */
  record Validation(double threshold, Counts counts) {}

  /**
   * Runs the real detector (full context, default height floor, so the threshold chosen is the one
   * the detector will run at; the oscillation veto off, as it is applied after the threshold) on
   * the validation traces once at the lowest threshold, then scores every candidate threshold (+-2
   * samples) and picks the one with the best F1 among those within the false-positive budget (the
   * highest threshold when none is). One run suffices ({@link ThresholdSweep}).
   */
  Validation validate(List<Recording> val, io.voltspike.model.WindowModel wm) {
    // fixed: the threshold sweep filters one run's spikes, which only a fixed rule allows
    DetectorOptions o =
        DetectorOptions.defaults()
            .withOperatingPoint(io.voltspike.detect.OperatingPoint.FIXED)
            .withUnet(
                UNetOptions.defaults()
                    .withLookaheadMs(Double.POSITIVE_INFINITY)
                    .withProbabilityThreshold(ThresholdSweep.THRESHOLDS[0])
                    // the threshold is the network's; the veto only removes what passes it
                    .withOscillationTroughRatio(0));
    List<List<Spike>> found = new ArrayList<>();
    for (Recording r : val) {
      DetectorOptions ro = o.withFeatures(featuresOf(r));
      found.add(OfflineDetection.run(new UNetDetector(ro, wm), canonical(r)));
    }
    return choose(val, found, cfg.fpBudgetPerS());
  }

  static Validation choose(List<Recording> val, List<List<Spike>> found, double fpBudgetPerS) {
    List<ThresholdSweep.Trace> traces = new ArrayList<>();
    for (int i = 0; i < val.size(); i++) {
      Recording r = val.get(i);
      traces.add(new ThresholdSweep.Trace(r.truth(), found.get(i), 2, r.length(), r.durationS()));
    }
    List<ThresholdSweep.Point> points = ThresholdSweep.sweep(traces, ThresholdSweep.THRESHOLDS);
    ThresholdSweep.Point p =
        ThresholdSweep.bestWithin(points, fpBudgetPerS).orElse(points.get(points.size() - 1));
    return new Validation(p.threshold(), p.counts());
  }

  private static float[] slice(float[] a, int n) {
    return n == a.length ? a : java.util.Arrays.copyOf(a, n);
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** For the CLI: a listener that logs one line per epoch and ignores batches. */
  public static Listener epochLog(PrintWriter log) {
    return (epoch, loss, v, threshold, best, seconds) -> {
      log.printf(
          Locale.ROOT,
          "epoch %d: loss %.4f, validation F1 %.4f at threshold %.3f (precision %.3f, recall"
              + " %.3f, %.2f fp/s)%s, %.1f s%n",
          epoch,
          loss,
          v.f1(),
          threshold,
          v.precision(),
          v.recall(),
          v.fpPerSecond(),
          best ? " *" : "",
          seconds);
      log.flush();
    };
  }
}
