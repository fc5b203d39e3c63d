package io.voltspike.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy on logits with a positive-class weight, which DJL's sigmoid BCE lacks:
 * {@code mean(w y softplus(-z) + (1 - y) softplus(z))}, softplus computed stably as {@code max(z,0)
 * + log(1 + exp(-|z|))}. Spikes are about 1 % of samples, so without the weight the network learns
 * to say "no spike" everywhere.
 */
public final class WeightedBceLoss extends Loss {
  private final float positiveWeight;

  public WeightedBceLoss(float positiveWeight) {
    super("weighted_bce");
    this.positiveWeight = positiveWeight;
  }

  static NDArray softplus(NDArray z) {
    return z.maximum(0f).add(z.abs().neg().exp().add(1f).log());
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray z = predictions.singletonOrThrow();
    NDArray y = labels.singletonOrThrow().reshape(z.getShape());
    NDArray pos = y.mul(softplus(z.neg())).mul(positiveWeight);
    NDArray neg = y.neg().add(1f).mul(softplus(z));
    return pos.add(neg).mean();
  }
}
