package io.voltspike.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.voltspike.model.ExecutionProvider;
import io.voltspike.model.ModelMetadata;
import io.voltspike.model.OnnxSpikeModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ensemble graph outputs the mean of its members' probabilities, and only of alike members. */
class OnnxEnsembleTest {
  static final Path WHITENED = Path.of("models/voltspike-unet-whitened.onnx");
  static final Path FIVE = Path.of("models/voltspike-unet.onnx");

  @TempDir Path dir;

  static OnnxMl.ModelProto read(Path p) throws IOException {
    return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(p));
  }

  /** The member with every bias of its last convolution shifted: another network, same inputs. */
  static OnnxMl.ModelProto shifted(OnnxMl.ModelProto m, float by) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    String lastBias = null;
    for (OnnxMl.TensorProto t : m.getGraph().getInitializerList()) {
      if (t.getName().endsWith(".bias")) {
        lastBias = t.getName();
      }
    }
    for (int i = 0; i < g.getInitializerCount(); i++) {
      OnnxMl.TensorProto t = g.getInitializer(i);
      if (t.getName().equals(lastBias)) {
        ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer c = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
          c.putFloat(b.getFloat() + by);
        }
        g.setInitializer(i, t.toBuilder().setRawData(ByteString.copyFrom(c.array())));
      }
    }
    return m.toBuilder().setGraph(g).build();
  }

  float[] predict(Path file, float[] x, int batch) {
    try (OnnxSpikeModel m =
        OnnxSpikeModel.load(
            file,
            ExecutionProvider.CPU,
            1,
            OnnxEnsemble.metadata(readUnchecked(file)).get(ModelMetadata.FEATURE_HASH))) {
      float[] y = new float[batch * m.windowSamples()];
      m.predict(x, batch, y);
      return y;
    }
  }

  static OnnxMl.ModelProto readUnchecked(Path p) {
    try {
      return read(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Path write(String name, OnnxMl.ModelProto m) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, m.toByteArray());
    return p;
  }

  @Test
  void outputsTheMeanOfItsMembers() throws IOException {
    OnnxMl.ModelProto a = read(WHITENED);
    OnnxMl.ModelProto b = shifted(a, 1.5f);
    Path pa = write("a.onnx", a);
    Path pb = write("b.onnx", b);
    Path pe = write("e.onnx", OnnxEnsemble.merge(List.of(a, b), OnnxEnsemble.metadata(a)));
    int batch = 5;
    float[] x = new float[batch * 6 * 100];
    Random r = new Random(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (1.5 * r.nextGaussian());
    }
    float[] ya = predict(pa, x, batch);
    float[] yb = predict(pb, x, batch);
    float[] ye = predict(pe, x, batch);
    double maxDiff = 0;
    for (int i = 0; i < ye.length; i++) {
      assertEquals((ya[i] + yb[i]) / 2, ye[i], 1e-6, "sample " + i);
      maxDiff = Math.max(maxDiff, Math.abs(ya[i] - yb[i]));
    }
    assertTrue(maxDiff > 0.05, "the two members must differ for the test to mean anything");
    // a model merged with itself is the model
    Path self = write("self.onnx", OnnxEnsemble.merge(List.of(a, a, a), OnnxEnsemble.metadata(a)));
    assertArrayEquals(ya, predict(self, x, batch), 1e-6f);
  }

  @Test
  void refusesMembersThatReadOtherInputs() throws IOException {
    OnnxMl.ModelProto six = read(WHITENED);
    OnnxMl.ModelProto five = read(FIVE);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OnnxEnsemble.merge(List.of(six, five), OnnxEnsemble.metadata(six)));
    assertTrue(e.getMessage().contains(ModelMetadata.CHANNELS), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> OnnxEnsemble.merge(List.of(six), OnnxEnsemble.metadata(six)));
  }
}
