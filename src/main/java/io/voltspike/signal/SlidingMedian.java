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
 * crosses to the other heap by taking the place of that heap's top, which moves into the evicted
 * node, so on random data most pushes move a few nodes. Values are compared in {@link
 * Float#compare} order (as ints whose order is that order), so the median is bit for bit the middle
 * of the sorted window, signed zeros and infinities included. The state is the window in arrival
 * order: the heaps are rebuilt from it on restore, which gives the same medians whatever the heaps'
 * layout.
 */
public final class SlidingMedian {
  private final int capacity;

  /** Where each ring slot's value sits: its heap index, negative ({@code ~i}) in the upper heap. */
  private final int[] nodeOf;

  /**
   * Lower half of nodes {@code key << 32 | slot} (ordered by the value's key first, ties by slot,
   * which changes no median; one array access a node), and upper half, whose entries are stored
   * complemented ({@code ~node}) so that both are max-heaps sifted by the same code.
   */
  private final long[] low;

  private final long[] high;

  private static final long LOW = 0;
  private static final long HIGH = -1;

  private int head;
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

  /** Adds a value, evicting the oldest once full. NaN is refused: callers impute first. */
  public void push(float value) {
    if (Float.isNaN(value)) {
      throw new IllegalArgumentException("NaN cannot enter a sliding median");
    }
    int slot = head;
    head = head + 1 == capacity ? 0 : head + 1;
    long node = ((long) key(value) << 32) | slot;
    if (size() == capacity) {
      replace(slot, node);
      return;
    }
    if (lowSize == 0 || node <= low[0]) {
      up(low, lowSize++, node, LOW);
      if (lowSize > highSize + 1) {
        long top = low[0];
        down(low, --lowSize, 0, low[lowSize], LOW);
        up(high, highSize++, ~top, HIGH);
      }
    } else {
      up(high, highSize++, ~node, HIGH);
      if (highSize > lowSize) {
        long top = ~high[0];
        down(high, --highSize, 0, high[highSize], HIGH);
        up(low, lowSize++, top, LOW);
      }
    }
  }

  public int size() {
    return lowSize + highSize;
  }

  /** The median of the values held: the mean of the two middle ones for an even count. */
  public double median() {
    if (lowSize == 0) {
      return Double.NaN;
    }
    if (lowSize > highSize) {
      return valueOf(low[0]);
    }
    return 0.5 * ((double) valueOf(low[0]) + (double) valueOf(~high[0]));
  }

  public void clear() {
    head = 0;
    lowSize = 0;
    highSize = 0;
  }

  /**
   * The evicted slot's node becomes {@code node}. If it belongs to the evicted value's half, it is
   * sifted from the evicted node; if it belongs to the other half, that half's top moves into the
   * evicted node (it rises to the top there, being beyond every value of this half) and the new
   * node enters the other half at its top.
   */
  private void replace(int slot, long node) {
    int at = nodeOf[slot];
    boolean inLow = at >= 0;
    long side = inLow ? LOW : HIGH;
    long[] heap = inLow ? low : high;
    long[] other = inLow ? high : low;
    int i = at ^ (int) side;
    long entry = node ^ side; // as this heap stores it: both heaps are max-heaps of entries
    if ((inLow ? highSize : lowSize) > 0 && entry > ~other[0]) {
      // it belongs to the other half: that half's top (~other[0] as this heap stores it) takes
      // the evicted node and the new node enters the other half at its top
      up(heap, i, ~other[0], side);
      down(other, inLow ? highSize : lowSize, 0, ~entry, ~side);
    } else if (entry > heap[i]) {
      up(heap, i, entry, side);
    } else {
      down(heap, inLow ? lowSize : highSize, i, entry, side);
    }
  }

  /** Puts {@code entry} at index {@code i} of a max-heap and sifts it up. */
  private void up(long[] heap, int i, long entry, long side) {
    while (i > 0) {
      int p = (i - 1) >>> 1;
      long parent = heap[p];
      if (parent >= entry) {
        break;
      }
      place(heap, i, parent, side);
      i = p;
    }
    place(heap, i, entry, side);
  }

  /** Puts {@code entry} at index {@code i} of a max-heap of {@code n} entries and sifts it down. */
  private void down(long[] heap, int n, int i, long entry, long side) {
    int c;
    while ((c = 2 * i + 1) < n) {
      long child = heap[c];
      if (c + 1 < n && heap[c + 1] > child) {
        child = heap[++c];
      }
      if (child <= entry) {
        break;
      }
      place(heap, i, child, side);
      i = c;
    }
    place(heap, i, entry, side);
  }

  /** Stores an entry and records where its slot now is ({@code ~i} in the upper heap). */
  private void place(long[] heap, int i, long entry, long side) {
    heap[i] = entry;
    nodeOf[(int) (entry ^ side)] = i ^ (int) side;
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
    int size = size();
    float[] held = new float[size];
    int start = Math.floorMod(head - size, capacity);
    for (int i = 0; i < size; i++) {
      int j = start + i;
      int at = nodeOf[j >= capacity ? j - capacity : j];
      held[i] = valueOf(at >= 0 ? low[at] : ~high[~at]);
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
    return "SlidingMedian[size=" + size() + ", median=" + median() + "]";
  }
}
