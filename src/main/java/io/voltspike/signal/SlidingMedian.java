package io.voltspike.signal;

import io.voltspike.avro.state.MedianWindowState;
import io.voltspike.io.StateArrays;
import io.voltspike.io.StateFormatException;
import java.util.Arrays;

/**
 * Median of the last {@code capacity} values pushed, in O(capacity) per push with no allocation.
 *
 * <p>It keeps a ring buffer (arrival order, to know which value leaves) and a sorted copy (for the
 * median). Both are plain float arrays so the state serializes compactly and restores bit-exactly,
 * which the Kafka state stores rely on.
 */
public final class SlidingMedian {
  private final float[] ring;
  private final float[] sorted;
  private int head;
  private int size;

  public SlidingMedian(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.ring = new float[capacity];
    this.sorted = new float[capacity];
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
    if (size == ring.length) {
      // replace the oldest value: one shift of the sorted span between its place and the new one
      float old = ring[head];
      int at = indexOf(old);
      ring[head] = value;
      head = (head + 1) % ring.length;
      int ins = insertionPoint(value);
      if (ins > at) {
        System.arraycopy(sorted, at + 1, sorted, at, ins - at - 1);
        sorted[ins - 1] = value;
      } else {
        System.arraycopy(sorted, ins, sorted, ins + 1, at - ins);
        sorted[ins] = value;
      }
      return;
    }
    ring[head] = value;
    head = (head + 1) % ring.length;
    int ins = insertionPoint(value);
    System.arraycopy(sorted, ins, sorted, ins + 1, size - ins);
    sorted[ins] = value;
    size++;
  }

  /** The median of the values held: the mean of the two middle ones for an even count. */
  public double median() {
    if (size == 0) {
      return Double.NaN;
    }
    int mid = size >>> 1;
    if ((size & 1) == 1) {
      return sorted[mid];
    }
    return 0.5 * ((double) sorted[mid - 1] + (double) sorted[mid]);
  }

  /** The q-quantile (0..1) of the held values, nearest-rank on the sorted values. */
  public double quantile(double q) {
    if (size == 0) {
      return Double.NaN;
    }
    int idx = (int) Math.min(size - 1, Math.max(0, Math.round(q * (size - 1))));
    return sorted[idx];
  }

  public void clear() {
    head = 0;
    size = 0;
  }

  private int insertionPoint(float value) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int m = (lo + hi) >>> 1;
      if (Float.compare(sorted[m], value) < 0) {
        lo = m + 1;
      } else {
        hi = m;
      }
    }
    return lo;
  }

  private int indexOf(float value) {
    int at = insertionPoint(value);
    // insertionPoint finds the first element >= value; float compare makes equal values adjacent.
    return at;
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
    return "SlidingMedian" + Arrays.toString(Arrays.copyOf(sorted, size));
  }
}
