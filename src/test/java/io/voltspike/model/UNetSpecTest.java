package io.voltspike.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UNetSpecTest {
  @Test
  void parameterAndMacCountsByHand() {
    UNetSpec s = UNetSpec.parse("8-16-32:k5", 5, 100);
    // enc0a 208, enc0b 328, enc1a 656, enc1b 1296, mid 2592 + 5152, up1 2576, dec1 2576,
    // up0 648, dec0 648, head 9
    assertEquals(16689, s.parameters());
    // conv MACs: in*out*k*len summed over the 11 convolutions
    assertEquals(724_800, s.macsPerWindow());
    assertEquals(11, s.convolutions().size());
    assertEquals("head", s.convolutions().get(10).name());
  }

  @Test
  void widerNetwork() {
    UNetSpec s = UNetSpec.parse("16-32-64", 5, 100);
    assertEquals(5, s.kernel());
    assertTrue(s.parameters() > 60_000 && s.parameters() < 70_000, "" + s.parameters());
  }

  @Test
  void invalidArchitecturesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> UNetSpec.parse("8-16", 5, 100));
    assertThrows(IllegalArgumentException.class, () -> UNetSpec.parse("8-16-32:k4", 5, 100));
    assertThrows(IllegalArgumentException.class, () -> UNetSpec.parse("8-16-32-64", 5, 100));
    assertThrows(IllegalArgumentException.class, () -> UNetSpec.parse("eight", 5, 100));
  }
}
