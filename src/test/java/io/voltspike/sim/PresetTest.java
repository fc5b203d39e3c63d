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
    assertEquals(Set.of(Family.CLASSIC), fams);
    Set<Integer> pol = s.stream().map(x -> x.params().polarity()).collect(Collectors.toSet());
    assertEquals(Set.of(1, -1), pol);
    assertTrue(s.stream().allMatch(x -> x.params().durationS() == 30.0));
    assertEquals(s.get(7).seed(), Preset.BENCH.specs(null, null, null, 1000).get(7).seed());
  }

  @Test
  void unseenHoldsOnlyFamiliesTrainingNeverShowsAndSilentNoSpikes() {
    List<Preset.Spec> u = Preset.UNSEEN.specs(null, null, null, 1000);
    assertEquals(100, u.size());
    assertEquals(
        Set.of(Family.UNSEEN),
        u.stream().map(x -> x.params().family()).collect(Collectors.toSet()));
    assertTrue(u.stream().allMatch(x -> x.params().snr() >= 3 && x.params().snr() <= 9));
    List<Preset.Spec> q = Preset.SILENT.specs(null, null, null, 1000);
    assertEquals(40, q.size());
    assertTrue(q.stream().allMatch(x -> x.params().spikeFree()));
    for (Preset.Spec x : q.subList(0, 3)) {
      assertEquals(0, NeuronSimulator.simulate(x.name(), x.params(), x.seed()).truth().length);
    }
  }

  @Test
  void holdoutSetsEachFamilysParametersOutsideEveryTrainingRange() {
    List<Preset.Spec> h = Preset.HOLDOUT.specs(null, null, null, 1000);
    assertEquals(100, h.size());
    assertEquals(
        Set.of(Family.HOLDOUT),
        h.stream().map(x -> x.params().family()).collect(Collectors.toSet()));
    // the ranges the training presets draw from (default: TraceParams.of; train: randomized)
    List<TraceParams> training = new java.util.ArrayList<>();
    Preset.TRAIN.specs(2000, 5.0, 11L, 1000).forEach(x -> training.add(x.params()));
    for (Family f : Family.CLASSIC) {
      training.add(TraceParams.of(f, 5, 1, 30, 1000));
    }
    double maxPlateau = 0, minDecrement = 1, maxBurstRate = 0, maxBleach = 0, maxDrift = 0;
    double maxMotion = 0, minRate = 1e9;
    for (TraceParams p : training) {
      maxPlateau = Math.max(maxPlateau, p.plateauHeight());
      minDecrement = Math.min(minDecrement, p.spikeletDecrement());
      maxBurstRate = Math.max(maxBurstRate, p.burstRateHz());
      maxBleach = Math.max(maxBleach, p.bleachFraction());
      maxDrift = Math.max(maxDrift, p.driftAmp());
      maxMotion = Math.max(maxMotion, p.motionStepRateHz());
      if (!p.spikeFree()) {
        minRate = Math.min(minRate, p.minRateHz());
      }
      assertEquals(0, p.rippleAmp());
    }
    for (Preset.Spec x : h) {
      TraceParams p = x.params();
      assertTrue(p.snr() >= 3 && p.snr() <= 9);
      switch (p.family()) {
        case SPIKELETS -> {
          assertTrue(p.plateauHeight() > maxPlateau || p.spikeletDecrement() < minDecrement);
          assertTrue(p.burstRateHz() > maxBurstRate, p.toString());
        }
        case GAMMA -> {
          assertTrue(p.rippleHz() >= 20 && p.rippleHz() <= 80);
          double heights = p.rippleAmp() / p.snr();
          assertTrue(heights >= 0.5 && heights <= 0.8, "spike heights " + heights);
        }
        case FALLING -> {
          assertEquals(-1, p.polarity());
          assertTrue(p.bleachFraction() > maxBleach && p.driftAmp() > maxDrift);
          assertTrue(p.motionStepRateHz() > maxMotion);
        }
        case SPARSE -> assertTrue(p.maxRateHz() <= 0.3 && p.minRateHz() < minRate, p.toString());
        default -> throw new AssertionError(p.family());
      }
    }
    // few spikes, but some: the sparse family's 25 traces hold about 25 x 30 s x 0.15 spikes
    int sparse = 0;
    for (Preset.Spec x : h) {
      if (x.params().family() == Family.SPARSE) {
        sparse += NeuronSimulator.simulate(x.name(), x.params(), x.seed()).truth().length;
      }
    }
    assertTrue(sparse >= 40 && sparse <= 300, "sparse spikes " + sparse);
  }

  @Test
  void trainingPresetRandomisesRatesShapesAndHasSpikeFreeTraces() {
    List<Preset.Spec> t = Preset.TRAIN.specs(200, 5.0, 3L, 1000);
    long silent = t.stream().filter(x -> x.params().spikeFree()).count();
    assertTrue(silent >= 8 && silent <= 35, "about a tenth spike-free: " + silent);
    long other = t.stream().filter(x -> x.params().sampleRateHz() != 1000).count();
    assertTrue(other >= 70 && other <= 130, "about half at other rates: " + other);
    assertTrue(t.stream().mapToDouble(x -> x.params().riseScale()).distinct().count() > 100);
    // reproducible from the seed
    assertEquals(t.get(17).params(), Preset.TRAIN.specs(200, 5.0, 3L, 1000).get(17).params());
  }

  @Test
  void unknownPresetListsValidOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> Preset.parse("huge"));
    assertTrue(e.getMessage().contains("bench"));
  }
}
