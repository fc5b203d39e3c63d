package io.voltspike.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PresetTest {
  @Test
  void benchIsTheFixedStandardSet() {
    List<Preset.Spec> s = Preset.BENCH.specs(null, null, null, 1000);
    assertEquals(100, s.size());
    double min = s.stream().mapToDouble(x -> x.params().snr()).min().orElseThrow();
    double max = s.stream().mapToDouble(x -> x.params().snr()).max().orElseThrow();
    assertEquals(2.0, min, 1e-9);
    assertEquals(10.0, max, 1e-9);
    Set<Family> fams = s.stream().map(x -> x.params().family()).collect(Collectors.toSet());
    assertEquals(Set.of(Family.values()), fams);
    Set<Integer> pol = s.stream().map(x -> x.params().polarity()).collect(Collectors.toSet());
    assertEquals(Set.of(1, -1), pol);
    assertTrue(s.stream().allMatch(x -> x.params().durationS() == 30.0));
    assertEquals(s.get(7).seed(), Preset.BENCH.specs(null, null, null, 1000).get(7).seed());
  }

  @Test
  void unknownPresetListsValidOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Preset.parse("huge"));
    assertTrue(e.getMessage().contains("bench"));
  }
}
