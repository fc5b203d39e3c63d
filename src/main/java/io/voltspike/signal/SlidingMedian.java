package io.voltspike.signal;

import io.voltspike.avro.state.MedianWindowState;
import io.voltspike.io.StateArrays;
import io.voltspike.io.StateFormatException;

/**
 * Median of the last {@code capacity} values pushed, in O(log capacity) per push with no
 * allocation: the running baseline and noise level of every sample go through one.
 *
 * <p>Two heaps split the window at its median: a max-heap of the lower half (one value more when
 * the count is odd) and a min-heap of the upper half, so the median is at their tops. A full
 * window's push puts the new value in the node of the value it evicts and sifts it from there; it
 * crosses to the other heap only by exchanging the two tops, so on random data most pushes move a
 * few nodes. Values are compared in {@link Float#compare} order (as ints whose order is that
 * order), so the median is bit for bit the middle of the sorted window, signed zeros and infinities
 * included. The state is the window in arrival order: the heaps are rebuilt from it on restore,
 * which gives the same medians whatever the heaps' layout.
 */
public final class SlidingMedian {
  private final int capacity;

  /** Where each ring slot's value sits: its heap index, negative ({@code ~i}) in the upper heap. */
  private final int[] nodeOf;

  /**
   * Lower half, a max-heap, and upper half, a min-heap, of nodes {@code key << 32 | slot}: ordered
   * by the value's key first (ties by slot, which changes no median), one array access a node.
   */
  private final long[] low;

  private final long[] high;

  private int head;
  private int size;
  private int lowSize;
  private int highSize;

  public SlidingMedian(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.nodeOf = new int[capacity];
    this.low = new long[capacity / 2 + 1];
    this.high = new long[capacity / 2 + 1];
  }

  public int capacity() {
    return capacity;
  }

  public int size() {
    return size;
  }

  /** Adds a value, evicting the oldest once full. NaN is refused: callers impute first. */
  public void push(float value) {
    if (Float.isNaN(value)) {
      throw new IllegalArgumentException("NaN cannot enter a sliding median");
    }
    int slot = head;
    head = head + 1 == capacity ? 0 : head + 1;
    long node = ((long) key(value) << 32) | slot;
    if (size == capacity) {
      replace(slot, node);
      return;
    }
    size++;
    if (lowSize == 0 || node <= low[0]) {
      lowUp(lowSize++, node);
      if (lowSize > highSize + 1) {
        long top = low[0];
        lowDown(0, low[--lowSize]);
        highUp(highSize++, top);
      }
    } else {
      highUp(highSize++, node);
      if (highSize > lowSize) {
        long top = high[0];
        highDown(0, high[--highSize]);
        lowUp(lowSize++, top);
      }
    }
  }

  /** The median of the values held: the mean of the two middle ones for an even count. */
  public double median() {
    if (size == 0) {
      return Double.NaN;
    }
    if (lowSize > highSize) {
      return valueOf(low[0]);
    }
    return 0.5 * ((double) valueOf(low[0]) + (double) valueOf(high[0]));
  }

  public void clear() {
    head = 0;
    size = 0;
    lowSize = 0;
    highSize = 0;
  }

  /** The evicted slot's node becomes {@code node}: sift it, exchanging tops if it crosses. */
  private void replace(int slot, long node) {
    int at = nodeOf[slot];
    if (at >= 0) {
      if (node > low[at]) {
        lowUp(at, node);
        if (highSize > 0 && low[0] > high[0]) {
          exchangeTops();
        }
      } else {
        lowDown(at, node);
      }
    } else {
      at = ~at;
      if (node < high[at]) {
        highUp(at, node);
        if (low[0] > high[0]) {
          exchangeTops();
        }
      } else {
        highDown(at, node);
      }
    }
  }

  private void exchangeTops() {
    long l = low[0];
    lowDown(0, high[0]);
    highDown(0, l);
  }

  /** Puts {@code node} at index {@code i} of the lower heap and sifts it up. */
  private void lowUp(int i, long node) {
    while (i > 0) {
      int p = (i - 1) >>> 1;
      long parent = low[p];
      if (parent >= node) {
        break;
      }
      place(low, i, parent, 0);
      i = p;
    }
    place(low, i, node, 0);
  }

  /** Puts {@code node} at index {@code i} of the lower heap and sifts it down. */
  private void lowDown(int i, long node) {
    int n = lowSize;
    int c;
    while ((c = 2 * i + 1) < n) {
      long child = low[c];
      if (c + 1 < n && low[c + 1] > child) {
        child = low[++c];
      }
      if (child <= node) {
        break;
      }
      place(low, i, child, 0);
      i = c;
    }
    place(low, i, node, 0);
  }

  private void highUp(int i, long node) {
    while (i > 0) {
      int p = (i - 1) >>> 1;
      long parent = high[p];
      if (parent <= node) {
        break;
      }
      place(high, i, parent, -1);
      i = p;
    }
    place(high, i, node, -1);
  }

  private void highDown(int i, long node) {
    int n = highSize;
    int c;
    while ((c = 2 * i + 1) < n) {
      long child = high[c];
      if (c + 1 < n && high[c + 1] < child) {
        child = high[++c];
      }
      if (child >= node) {
        break;
      }
      place(high, i, child, -1);
      i = c;
    }
    place(high, i, node, -1);
  }

  /** Stores a node and records where its slot now is ({@code flip} -1 marks the upper heap). */
  private void place(long[] heap, int i, long node, int flip) {
    heap[i] = node;
    nodeOf[(int) node] = i ^ flip;
  }

  private static float valueOf(long node) {
    return value((int) (node >> 32));
  }

  /**
   * An int whose signed order is {@link Float#compare}'s order of non-NaN floats (-0.0 before 0.0):
   * negative floats get their magnitude bits flipped. Its own inverse.
   */
  static int key(float v) {
    int bits = Float.floatToRawIntBits(v);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  static float value(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
  }

  /** The held values in arrival order (the heaps are rebuilt on restore). */
  public MedianWindowState state() {
    float[] held = new float[size];
    int start = Math.floorMod(head - size, capacity);
    for (int i = 0; i < size; i++) {
      int j = start + i;
      int at = nodeOf[j >= capacity ? j - capacity : j];
      held[i] = valueOf(at >= 0 ? low[at] : high[~at]);
    }
    return new MedianWindowState(capacity, StateArrays.floats(held));
  }

  /** Restores a {@link #state()}; the capacity must match. */
  public void restore(MedianWindowState s) {
    if (s.getCapacity() != capacity) {
      throw new StateFormatException(
          "sliding median capacity mismatch: stored "
              + s.getCapacity()
              + ", configured "
              + capacity);
    }
    if (s.getValues().size() > capacity) {
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
    return "SlidingMedian[size=" + size + ", median=" + median() + "]";
  }
}
