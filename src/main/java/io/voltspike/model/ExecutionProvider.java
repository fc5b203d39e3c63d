package io.voltspike.model;

import java.util.Locale;

/** Where ONNX Runtime runs the model. */
public enum ExecutionProvider {
  CPU,
  CUDA;

  public static ExecutionProvider parse(String s) {
    try {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown provider '" + s + "'; valid values: cpu, cuda");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
