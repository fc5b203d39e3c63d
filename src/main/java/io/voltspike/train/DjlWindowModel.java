package io.voltspike.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import io.voltspike.model.WindowModel;

/**
 * The network being trained, as a {@link WindowModel}, so validation runs the real detector
 * (windowing, averaging, shadowing) on it: early stopping optimises the F1 users will get.
 */
final class DjlWindowModel implements WindowModel {
  private final Trainer trainer;
  private final int window;
  private final int channels;
  private final String featureHash;

  DjlWindowModel(Trainer trainer, int channels, int window, String featureHash) {
    this.trainer = trainer;
    this.window = window;
    this.channels = channels;
    this.featureHash = featureHash;
  }

  @Override
  public int windowSamples() {
    return window;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public String featureHash() {
    return featureHash;
  }

  @Override
  public String version() {
    return "training";
  }

  @Override
  public synchronized void predict(float[] input, int batch, float[] output) {
    try (NDManager m = trainer.getManager().newSubManager()) {
      float[] in =
          input.length == batch * channels * window
              ? input
              : java.util.Arrays.copyOf(input, batch * channels * window);
      NDArray x = m.create(in, new Shape(batch, channels, window));
      NDArray p = ai.djl.nn.Activation.sigmoid(trainer.evaluate(new NDList(x)).singletonOrThrow());
      float[] out = p.toFloatArray();
      System.arraycopy(out, 0, output, 0, batch * window);
    }
  }
}
