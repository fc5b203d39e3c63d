package io.voltspike.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.voltspike.model.UNetSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainable U-Net: {@link UNetSpec#forward} interpreted with DJL operations. Its parameters are
 * named {@code <conv>.weight} / {@code <conv>.bias} after the spec's convolutions, which is how the
 * ONNX exporter finds them.
 */
public final class DjlUNet extends AbstractBlock {
  private final UNetSpec spec;
  private final Map<String, Parameter> weights = new LinkedHashMap<>();
  private final Map<String, Parameter> biases = new LinkedHashMap<>();

  public DjlUNet(UNetSpec spec) {
    this.spec = spec;
    for (UNetSpec.Conv c : spec.convolutions()) {
      Parameter w =
          addParameter(
              Parameter.builder()
                  .setName(c.name() + ".weight")
                  .setType(Parameter.Type.WEIGHT)
                  .optShape(new Shape(c.out(), c.in(), c.kernel()))
                  .optInitializer(new XavierInitializer())
                  .build());
      Parameter b =
          addParameter(
              Parameter.builder()
                  .setName(c.name() + ".bias")
                  .setType(Parameter.Type.BIAS)
                  .optShape(new Shape(c.out()))
                  .optInitializer(Initializer.ZEROS)
                  .build());
      weights.put(c.name(), w);
      biases.put(c.name(), b);
    }
  }

  public UNetSpec spec() {
    return spec;
  }

  /** Current weights, as float arrays by parameter name (for export). */
  public Map<String, float[]> weightArrays() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (var e : weights.entrySet()) {
      out.put(e.getKey() + ".weight", e.getValue().getArray().toFloatArray());
      out.put(e.getKey() + ".bias", biases.get(e.getKey()).getArray().toFloatArray());
    }
    return out;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray logits =
        spec.forward(
            new UNetSpec.Ops<NDArray>() {
              @Override
              public NDArray conv(NDArray h, UNetSpec.Conv l) {
                NDArray w = store.getValue(weights.get(l.name()), h.getDevice(), training);
                NDArray b = store.getValue(biases.get(l.name()), h.getDevice(), training);
                return Conv1d.conv1d(
                        h, w, b, new Shape(1), new Shape(l.kernel() / 2), new Shape(1), 1)
                    .singletonOrThrow();
              }

              @Override
              public NDArray relu(NDArray h) {
                // not h.maximum(0f): see WeightedBceLoss on scalars under autograd
                return Activation.relu(h);
              }

              @Override
              public NDArray maxPool2(NDArray h) {
                return Pool.maxPool1d(h, new Shape(2), new Shape(2), new Shape(0), false);
              }

              @Override
              public NDArray upsample2(NDArray h) {
                return h.repeat(2, 2);
              }

              @Override
              public NDArray concat(NDArray skip, NDArray h) {
                return skip.concat(h, 1);
              }
            },
            x);
    return new NDList(logits);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), 1, in.get(2))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // no child blocks: all parameters are direct
  }
}
