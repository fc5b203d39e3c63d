package io.voltspike.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnrBandTest {
  @Test
  void bandsSortBySnrWithUnknownLast() {
    List<String> bands = new ArrayList<>(List.of("10-12", "unknown", "2-4", "8-10", "4-6"));
    bands.sort(SnrBand.ORDER);
    assertEquals(List.of("2-4", "4-6", "8-10", "10-12", "unknown"), bands);
    assertEquals("8-10", SnrBand.of(10.0));
    assertEquals("4-6", SnrBand.of(4.0));
  }
}
