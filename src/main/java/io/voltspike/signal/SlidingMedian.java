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

  /** Arrival order: the values' order keys, by ring slot. */
  private final int[] ring;

  /** Where each ring slot's value sits: its heap index, negative ({@code ~i}) in the upper heap. */
  private final int[] nodeOf;

  /** Lower half, a max-heap of keys, and the ring slot of each node. */
  private final int[] low;

  private final int[] lowSlot;

  /** Upper half, a min-heap of keys, and the ring slot of each node. */
  private final int[] high;

  private final int[] highSlot;

  private int head;
  private int size;
  private int lowSize;
  private int highSize;

  public SlidingMedian(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.ring = new int[capacity];
    this.nodeOf = new int[capacity];
    this.low = new int[capacity / 2 + 1];
    this.lowSlot = new int[low.length];
    this.high = new int[capacity / 2 + 1];
    this.highSlot = new int[high.length];
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
    int key = key(value);
    int slot = head;
    head = head + 1 == capacity ? 0 : head + 1;
    ring[slot] = key;
    if (size == capacity) {
      replace(slot, key);
      return;
    }
    size++;
    if (lowSize == 0 || key <= low[0]) {
      lowInsert(key, slot);
      if (lowSize > highSize + 1) {
        int k = low[0];
        int s = lowSlot[0];
        lowRemoveTop();
        highInsert(k, s);
      }
    } else {
      highInsert(key, slot);
      if (highSize > lowSize) {
        int k = high[0];
        int s = highSlot[0];
        highRemoveTop();
        lowInsert(k, s);
      }
    }
  }

  /** The median of the values held: the mean of the two middle ones for an even count. */
  public double median() {
    if (size == 0) {
      return Double.NaN;
    }
    if (lowSize > highSize) {
      return value(low[0]);
    }
    return 0.5 * ((double) value(low[0]) + (double) value(high[0]));
  }

  public void clear() {
    head = 0;
    size = 0;
    lowSize = 0;
    highSize = 0;
  }

  /** The value of the evicted slot becomes {@code key}: sift it, exchanging tops if it crosses. */
  private void replace(int slot, int key) {
    int node = nodeOf[slot];
    if (node >= 0) {
      int old = low[node];
      low[node] = key;
      if (key > old) {
        lowUp(node);
        if (highSize > 0 && low[0] > high[0]) {
          exchangeTops();
        }
      } else if (key < old) {
        lowDown(node);
      }
    } else {
      node = ~node;
      int old = high[node];
      high[node] = key;
      if (key < old) {
        highUp(node);
        if (low[0] > high[0]) {
          exchangeTops();
        }
      } else if (key > old) {
        highDown(node);
      }
    }
  }

  private void exchangeTops() {
    int lk = low[0];
    int ls = lowSlot[0];
    low[0] = high[0];
    lowSlot[0] = highSlot[0];
    nodeOf[lowSlot[0]] = 0;
    high[0] = lk;
    highSlot[0] = ls;
    nodeOf[ls] = ~0;
    lowDown(0);
    highDown(0);
  }

  private void lowInsert(int key, int slot) {
    int i = lowSize++;
    low[i] = key;
    lowSlot[i] = slot;
    nodeOf[slot] = i;
    lowUp(i);
  }

  private void highInsert(int key, int slot) {
    int i = highSize++;
    high[i] = key;
    highSlot[i] = slot;
    nodeOf[slot] = ~i;
    highUp(i);
  }

  private void lowRemoveTop() {
    int last = --lowSize;
    if (last > 0) {
      low[0] = low[last];
      lowSlot[0] = lowSlot[last];
      nodeOf[lowSlot[0]] = 0;
      lowDown(0);
    }
  }

  private void highRemoveTop() {
    int last = --highSize;
    if (last > 0) {
      high[0] = high[last];
      highSlot[0] = highSlot[last];
      nodeOf[highSlot[0]] = ~0;
      highDown(0);
    }
  }

  private void lowUp(int i) {
    int k = low[i];
    int s = lowSlot[i];
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (low[p] >= k) {
        break;
      }
      low[i] = low[p];
      lowSlot[i] = lowSlot[p];
      nodeOf[lowSlot[i]] = i;
      i = p;
    }
    low[i] = k;
    lowSlot[i] = s;
    nodeOf[s] = i;
  }

  private void lowDown(int i) {
    int k = low[i];
    int s = lowSlot[i];
    int n = lowSize;
    int c;
    while ((c = 2 * i + 1) < n) {
      if (c + 1 < n && low[c + 1] > low[c]) {
        c++;
      }
      if (low[c] <= k) {
        break;
      }
      low[i] = low[c];
      lowSlot[i] = lowSlot[c];
      nodeOf[lowSlot[i]] = i;
      i = c;
    }
    low[i] = k;
    lowSlot[i] = s;
    nodeOf[s] = i;
  }

  private void highUp(int i) {
    int k = high[i];
    int s = highSlot[i];
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (high[p] <= k) {
        break;
      }
      high[i] = high[p];
      highSlot[i] = highSlot[p];
      nodeOf[highSlot[i]] = ~i;
      i = p;
    }
    high[i] = k;
    highSlot[i] = s;
    nodeOf[s] = ~i;
  }

  private void highDown(int i) {
    int k = high[i];
    int s = highSlot[i];
    int n = highSize;
    int c;
    while ((c = 2 * i + 1) < n) {
      if (c + 1 < n && high[c + 1] < high[c]) {
        c++;
      }
      if (high[c] >= k) {
        break;
      }
      high[i] = high[c];
      highSlot[i] = highSlot[c];
      nodeOf[highSlot[i]] = ~i;
      i = c;
    }
    high[i] = k;
    highSlot[i] = s;
    nodeOf[s] = ~i;
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
      held[i] = value(ring[j >= capacity ? j - capacity : j]);
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
