package io.voltspike.train;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.voltspike.io.AtomicFiles;
import io.voltspike.model.OnnxSpikeModel;
import io.voltspike.model.UNetSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a U-Net as ONNX (opset 13) with tribuo-util-onnx's ONNX protobuf builders, by walking the
 * same {@link UNetSpec#forward} as the DJL network. Nearest upsampling is Unsqueeze + Concat +
 * Reshape, which repeats each sample exactly as DJL's {@code repeat} does.
 */
public final class OnnxExporter {
  public static final int OPSET = 13;

  private OnnxExporter() {}

  public static void export(
      UNetSpec spec, Map<String, float[]> weights, Map<String, String> metadata, Path file)
      throws IOException {
    write(build(spec, weights, metadata), file);
  }

  /** Writes a model atomically: a reader never sees half a file. */
  static void write(OnnxMl.ModelProto model, Path file) throws IOException {
    AtomicFiles.write(
        file,
        tmp -> {
          try (OutputStream out = Files.newOutputStream(tmp)) {
            model.writeTo(out);
          }
        });
  }

  /** Adds {@code metadata} to the model's metadata_props, in map order. */
  static OnnxMl.ModelProto.Builder withMetadata(
      OnnxMl.ModelProto.Builder m, Map<String, String> metadata) {
    metadata.forEach(
        (k, v) ->
            m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return m;
  }

  static OnnxMl.ModelProto build(
      UNetSpec spec, Map<String, float[]> weights, Map<String, String> metadata) {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("voltspike_unet");
    g.addInput(valueInfo(OnnxSpikeModel.INPUT, spec.inChannels(), spec.windowSamples()));
    g.addOutput(valueInfo(OnnxSpikeModel.OUTPUT, 1, spec.windowSamples()));
    g.addInitializer(int64Tensor("unsqueeze_axes", new long[] {3}));
    g.addInitializer(int64Tensor("flatten_last2", new long[] {0, 0, -1}));
    int[] counter = {0};
    String logits =
        spec.forward(
            new UNetSpec.Ops<String>() {
              String fresh(String op) {
                return op + "_" + counter[0]++;
              }

              @Override
              public String conv(String x, UNetSpec.Conv l) {
                String w = l.name() + ".weight";
                String b = l.name() + ".bias";
                g.addInitializer(
                    floatTensor(w, require(weights, w), new long[] {l.out(), l.in(), l.kernel()}));
                g.addInitializer(floatTensor(b, require(weights, b), new long[] {l.out()}));
                String y = fresh(l.name());
                int pad = l.kernel() / 2;
                g.addNode(
                    node("Conv", y, x, w, b)
                        .addAttribute(ints("kernel_shape", l.kernel()))
                        .addAttribute(ints("pads", pad, pad))
                        .addAttribute(ints("strides", 1)));
                return y;
              }

              @Override
              public String relu(String x) {
                String y = fresh("relu");
                g.addNode(node("Relu", y, x));
                return y;
              }

              @Override
              public String maxPool2(String x) {
                String y = fresh("pool");
                g.addNode(
                    node("MaxPool", y, x)
                        .addAttribute(ints("kernel_shape", 2))
                        .addAttribute(ints("strides", 2)));
                return y;
              }

              @Override
              public String upsample2(String x) {
                String u = fresh("unsq");
                g.addNode(node("Unsqueeze", u, x, "unsqueeze_axes"));
                String c = fresh("pair");
                g.addNode(node("Concat", c, u, u).addAttribute(ints1("axis", 3)));
                String y = fresh("up");
                g.addNode(node("Reshape", y, c, "flatten_last2"));
                return y;
              }

              @Override
              public String concat(String skip, String x) {
                String y = fresh("cat");
                g.addNode(node("Concat", y, skip, x).addAttribute(ints1("axis", 1)));
                return y;
              }
            },
            OnnxSpikeModel.INPUT);
    g.addNode(node("Sigmoid", OnnxSpikeModel.OUTPUT, logits));
    OnnxMl.ModelProto.Builder m =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(7)
            .setProducerName("voltspike")
            .setModelVersion(1)
            .setGraph(g)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET));
    return withMetadata(m, metadata).build();
  }

  private static float[] require(Map<String, float[]> weights, String name) {
    float[] w = weights.get(name);
    if (w == null) {
      throw new IllegalArgumentException("no weights for " + name);
    }
    return w;
  }

  private static OnnxMl.NodeProto.Builder node(String op, String out, String... in) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).addOutput(out);
    n.setName(out);
    for (String i : in) {
      n.addInput(i);
    }
    return n;
  }

  private static OnnxMl.AttributeProto ints(String name, long... v) {
    OnnxMl.AttributeProto.Builder a =
        OnnxMl.AttributeProto.newBuilder()
            .setName(name)
            .setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  private static OnnxMl.AttributeProto ints1(String name, long v) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name)
        .setType(OnnxMl.AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }

  private static OnnxMl.TensorProto floatTensor(String name, float[] data, long[] dims) {
    ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(data);
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
            .setRawData(ByteString.copyFrom(b.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  private static OnnxMl.TensorProto int64Tensor(String name, long[] data) {
    OnnxMl.TensorProto.Builder t =
        OnnxMl.TensorProto.newBuilder()
            .setName(name)
            .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
            .addDims(data.length);
    for (long v : data) {
      t.addInt64Data(v);
    }
    return t.build();
  }

  private static OnnxMl.ValueInfoProto valueInfo(String name, int channels, int window) {
    OnnxMl.TensorShapeProto shape =
        OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(channels))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(window))
            .build();
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }
}
