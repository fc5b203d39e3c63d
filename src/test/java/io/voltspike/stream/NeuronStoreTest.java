package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NeuronStoreTest {
  @Test
  void inboxKeysAreZeroPaddedSlotsThatSortInSlotOrder() {
    assertEquals("I\u0001n7\u000100", NeuronStore.inboxKey("n7", 0));
    assertEquals("I\u0001n7\u000142", NeuronStore.inboxKey("n7", 42));
    assertEquals("I\u0001n7\u000163", NeuronStore.inboxKey("n7", 63));
    for (int i = 1; i < NeuronStore.INBOX_SLOTS; i++) {
      assertTrue(NeuronStore.inboxKey("a", i - 1).compareTo(NeuronStore.inboxKey("a", i)) < 0);
    }
    assertThrows(IllegalArgumentException.class, () -> NeuronStore.inboxKey("a", -1));
    assertThrows(
        IllegalArgumentException.class, () -> NeuronStore.inboxKey("a", NeuronStore.INBOX_SLOTS));
  }
}
