package io.voltspike.sim;

import io.voltspike.io.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Simulates one 1 kHz voltage-imaging trace with exact ground truth, deterministically by seed.
 *
 * <p>Model, in photon counts per sample: {@code F(t) = B(t) (1 + s k v(t)) + noise + artefacts},
 * with B the brightness (exponential photobleaching, slow drift, motion steps), s the polarity, k
 * chosen so that a spike of unit size is {@code snr} shot-noise sigmas high at t = 0, and v the
 * voltage signal: action potentials (asymmetric Gaussians of 1-3 ms FWHM, sub-sample peak times,
 * +-20 % amplitude), burst plateaus with decrementing spikelets, and subthreshold activity (OU plus
 * theta). Noise is shot noise {@code sqrt(B(t)) N(0,1)} plus 1/f noise (five AR(1) processes of
 * 1-256 ms, equal power). Ground truth is the sample nearest each spike peak.
 */
public final class NeuronSimulator {
  private static final double[] PINK_TAUS_MS = {1, 4, 16, 64, 256};

  private NeuronSimulator() {}

  /** Spike times (in samples, sub-sample precision) and their relative amplitudes. */
  record SpikeTrain(double[] times, double[] amplitudes, double[][] plateaus) {}

  public static Recording simulate(String name, TraceParams p, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double fs = p.sampleRateHz();
    int n = (int) Math.round(p.durationS() * fs);
    SpikeTrain train = spikeTrain(p, n, rng.split());
    Waveform[] shapes = waveforms(p, train, rng.split());

    // Voltage signal v (unit = nominal spike height).
    double[] v = new double[n];
    for (Waveform w : shapes) {
      for (int j = w.from(); j <= w.to(n); j++) {
        v[j] += w.sample(j, p.frameIntegration() != 0);
      }
      if (p.ahpAmp() > 0) {
        double tau = p.ahpTauMs() * fs / 1000.0;
        double rise = fs / 1000.0;
        int end = (int) Math.min(n - 1, Math.ceil(w.t0() + 6 * tau));
        for (int j = (int) Math.ceil(w.t0()); j <= end; j++) {
          double d = j - w.t0();
          v[j] -= p.ahpAmp() * w.amplitude() * (1 - Math.exp(-d / rise)) * Math.exp(-d / tau);
        }
      }
    }
    for (double[] pl : train.plateaus()) {
      int from = Math.max(0, (int) pl[0]);
      int to = Math.min(n, (int) pl[1]);
      double rise = 3.0 * fs / 1000.0;
      for (int j = from; j < to; j++) {
        double up = Math.min(1.0, (j - pl[0]) / rise);
        double down = Math.min(1.0, (pl[1] - j) / rise);
        v[j] += p.plateauHeight() * Math.min(up, down);
      }
    }
    // Subthreshold: OU + theta, given in noise sigmas, converted to spike units.
    SplittableRandom sub = rng.split();
    double dt = 1000.0 / fs;
    double ouA = Math.exp(-dt / p.ouTauMs());
    double ouB = Math.sqrt(1 - ouA * ouA);
    double ou = sub.nextGaussian();
    double phase = sub.nextDouble() * 2 * Math.PI;
    for (int j = 0; j < n; j++) {
      ou = ouA * ou + ouB * sub.nextGaussian();
      double theta = Math.sin(2 * Math.PI * p.thetaHz() * j / fs + phase);
      v[j] += (p.ouSigma() * ou + p.thetaAmp() * theta) / p.snr();
    }

    double b0 = p.brightness();
    double sigma0 = Math.sqrt(b0);
    double[] bright = brightness(p, n, rng.split());

    // Fluorescence with noise.
    SplittableRandom noise = rng.split();
    double k = p.snr() * sigma0 / b0;
    double[] pink = new double[PINK_TAUS_MS.length];
    double[] pinkA = new double[PINK_TAUS_MS.length];
    for (int m = 0; m < pink.length; m++) {
      pinkA[m] = Math.exp(-dt / PINK_TAUS_MS[m]);
      pink[m] = noise.nextGaussian();
    }
    double pinkNorm = 1.0 / Math.sqrt(PINK_TAUS_MS.length);
    double pArtefact = p.artefactRateHz() / fs;
    float[] out = new float[n];
    for (int j = 0; j < n; j++) {
      double pn = 0;
      for (int m = 0; m < pink.length; m++) {
        pink[m] = pinkA[m] * pink[m] + Math.sqrt(1 - pinkA[m] * pinkA[m]) * noise.nextGaussian();
        pn += pink[m];
      }
      double f = bright[j] * (1 + p.polarity() * k * v[j]);
      f += Math.sqrt(Math.max(bright[j], 0)) * noise.nextGaussian();
      f += p.pinkFraction() * sigma0 * pinkNorm * pn;
      if (noise.nextDouble() < pArtefact) {
        f += (noise.nextBoolean() ? 1 : -1) * p.artefactAmp() * sigma0;
      }
      out[j] = (float) f;
    }
    addUnusualNuisances(p, out, bright, sigma0, k, rng.split());

    int[] truth = new int[train.times().length];
    for (int i = 0; i < truth.length; i++) {
      truth[i] = (int) Math.round(train.times()[i]);
    }
    Map<String, String> meta = new TreeMap<>();
    p.asMap().forEach((key, val) -> meta.put(key, String.valueOf(val)));
    meta.put("seed", Long.toString(seed));
    meta.put("peak_sign", p.polarity() > 0 ? "pos" : "neg");
    return new Recording(name, fs, out, truth, meta);
  }

  /**
   * Nuisances of the out-of-training set (mains hum, random-walk noise, fast ripple bursts, heavy
   * tailed noise); each is off by default and draws from its own stream only when on, so traces
   * without them are unchanged.
   */
  private static void addUnusualNuisances(
      TraceParams p, float[] out, double[] bright, double sigma0, double k, SplittableRandom rng) {
    double fs = p.sampleRateHz();
    int n = out.length;
    if (p.humAmp() > 0) {
      double ph = rng.nextDouble() * 2 * Math.PI;
      for (int j = 0; j < n; j++) {
        double a = 2 * Math.PI * p.humHz() * j / fs + ph;
        out[j] +=
            (float)
                (p.humAmp()
                    * sigma0
                    * (Math.sin(a) + 0.5 * Math.sin(2 * a + 1) + 0.3 * Math.sin(3 * a + 2))
                    / 1.17);
      }
    }
    if (p.brownFraction() > 0) {
      double walk = 0;
      double step = Math.sqrt(1.0 / fs);
      for (int j = 0; j < n; j++) {
        walk += rng.nextGaussian() * step;
        out[j] += (float) (p.brownFraction() * sigma0 * walk);
      }
    }
    if (p.rippleAmp() > 0) {
      // bursts of about 60 ms at about 1 Hz, in the voltage (scaled like subthreshold activity)
      double next = -Math.log(1 - rng.nextDouble()) * fs;
      for (int j = 0; j < n; j++) {
        if (j >= next) {
          double c = j + 0.03 * fs;
          double ph = rng.nextDouble() * 2 * Math.PI;
          int to = (int) Math.min(n - 1, c + 0.09 * fs);
          for (int i = j; i <= to; i++) {
            double e = Math.exp(-0.5 * Math.pow((i - c) / (0.02 * fs), 2));
            double volt =
                p.rippleAmp() / p.snr() * e * Math.sin(2 * Math.PI * p.rippleHz() * i / fs + ph);
            out[i] += (float) (bright[i] * p.polarity() * k * volt);
          }
          next = j + 0.1 * fs - Math.log(1 - rng.nextDouble()) * fs;
        }
      }
    }
    if (p.noiseDf() > 0) {
      // replace part of the Gaussian shot noise by the same-sigma heavy-tailed excess
      double df = p.noiseDf();
      double scale = Math.sqrt((df - 2) / df);
      for (int j = 0; j < n; j++) {
        double chi = 0;
        for (int d = 0; d < (int) df; d++) {
          double g = rng.nextGaussian();
          chi += g * g;
        }
        double t = rng.nextGaussian() / Math.sqrt(chi / (int) df) * scale;
        double g = rng.nextGaussian();
        out[j] += (float) (Math.sqrt(Math.max(bright[j], 0)) * (t - g) * 0.7);
      }
    }
  }

  /**
   * The ideal observer's view of each true spike: its detectability d' = sqrt(sum_j s_j^2 /
   * sigma_j^2), with s_j the spike's own sampled waveform in photon counts (amplitude, width,
   * sub-sample timing and bleaching included) and sigma_j the shot-noise sigma at that sample. This
   * is the matched-filter SNR of a detector told the exact waveform and every nuisance; coloured
   * noise, subthreshold activity, artefacts and overlapping spikes, which only make detection
   * harder, are left out. Same order and seed as the ground truth of {@link #simulate}.
   */
  public static double[] detectability(TraceParams p, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int n = (int) Math.round(p.durationS() * p.sampleRateHz());
    SpikeTrain train = spikeTrain(p, n, rng.split());
    Waveform[] shapes = waveforms(p, train, rng.split());
    rng.split(); // subthreshold
    double[] bright = brightness(p, n, rng.split());
    double b0 = p.brightness();
    double[] out = new double[shapes.length];
    for (int i = 0; i < shapes.length; i++) {
      Waveform w = shapes[i];
      double e = 0;
      for (int j = w.from(); j <= w.to(n); j++) {
        double a = w.sample(j, p.frameIntegration() != 0);
        // signal B k a, noise sqrt(B), k = snr / sqrt(b0): (s/sigma)^2 = snr^2 a^2 B / b0
        e += a * a * Math.max(bright[j], 0) / b0;
      }
      out[i] = p.snr() * Math.sqrt(e);
    }
    return out;
  }

  /** One action potential: an asymmetric Gaussian with its peak at sub-sample time t0. */
  record Waveform(double t0, double amplitude, double sRise, double sDecay) {
    int from() {
      return Math.max(0, (int) Math.floor(t0 - 5 * sRise));
    }

    int to(int n) {
      return Math.min(n - 1, (int) Math.ceil(t0 + 5 * sDecay));
    }

    /** Sample j: the point value, or with integration the mean over the frame [j-0.5, j+0.5). */
    double sample(int j, boolean integrate) {
      if (!integrate) {
        return at(j);
      }
      double sum = 0;
      for (int k = 0; k < 8; k++) {
        sum += at(j - 0.5 + (k + 0.5) / 8);
      }
      return sum / 8;
    }

    double at(double x) {
      double d = x - t0;
      double s = d < 0 ? sRise : sDecay;
      return amplitude * Math.exp(-0.5 * d * d / (s * s));
    }
  }

  static Waveform[] waveforms(TraceParams p, SpikeTrain train, SplittableRandom shape) {
    double fs = p.sampleRateHz();
    Waveform[] out = new Waveform[train.times().length];
    for (int i = 0; i < out.length; i++) {
      double widthMs =
          p.apWidthMinMs() + shape.nextDouble() * (p.apWidthMaxMs() - p.apWidthMinMs());
      double sigma = widthMs * fs / 1000.0 / 2.3548;
      out[i] =
          new Waveform(
              train.times()[i],
              train.amplitudes()[i],
              p.riseScale() * sigma,
              p.decayScale() * sigma);
    }
    return out;
  }

  /** Brightness B(t): exponential bleaching, slow sinusoidal drift and motion steps. */
  static double[] brightness(TraceParams p, int n, SplittableRandom nuis) {
    double fs = p.sampleRateHz();
    double b0 = p.brightness();
    double sigma0 = Math.sqrt(b0);
    double tauBleach =
        p.bleachFraction() > 0
            ? -30.0 / Math.log(1 - p.bleachFraction())
            : Double.POSITIVE_INFINITY;
    double driftPeriodS = 20 + 40 * nuis.nextDouble();
    double driftPhase = nuis.nextDouble() * 2 * Math.PI;
    double[] bright = new double[n];
    double motion = 0;
    double pStep = p.motionStepRateHz() / fs;
    for (int j = 0; j < n; j++) {
      double ts = j / fs;
      if (nuis.nextDouble() < pStep) {
        motion += nuis.nextGaussian() * p.motionStepSigma() * sigma0 / b0;
      }
      double drift = p.driftAmp() * Math.sin(2 * Math.PI * ts / driftPeriodS + driftPhase);
      bright[j] = b0 * Math.exp(-ts / tauBleach) * (1 + drift + motion);
    }
    return bright;
  }

  static SpikeTrain spikeTrain(TraceParams p, int n, SplittableRandom rng) {
    double fs = p.sampleRateHz();
    double refractory = p.refractoryMs() * fs / 1000.0;
    List<double[]> spikes = new ArrayList<>(); // {time, amplitude}
    List<double[]> plateaus = new ArrayList<>();

    // Bursts first: each claims its interval.
    double pBurst = p.burstRateHz() / fs;
    List<double[]> busy = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      if (rng.nextDouble() >= pBurst) {
        continue;
      }
      int count = p.burstSpikesMin() + rng.nextInt(p.burstSpikesMax() - p.burstSpikesMin() + 1);
      double t = j + 2.0 * fs / 1000.0 + rng.nextDouble() - 0.5;
      double amp = 1.0;
      double start = j;
      double end = t;
      for (int s = 0; s < count; s++) {
        if (t >= n - 1) {
          break;
        }
        spikes.add(new double[] {t, amp * jitter(p, rng)});
        end = t;
        amp *= p.spikeletDecrement();
        double isiMs =
            p.burstIsiMinMs() + rng.nextDouble() * (p.burstIsiMaxMs() - p.burstIsiMinMs());
        t += isiMs * fs / 1000.0;
      }
      end += 5.0 * fs / 1000.0;
      plateaus.add(new double[] {start, end});
      busy.add(new double[] {start - refractory, end + refractory});
      j = (int) Math.ceil(end + refractory);
    }

    // Poisson spikes with changing rates and an absolute refractory period.
    double rate = drawRate(p, rng);
    double nextChange = exp(rng, p.rateChangeMeanS() * fs);
    double last = Double.NEGATIVE_INFINITY;
    int b = 0;
    for (int j = 0; j < n; j++) {
      if (j >= nextChange) {
        rate = drawRate(p, rng);
        nextChange = j + exp(rng, p.rateChangeMeanS() * fs);
      }
      double u = rng.nextDouble();
      double offset = rng.nextDouble() - 0.5;
      double jit = jitter(p, rng);
      if (u >= rate / fs) {
        continue;
      }
      double t = Math.min(n - 1, Math.max(0, j + offset));
      if (t - last < refractory) {
        continue;
      }
      while (b < busy.size() && busy.get(b)[1] < t) {
        b++;
      }
      if (b < busy.size() && busy.get(b)[0] <= t) {
        continue;
      }
      spikes.add(new double[] {t, jit});
      last = t;
    }
    spikes.sort((x, y) -> Double.compare(x[0], y[0]));
    // Keep one spike per sample (ground truth is per sample).
    List<double[]> unique = new ArrayList<>();
    long prev = Long.MIN_VALUE;
    for (double[] s : spikes) {
      long r = Math.round(s[0]);
      if (r != prev && r >= 0 && r < n) {
        unique.add(s);
        prev = r;
      }
    }
    double[] times = unique.stream().mapToDouble(s -> s[0]).toArray();
    double[] amps = unique.stream().mapToDouble(s -> s[1]).toArray();
    return new SpikeTrain(times, amps, plateaus.toArray(new double[0][]));
  }

  private static double jitter(TraceParams p, SplittableRandom rng) {
    return 1.0 + p.amplitudeJitter() * (2 * rng.nextDouble() - 1);
  }

  private static double drawRate(TraceParams p, SplittableRandom rng) {
    if (p.maxRateHz() == 0) {
      rng.nextDouble();
      return 0;
    }
    double lo = Math.log(p.minRateHz());
    double hi = Math.log(p.maxRateHz());
    return Math.exp(lo + rng.nextDouble() * (hi - lo));
  }

  private static double exp(SplittableRandom rng, double mean) {
    return -mean * Math.log(1 - rng.nextDouble());
  }
}
