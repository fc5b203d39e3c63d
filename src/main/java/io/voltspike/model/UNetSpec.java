package io.voltspike.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one description of the 1D U-Net: channel widths per level and kernel size. {@link #forward}
 * walks the topology once for any {@link Ops} implementation, so the trainable network (DJL) and
 * its ONNX export are two interpreters of the same code and cannot drift apart.
 *
 * <p>Topology for widths {@code [c0, c1, ..., cL]}: each encoder level d &lt; L applies two
 * convolutions (then ReLU) to width c_d, keeps the result as a skip, and max-pools by 2; the bottom
 * level applies two convolutions to c_L; each decoder level upsamples by 2 (nearest), convolves to
 * c_d, concatenates the skip and convolves back to c_d; a 1x1 convolution gives one logit per
 * sample. Convolutions are "same" padded, so the output has the input's length.
 *
 * @param inChannels feature channels (5)
 * @param windowSamples window length; divisible by 2^(levels-1)
 * @param widths channels per level, top to bottom (at least 3: two down/up levels)
 * @param kernel odd kernel size of every convolution but the head
 */
public record UNetSpec(int inChannels, int windowSamples, int[] widths, int kernel) {

  public UNetSpec {
    if (widths.length < 3) {
      throw new IllegalArgumentException(
          "a U-Net needs at least 3 levels (two down/up steps), got " + Arrays.toString(widths));
    }
    if (kernel < 1 || kernel % 2 == 0) {
      throw new IllegalArgumentException("kernel must be odd and >= 1, was " + kernel);
    }
    int div = 1 << (widths.length - 1);
    if (windowSamples % div != 0) {
      throw new IllegalArgumentException(
          "window of " + windowSamples + " samples is not divisible by " + div);
    }
    widths = widths.clone();
  }

  /** Parses "8-16-32" or "8-16-32:k5" (kernel 5 by default). */
  public static UNetSpec parse(String s, int inChannels, int windowSamples) {
    String[] parts = s.strip().toLowerCase(Locale.ROOT).split(":k");
    try {
      int[] w = Arrays.stream(parts[0].split("-")).mapToInt(Integer::parseInt).toArray();
      int k = parts.length > 1 ? Integer.parseInt(parts[1]) : 5;
      return new UNetSpec(inChannels, windowSamples, w, k);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "bad architecture '" + s + "'; expected widths and kernel like 8-16-32:k5");
    }
  }

  @Override
  public String toString() {
    return Arrays.stream(widths).mapToObj(Integer::toString).collect(Collectors.joining("-"))
        + ":k"
        + kernel;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UNetSpec u
        && u.inChannels == inChannels
        && u.windowSamples == windowSamples
        && u.kernel == kernel
        && Arrays.equals(u.widths, widths);
  }

  @Override
  public int hashCode() {
    return toString().hashCode() * 31 + windowSamples * 7 + inChannels;
  }

  /** One convolution: weights {@code [out, in, kernel]} and a bias {@code [out]}. */
  public record Conv(String name, int in, int out, int kernel) {
    public int parameters() {
      return out * in * kernel + out;
    }
  }

  /** The operations the topology is made of. */
  public interface Ops<T> {
    T conv(T x, Conv layer);

    T relu(T x);

    T maxPool2(T x);

    T upsample2(T x);

    /** Concatenates along the channel axis: skip first. */
    T concat(T skip, T x);
  }

  /** Runs the topology on {@code input}; returns the logits (one channel). */
  public <T> T forward(Ops<T> ops, T input) {
    int levels = widths.length;
    List<T> skips = new ArrayList<>();
    T h = input;
    int c = inChannels;
    for (int d = 0; d < levels - 1; d++) {
      h = ops.relu(ops.conv(h, new Conv("enc" + d + "a", c, widths[d], kernel)));
      h = ops.relu(ops.conv(h, new Conv("enc" + d + "b", widths[d], widths[d], kernel)));
      skips.add(h);
      h = ops.maxPool2(h);
      c = widths[d];
    }
    int bottom = widths[levels - 1];
    h = ops.relu(ops.conv(h, new Conv("mid_a", c, bottom, kernel)));
    h = ops.relu(ops.conv(h, new Conv("mid_b", bottom, bottom, kernel)));
    for (int d = levels - 2; d >= 0; d--) {
      h = ops.upsample2(h);
      h = ops.relu(ops.conv(h, new Conv("up" + d, widths[d + 1], widths[d], kernel)));
      h = ops.concat(skips.get(d), h);
      h = ops.relu(ops.conv(h, new Conv("dec" + d, 2 * widths[d], widths[d], kernel)));
    }
    return ops.conv(h, new Conv("head", widths[0], 1, 1));
  }

  /** Every convolution in forward order. */
  public List<Conv> convolutions() {
    List<Conv> out = new ArrayList<>();
    forward(
        new Ops<int[]>() {
          @Override
          public int[] conv(int[] x, Conv layer) {
            out.add(layer);
            return x;
          }

          @Override
          public int[] relu(int[] x) {
            return x;
          }

          @Override
          public int[] maxPool2(int[] x) {
            return x;
          }

          @Override
          public int[] upsample2(int[] x) {
            return x;
          }

          @Override
          public int[] concat(int[] skip, int[] x) {
            return x;
          }
        },
        new int[0]);
    return out;
  }

  public long parameters() {
    return convolutions().stream().mapToLong(Conv::parameters).sum();
  }

  /** Multiply-accumulates of one window's forward pass. */
  public long macsPerWindow() {
    long[] macs = {0};
    forward(
        new Ops<Integer>() {
          @Override
          public Integer conv(Integer len, Conv l) {
            macs[0] += (long) l.in() * l.out() * l.kernel() * len;
            return len;
          }

          @Override
          public Integer relu(Integer len) {
            return len;
          }

          @Override
          public Integer maxPool2(Integer len) {
            return len / 2;
          }

          @Override
          public Integer upsample2(Integer len) {
            return len * 2;
          }

          @Override
          public Integer concat(Integer skip, Integer len) {
            return len;
          }
        },
        windowSamples);
    return macs[0];
  }
}
