package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class NeuronStoreTest {
  @Test
  void inboxKeysAreTheZeroPaddedFormStoredStateUses() {
    for (long first : new long[] {0, 7, 1200, 999_999_999_999L, Long.MAX_VALUE, -10}) {
      assertEquals(
          "I\u0001n7\u0001" + String.format(Locale.ROOT, "%019d", first),
          NeuronStore.inboxKey("n7", first));
    }
    // and they sort by sample index
    assertEquals(
        -1,
        Integer.signum(NeuronStore.inboxKey("a", 990).compareTo(NeuronStore.inboxKey("a", 1000))));
  }
}
