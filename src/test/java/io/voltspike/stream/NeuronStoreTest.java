package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NeuronStoreTest {
  @Test
  void inboxKeysAreZeroPaddedSlotsThatSortInSlotOrder() {
    assertEquals("I\u0001n7\u0001000", NeuronStore.inboxKey("n7", 0));
    assertEquals("I\u0001n7\u0001042", NeuronStore.inboxKey("n7", 42));
    assertEquals("I\u0001n7\u0001127", NeuronStore.inboxKey("n7", 127));
    for (int i = 1; i < NeuronStore.INBOX_SLOTS; i++) {
      assertTrue(NeuronStore.inboxKey("a", i - 1).compareTo(NeuronStore.inboxKey("a", i)) < 0);
    }
    assertThrows(IllegalArgumentException.class, () -> NeuronStore.inboxKey("a", -1));
    assertThrows(
        IllegalArgumentException.class, () -> NeuronStore.inboxKey("a", NeuronStore.INBOX_SLOTS));
  }
}
