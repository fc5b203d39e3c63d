package io.voltspike.train;

import ai.onnx.proto.OnnxMl;
import io.voltspike.model.ModelMetadata;
import io.voltspike.model.OnnxSpikeModel;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges trained U-Nets into one ONNX graph that outputs the mean of their probabilities: members
 * trained from different seeds make different mistakes on what none of them was trained on, and one
 * file keeps the detector, its feature hash check and the stream code as they are (one session, one
 * inference call per batch). Every member must read the same inputs: the same window, channels,
 * feature hash and model rate.
 */
public final class OnnxEnsemble {
  private OnnxEnsemble() {}

  /**
   * One graph: each member's nodes and weights under the prefix {@code m<i>/}, all reading the
   * shared input, and an ONNX {@code Mean} of their outputs as the output.
   */
  public static OnnxMl.ModelProto merge(
      List<OnnxMl.ModelProto> members, Map<String, String> metadata) {
    if (members.size() < 2) {
      throw new IllegalArgumentException("an ensemble needs at least 2 members, got " + members);
    }
    OnnxMl.ModelProto first = members.get(0);
    Map<String, String> firstMeta = metadata(first);
    for (int i = 1; i < members.size(); i++) {
      Map<String, String> other = metadata(members.get(i));
      for (String k :
          List.of(
              ModelMetadata.WINDOW,
              ModelMetadata.CHANNELS,
              ModelMetadata.FEATURE_HASH,
              ModelMetadata.SAMPLE_RATE_HZ)) {
        String a = firstMeta.get(k);
        String b = other.get(k);
        if (a == null || !a.equals(b)) {
          throw new IllegalArgumentException(
              "ensemble member " + i + " has " + k + " " + b + ", member 0 has " + a);
        }
      }
    }
    OnnxMl.GraphProto.Builder g =
        OnnxMl.GraphProto.newBuilder()
            .setName("voltspike_unet_ensemble")
            .addInput(first.getGraph().getInput(0))
            .addOutput(first.getGraph().getOutput(0));
    OnnxMl.NodeProto.Builder mean =
        OnnxMl.NodeProto.newBuilder()
            .setOpType("Mean")
            .setName(OnnxSpikeModel.OUTPUT)
            .addOutput(OnnxSpikeModel.OUTPUT);
    for (int i = 0; i < members.size(); i++) {
      OnnxMl.GraphProto m = members.get(i).getGraph();
      String prefix = "m" + i + "/";
      Set<String> local = new HashSet<>();
      m.getInitializerList().forEach(t -> local.add(t.getName()));
      m.getNodeList().forEach(n -> local.addAll(n.getOutputList()));
      for (OnnxMl.TensorProto t : m.getInitializerList()) {
        g.addInitializer(t.toBuilder().setName(prefix + t.getName()));
      }
      for (OnnxMl.NodeProto n : m.getNodeList()) {
        OnnxMl.NodeProto.Builder b = n.toBuilder().setName(prefix + n.getName());
        for (int k = 0; k < n.getInputCount(); k++) {
          String in = n.getInput(k);
          b.setInput(k, local.contains(in) ? prefix + in : in);
        }
        for (int k = 0; k < n.getOutputCount(); k++) {
          b.setOutput(k, prefix + n.getOutput(k));
        }
        g.addNode(b);
      }
      mean.addInput(prefix + OnnxSpikeModel.OUTPUT);
    }
    g.addNode(mean);
    OnnxMl.ModelProto.Builder out =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(first.getIrVersion())
            .setProducerName("voltspike")
            .setModelVersion(1)
            .setGraph(g)
            .addAllOpsetImport(first.getOpsetImportList());
    return OnnxExporter.withMetadata(out, metadata).build();
  }

  /** A model's metadata (ONNX metadata_props) as a map, in file order. */
  public static Map<String, String> metadata(OnnxMl.ModelProto m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.getMetadataPropsList().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
