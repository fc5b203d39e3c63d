package io.voltspike.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy on logits with a positive-class weight, which DJL's sigmoid BCE lacks:
 * {@code mean(w y softplus(-z) + (1 - y) softplus(z))}, softplus computed stably as {@code max(z,0)
 * + log(1 + exp(-|z|))}. Spikes are about 1 % of samples, so without the weight the network learns
 * to say "no spike" everywhere.
 *
 * <p><b>No NDArray-scalar operations whose backward reads the scalar</b> ({@code maximum(0f)},
 * {@code mul(w)}): DJL's PyTorch engine makes such a scalar a tensor over a direct buffer that it
 * closes right after the operation, while autograd keeps the tensor for the backward pass; once the
 * garbage collector frees the buffer, the backward pass reads freed memory, and the losses of a run
 * depended on when the JVM collected garbage. {@code relu} and a weight tensor the engine allocates
 * itself ({@code full}) hold their own memory.
 */
public final class WeightedBceLoss extends Loss {
  private final float positiveWeight;

  public WeightedBceLoss(float positiveWeight) {
    super("weighted_bce");
    this.positiveWeight = positiveWeight;
  }

  static NDArray softplus(NDArray z) {
    return Activation.relu(z).add(z.abs().neg().exp().add(1f).log());
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray z = predictions.singletonOrThrow();
    NDArray y = labels.singletonOrThrow().reshape(z.getShape());
    NDArray weight = z.getManager().full(new Shape(), positiveWeight);
    NDArray pos = y.mul(softplus(z.neg())).mul(weight);
    NDArray neg = y.neg().add(1f).mul(softplus(z));
    return pos.add(neg).mean();
  }
}
