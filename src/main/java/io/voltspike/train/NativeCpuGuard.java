package io.voltspike.train;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Caps oneDNN (PyTorch's CPU convolution library) at AVX2 before the PyTorch engine loads.
 *
 * <p><b>Why.</b> On AMD EPYC machines with AVX-512 (Zen 4), the oneDNN AVX-512 convolution kernels
 * bundled with PyTorch 2.7.1 returned NaN in this U-Net's training from the first epoch, while the
 * same run capped at AVX2 ({@code DNNL_MAX_CPU_ISA=AVX2}) trained correctly; {@code
 * ATEN_CPU_CAPABILITY=avx2}, which caps only PyTorch's own kernels, did not help. oneDNN on AMD
 * CPUs has a history of such ISA-specific faults (pytorch/pytorch#89104, #177227). The network is
 * small, so AVX2 costs little.
 *
 * <p><b>Before PyTorch loads, or never.</b> oneDNN reads the cap when it first dispatches, and
 * setting it later in the same process makes it mix kernels chosen before and after: a no-grad
 * forward pass at the default ISA, then the cap, then training gave NaN weights within the first
 * steps in 3 runs of 3 here ({@code OnnxParityTest} before {@code UNetTrainerTest} in one test
 * JVM), and in the project's CI. So the cap refuses to be set once PyTorch's library is in the
 * process: every entry point that loads PyTorch calls {@link #capIsa} first.
 *
 * <p>oneDNN reads {@code DNNL_MAX_CPU_ISA} with {@code getenv} when it first dispatches, so setting
 * it in this process through libc's {@code setenv} (JNA, already on the training class path) works
 * from every entry point: the launcher, the tests and a plain {@code java -cp}. A value the user
 * set is kept ({@code setenv} without overwrite).
 */
public final class NativeCpuGuard {
  /** The variables set and their values, in the order they are set. */
  public static final Map<String, String> CAPS = Map.of("DNNL_MAX_CPU_ISA", "AVX2");

  private NativeCpuGuard() {}

  /**
   * Sets each of {@link #CAPS} in the process environment unless it is already set; returns the
   * values in force afterwards (as libc sees them), for the training log.
   */
  public static synchronized Map<String, String> capIsa() {
    NativeLibrary libc = NativeLibrary.getInstance("c");
    Function setenv = libc.getFunction("setenv");
    Function getenv = libc.getFunction("getenv");
    Map<String, String> inForce = new LinkedHashMap<>();
    for (Map.Entry<String, String> cap : CAPS.entrySet()) {
      if (getenv.invoke(String.class, new Object[] {cap.getKey()}) == null && pytorchLoaded()) {
        throw new IllegalStateException(
            "PyTorch was loaded in this process before "
                + cap.getKey()
                + " was set: oneDNN would mix kernels of two instruction sets, and training has"
                + " gone NaN that way; call NativeCpuGuard.capIsa() before anything loads PyTorch"
                + " (or set "
                + cap.getKey()
                + "="
                + cap.getValue()
                + " in the environment)");
      }
      int rc = setenv.invokeInt(new Object[] {cap.getKey(), cap.getValue(), 0});
      if (rc != 0) {
        throw new IllegalStateException("setenv(" + cap.getKey() + ") failed with " + rc);
      }
      String seen = (String) getenv.invoke(String.class, new Object[] {cap.getKey()});
      inForce.put(
          cap.getKey(), seen != null ? seen : System.getenv().getOrDefault(cap.getKey(), ""));
    }
    return inForce;
  }

  /** True when PyTorch's native library is mapped into this process (Linux; false elsewhere). */
  static boolean pytorchLoaded() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/maps"))
          .contains("libtorch_cpu");
    } catch (java.io.IOException | RuntimeException e) {
      return false;
    }
  }
}
