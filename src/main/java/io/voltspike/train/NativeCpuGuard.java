package io.voltspike.train;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.Map;

/**
 * Caps oneDNN (PyTorch's CPU convolution library) at AVX2 before the PyTorch engine loads.
 *
 * <p><b>Why.</b> On AMD EPYC machines with AVX-512 (Zen 4), the oneDNN AVX-512 convolution kernels
 * bundled with PyTorch 2.7.1 return NaN in this U-Net's training from the first epoch, while the
 * same run capped at AVX2 ({@code DNNL_MAX_CPU_ISA=AVX2}) trains correctly; {@code
 * ATEN_CPU_CAPABILITY=avx2}, which caps only PyTorch's own kernels, does not help. oneDNN on AMD
 * CPUs has a history of such ISA-specific faults (pytorch/pytorch#89104, #177227), and the
 * documented remedy is its CPU dispatcher control. The network is small, so AVX2 costs little.
 *
 * <p>oneDNN reads {@code DNNL_MAX_CPU_ISA} with {@code getenv} when it first dispatches, so setting
 * it in this process through libc's {@code setenv} (JNA, already on the training class path) works
 * from every entry point: the launcher, the tests and a plain {@code java -cp}. A value the user
 * set is kept ({@code setenv} without overwrite).
 */
public final class NativeCpuGuard {
  public static final String VARIABLE = "DNNL_MAX_CPU_ISA";
  public static final String CAP = "AVX2";

  private NativeCpuGuard() {}

  /**
   * Sets {@value #VARIABLE}={@value #CAP} in the process environment unless it is already set;
   * returns the value in force afterwards (as libc sees it).
   */
  public static synchronized String capOneDnn() {
    Map<String, String> javaEnv = System.getenv();
    NativeLibrary libc = NativeLibrary.getInstance("c");
    Function setenv = libc.getFunction("setenv");
    int rc = setenv.invokeInt(new Object[] {VARIABLE, CAP, 0});
    if (rc != 0) {
      throw new IllegalStateException("setenv(" + VARIABLE + ") failed with " + rc);
    }
    String seen = (String) libc.getFunction("getenv").invoke(String.class, new Object[] {VARIABLE});
    return seen != null ? seen : javaEnv.getOrDefault(VARIABLE, "");
  }
}
