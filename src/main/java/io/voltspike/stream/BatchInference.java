package io.voltspike.stream;

import io.voltspike.detect.SpikeDetector;
import io.voltspike.model.WindowModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One ONNX Runtime call for the pending windows of many neurons: the windows every waiting unit's
 * detector has cut are gathered into batches of at most {@code batchSize}, run, and handed back
 * with the detector contract's {@code applyPending}. A batch that fails is run again unit by unit,
 * and a unit whose windows fail alone is reported to {@code onFailure}, so one bad neuron never
 * stalls the others or the stream thread.
 */
final class BatchInference {
  private final int batchSize;
  private final StreamStats stats;
  private float[] in = new float[0];
  private float[] out = new float[0];

  BatchInference(int batchSize, StreamStats stats) {
    this.batchSize = batchSize;
    this.stats = stats;
  }

  /**
   * @param units the units to serve, in order
   * @param live their sessions (a unit missing here is skipped)
   * @param onFailure receives a unit whose windows failed alone, with the exception
   */
  void run(
      List<String> units,
      Map<String, NeuronSession> live,
      BiConsumer<String, RuntimeException> onFailure) {
    List<String> group = new ArrayList<>();
    WindowModel model = null;
    int windows = 0;
    for (String unit : units) {
      NeuronSession s = live.get(unit);
      SpikeDetector d = s == null ? null : s.detector();
      if (d != null && d.pendingWindows() > 0) {
        if (windows + d.pendingWindows() > batchSize && !group.isEmpty()) {
          runOrSplit(group, live, model, windows, onFailure);
          group.clear();
          windows = 0;
        }
        model = d.model();
        group.add(unit);
        windows += d.pendingWindows();
      }
    }
    if (!group.isEmpty()) {
      runOrSplit(group, live, model, windows, onFailure);
    }
  }

  private void runOrSplit(
      List<String> group,
      Map<String, NeuronSession> live,
      WindowModel model,
      int windows,
      BiConsumer<String, RuntimeException> onFailure) {
    try {
      runOnce(group, live, model, windows);
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        onFailure.accept(group.get(0), e);
        return;
      }
      for (String unit : group) {
        int n = live.get(unit).detector().pendingWindows();
        runOrSplit(List.of(unit), live, model, n, onFailure);
      }
    }
  }

  private void runOnce(
      List<String> group, Map<String, NeuronSession> live, WindowModel model, int windows) {
    int w = model.windowSamples();
    int c = model.channels();
    if (in.length < windows * c * w) {
      in = new float[windows * c * w];
      out = new float[windows * w];
    }
    int i = 0;
    for (String unit : group) {
      SpikeDetector d = live.get(unit).detector();
      for (int k = 0; k < d.pendingWindows(); k++) {
        d.copyPending(k, in, (i++) * c * w);
      }
    }
    long t0 = System.nanoTime();
    model.predict(in, windows, out);
    stats.inference(windows, System.nanoTime() - t0);
    int off = 0;
    for (String unit : group) {
      NeuronSession s = live.get(unit);
      int n = s.detector().pendingWindows();
      s.detector().applyPending(out, off * w, s.sink());
      off += n;
    }
  }
}
