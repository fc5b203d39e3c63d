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
import io.voltspike.eval.Counts;
import io.voltspike.eval.Matcher;
import io.voltspike.io.ReadOptions;
import io.voltspike.io.Recording;
import io.voltspike.io.Recordings;
import io.voltspike.model.ModelMetadata;
import io.voltspike.signal.FeatureConfig;
import io.voltspike.signal.Features;
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
  private static final int CHANNELS = FeatureConfig.CHANNELS.length;

  /** Progress callbacks, so the CLI can show a bar and tests stay quiet. */
  public interface Listener {
    void epochStarted(int epoch, int batches);

    void batchDone();

    void epochDone(int epoch, double loss, Counts validation, boolean best, double seconds);
  }

  /** What a run produced. */
  public record Result(
      int epochs, int bestEpoch, Counts bestValidation, Map<String, String> meta) {}

  private final TrainConfig cfg;
  private final FeatureConfig features = FeatureConfig.defaults();

  public UNetTrainer(TrainConfig cfg) {
    this.cfg = cfg;
  }

  /** Simulated (and optional file) recordings, each in canonical (positive) polarity. */
  List<Recording> recordings(int count, long seed) throws IOException {
    List<Recording> out = new ArrayList<>();
    for (Preset.Spec s : Preset.DEFAULT.specs(count, cfg.durationS(), seed, 1000.0)) {
      out.add(NeuronSimulator.simulate(s.name(), s.params(), s.seed()));
    }
    return out;
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
    float[] x = new float[n * CHANNELS * w];
    float[] y = new float[n * w];
    int k = 0;
    for (Recording r : recs) {
      Features f = Features.of(features, canonical(r));
      float[] labels = r.truthLabels();
      for (int s = 0; s + w <= r.length(); s += stride) {
        for (int c = 0; c < CHANNELS; c++) {
          System.arraycopy(f.channels()[c], s, x, (k * CHANNELS + c) * w, w);
        }
        System.arraycopy(labels, s, y, k * w, w);
        k++;
      }
    }
    return new Windows(x, y, k);
  }

  public Result train(Listener listener, PrintWriter log) throws IOException {
    System.setProperty("ai.djl.offline", "true");
    Engine.getEngine("PyTorch").setRandomSeed((int) cfg.seed());
    List<Recording> train = new ArrayList<>(recordings(cfg.trainTraces(), cfg.seed()));
    if (cfg.data() != null) {
      for (Recording r : Recordings.readAll(cfg.data(), ReadOptions.defaults())) {
        if (r.hasTruth()) {
          train.add(r);
        }
      }
    }
    List<Recording> val = recordings(cfg.validationTraces(), cfg.seed() + 1_000_003L);
    Windows data = windows(train);
    log.printf(
        Locale.ROOT,
        "training %s: %d parameters, %d windows from %d traces, %d validation traces%n",
        cfg.spec(),
        cfg.spec().parameters(),
        data.n(),
        train.size(),
        val.size());
    log.flush();
    int w = cfg.spec().windowSamples();
    try (Model model = Model.newInstance("voltspike-unet", "PyTorch")) {
      DjlUNet net = new DjlUNet(cfg.spec());
      model.setBlock(net);
      DefaultTrainingConfig tc =
          new DefaultTrainingConfig(new WeightedBceLoss(cfg.positiveWeight()))
              .optOptimizer(
                  Optimizer.adam()
                      .optLearningRateTracker(Tracker.fixed(cfg.learningRate()))
                      .build());
      try (Trainer trainer = model.newTrainer(tc)) {
        trainer.initialize(new Shape(cfg.batchSize(), CHANNELS, w));
        DjlWindowModel wm = new DjlWindowModel(trainer, CHANNELS, w, features.hash());
        Random rnd = new Random(cfg.seed());
        int[] order = new int[data.n()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        int batches = (data.n() + cfg.batchSize() - 1) / cfg.batchSize();
        double bestF1 = -1;
        int bestEpoch = 0;
        Counts bestCounts = null;
        Map<String, float[]> bestWeights = null;
        int epoch = 0;
        float[] bx = new float[cfg.batchSize() * CHANNELS * w];
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
              System.arraycopy(data.x(), src * CHANNELS * w, bx, i * CHANNELS * w, CHANNELS * w);
              System.arraycopy(data.y(), src * w, by, i * w, w);
            }
            try (NDManager m = trainer.getManager().newSubManager()) {
              NDArray x = m.create(slice(bx, size * CHANNELS * w), new Shape(size, CHANNELS, w));
              NDArray y = m.create(slice(by, size * w), new Shape(size, 1, w));
              try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(x));
                NDArray loss = tc.getLossFunction().evaluate(new NDList(y), pred);
                gc.backward(loss);
                lossSum += loss.getFloat();
              }
              trainer.step();
            }
            listener.batchDone();
          }
          Counts v = validate(val, wm);
          boolean best = v.f1() > bestF1;
          if (best) {
            bestF1 = v.f1();
            bestEpoch = epoch;
            bestCounts = v;
            bestWeights = net.weightArrays();
          }
          listener.epochDone(epoch, lossSum / batches, v, best, (System.nanoTime() - t0) / 1e9);
        }
        Map<String, String> meta = metadata(bestEpoch, bestCounts, train.size());
        OnnxExporter.export(cfg.spec(), bestWeights, meta, cfg.output());
        return new Result(epoch, bestEpoch, bestCounts, meta);
      }
    }
  }

  private Map<String, String> metadata(int bestEpoch, Counts best, int traces) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ModelMetadata.VERSION, "unet-" + cfg.spec() + "-s" + cfg.seed() + "-e" + bestEpoch);
    m.put(ModelMetadata.WINDOW, Integer.toString(cfg.spec().windowSamples()));
    m.put(ModelMetadata.CHANNELS, Integer.toString(CHANNELS));
    m.put("voltspike.channel_order", String.join(",", FeatureConfig.CHANNELS));
    m.put(ModelMetadata.FEATURE_CONFIG, features.canonical());
    m.put(ModelMetadata.FEATURE_HASH, features.hash());
    m.put(ModelMetadata.ARCHITECTURE, cfg.spec().toString());
    m.put(
        ModelMetadata.TRAINED_ON,
        String.format(
            Locale.ROOT,
            "%d simulated traces x %.0f s (voltspike simulate --preset default, seed %d,"
                + " SNR 2-12, all families and polarities)%s",
            cfg.trainTraces(),
            cfg.durationS(),
            cfg.seed(),
            cfg.data() == null ? "" : " + labelled recordings from " + cfg.data()));
    m.put(ModelMetadata.TRAINING_COMMAND, command());
    m.put(
        ModelMetadata.VALIDATION_F1,
        String.format(Locale.ROOT, "%.4f (+-2 samples, full context)", best.f1()));
    return m;
  }

  String command() {
    return String.format(
        Locale.ROOT,
        "voltspike train --architecture %s --train-traces %d --validation-traces %d"
            + " --duration-s %.0f --window-stride %d --train-batch-size %d --learning-rate %s"
            + " --positive-weight %s --max-epochs %d --patience %d --seed %d",
        cfg.spec(),
        cfg.trainTraces(),
        cfg.validationTraces(),
        cfg.durationS(),
        cfg.windowStrideSamples(),
        cfg.batchSize(),
        cfg.learningRate(),
        cfg.positiveWeight(),
        cfg.maxEpochs(),
        cfg.patience(),
        cfg.seed());
  }

  /** F1 (+-2 samples) of the real detector, full context, on the validation traces. */
  Counts validate(List<Recording> val, DjlWindowModel wm) {
    DetectorOptions o =
        DetectorOptions.defaults()
            .withUnet(UNetOptions.defaults().withLookaheadMs(Double.POSITIVE_INFINITY));
    Counts total = Counts.ZERO;
    for (Recording r : val) {
      UNetDetector d = new UNetDetector(o, wm);
      List<Spike> s = OfflineDetection.run(d, canonical(r));
      total =
          total.plus(
              Matcher.counts(r.truth(), OfflineDetection.samples(s), 2, r.length(), r.durationS()));
    }
    return total;
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
    return new Listener() {
      @Override
      public void epochStarted(int epoch, int batches) {}

      @Override
      public void batchDone() {}

      @Override
      public void epochDone(int epoch, double loss, Counts v, boolean best, double seconds) {
        log.printf(
            Locale.ROOT,
            "epoch %d: loss %.4f, validation F1 %.4f (precision %.3f, recall %.3f)%s, %.1f s%n",
            epoch,
            loss,
            v.f1(),
            v.precision(),
            v.recall(),
            best ? " *" : "",
            seconds);
        log.flush();
      }
    };
  }
}
