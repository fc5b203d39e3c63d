package io.voltspike.signal;

import io.voltspike.avro.state.MedianWindowState;
import io.voltspike.io.StateArrays;
import io.voltspike.io.StateFormatException;
import java.util.Arrays;

/**
 * Median of the last {@code capacity} values pushed, with no allocation.
 *
 * <p>It keeps a ring buffer (arrival order, to know which value leaves) and a sorted copy (for the
 * median). A push finds the leaving value and the new one's place by binary search and moves the
 * values between them by one (a memory move). The sorted copy holds each float as an int that
 * orders like {@link Float#compare} ({@link #key}), so the searches compare integers without
 * branches the processor could mispredict: those searches were the extractor's hottest code. The
 * state is the held values in arrival order, so it serializes compactly and restores bit-exactly,
 * which the Kafka state stores rely on.
 */
public final class SlidingMedian {
  private final float[] ring;
  private final int[] sorted;
  private int head;
  private int size;

  public SlidingMedian(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.ring = new float[capacity];
    this.sorted = new int[capacity];
  }

  public int capacity() {
    return ring.length;
  }

  public int size() {
    return size;
  }

  /** Adds a value, evicting the oldest once full. NaN is refused: callers impute first. */
  public void push(float value) {
    if (Float.isNaN(value)) {
      throw new IllegalArgumentException("NaN cannot enter a sliding median");
    }
    int k = key(value);
    if (size == ring.length) {
      // replace the oldest value: one shift of the sorted span between its place and the new one
      int at = lowerBound(key(ring[head]));
      ring[head] = value;
      head = head + 1 == ring.length ? 0 : head + 1;
      int ins = lowerBound(k);
      if (ins > at) {
        System.arraycopy(sorted, at + 1, sorted, at, ins - at - 1);
        sorted[ins - 1] = k;
      } else {
        System.arraycopy(sorted, ins, sorted, ins + 1, at - ins);
        sorted[ins] = k;
      }
      return;
    }
    ring[head] = value;
    head = head + 1 == ring.length ? 0 : head + 1;
    int ins = lowerBound(k);
    System.arraycopy(sorted, ins, sorted, ins + 1, size - ins);
    sorted[ins] = k;
    size++;
  }

  /**
   * A float's bits as an int that orders like {@link Float#compare} (negative values' magnitude
   * bits flipped); its own inverse.
   */
  static int key(float v) {
    int b = Float.floatToRawIntBits(v);
    return b ^ ((b >> 31) & 0x7fffffff);
  }

  static float value(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
  }

  /** The median of the values held: the mean of the two middle ones for an even count. */
  public double median() {
    if (size == 0) {
      return Double.NaN;
    }
    int mid = size >>> 1;
    if ((size & 1) == 1) {
      return value(sorted[mid]);
    }
    return 0.5 * ((double) value(sorted[mid - 1]) + (double) value(sorted[mid]));
  }

  /** The q-quantile (0..1) of the held values, nearest-rank on the sorted values. */
  public double quantile(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.min(size - 1, Math.max(0, Math.round(q * (size - 1))));
    return value(sorted[idx]);
  }

  public void clear() {
    head = 0;
    size = 0;
  }

  /**
   * The first place in the sorted copy holding a key >= {@code k} (of a held value: where it is).
   * The loop runs a fixed number of times for a given size and each step is a conditional move.
   */
  private int lowerBound(int k) {
    int base = 0;
    int n = size;
    while (n > 1) {
      int half = n >>> 1;
      base = sorted[base + half - 1] < k ? base + half : base;
      n -= half;
    }
    return n == 1 && sorted[base] < k ? base + 1 : base;
  }

  /** The held values in arrival order (the sorted copy is rebuilt on restore). */
  public MedianWindowState state() {
    float[] held = new float[size];
    int start = Math.floorMod(head - size, ring.length);
    for (int i = 0; i < size; i++) {
      held[i] = ring[(start + i) % ring.length];
    }
    return new MedianWindowState(ring.length, StateArrays.floats(held));
  }

  /** Restores a {@link #state()}; the capacity must match. */
  public void restore(MedianWindowState s) {
    if (s.getCapacity() != ring.length) {
      throw new StateFormatException(
          "sliding median capacity mismatch: stored "
              + s.getCapacity()
              + ", configured "
              + ring.length);
    }
    if (s.getValues().size() > ring.length) {
      throw new StateFormatException(
          "sliding median holds " + s.getValues().size() + " values, more than its capacity");
    }
    clear();
    for (float v : s.getValues()) {
      push(v);
    }
  }

  @Override
  public String toString() {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = value(sorted[i]);
    }
    return "SlidingMedian" + Arrays.toString(v);
  }
}
