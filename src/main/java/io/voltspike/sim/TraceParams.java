package io.voltspike.sim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every parameter of one simulated trace. Amplitudes of nuisances are in units of the shot-noise
 * sigma at t = 0, so a nuisance is equally hard at every SNR.
 *
 * @param sampleRateHz sampling rate
 * @param durationS trace length
 * @param snr spike peak height / shot-noise sigma, at t = 0 (bleaching lowers it later)
 * @param polarity +1: spikes brighten the indicator; -1: they dim it
 * @param family the difficulty family (recorded in the manifest)
 * @param minRateHz lowest firing rate
 * @param maxRateHz highest firing rate (rates are drawn log-uniformly in between)
 * @param rateChangeMeanS mean time between rate changes (exponential)
 * @param refractoryMs absolute refractory period
 * @param burstRateHz complex-spike (burst) rate
 * @param burstSpikesMin fewest spikelets per burst
 * @param burstSpikesMax most spikelets per burst
 * @param burstIsiMinMs shortest interval between spikelets
 * @param burstIsiMaxMs longest interval between spikelets
 * @param spikeletDecrement amplitude ratio of consecutive spikelets
 * @param plateauHeight plateau depolarisation as a fraction of the spike height
 * @param apWidthMinMs narrowest action potential (full width at half maximum)
 * @param apWidthMaxMs widest action potential
 * @param amplitudeJitter relative spike amplitude spread (uniform +-)
 * @param ouTauMs time constant of the Ornstein-Uhlenbeck subthreshold process
 * @param ouSigma its standard deviation, in noise sigmas
 * @param thetaHz theta oscillation frequency
 * @param thetaAmp its amplitude, in noise sigmas
 * @param bleachFraction brightness lost over 30 s (exponential decay)
 * @param driftAmp slow sinusoidal brightness drift, as a fraction of brightness
 * @param motionStepRateHz rate of motion steps (sudden, lasting brightness changes)
 * @param motionStepSigma size of a motion step, in noise sigmas
 * @param artefactRateHz rate of single-sample artefacts
 * @param artefactAmp their amplitude, in noise sigmas (random sign)
 * @param pinkFraction 1/f (coloured) noise sigma as a fraction of the shot-noise sigma
 * @param brightness baseline photon count per sample (shot noise sigma = sqrt(brightness))
 * @param riseScale rising-flank sigma of an action potential, relative to the width's sigma
 * @param decayScale falling-flank sigma, relative to the width's sigma
 * @param frameIntegration 1: each frame integrates the signal over its exposure (a camera); 0:
 *     point samples
 * @param ahpAmp after-hyperpolarisation after each spike, as a fraction of its height (0: none)
 * @param ahpTauMs its decay time constant
 * @param humAmp mains hum amplitude (fundamental + 2 harmonics), in noise sigmas
 * @param humHz mains frequency
 * @param brownFraction random-walk (1/f^2) noise sigma per second, as a fraction of shot noise
 * @param rippleAmp amplitude of intermittent fast oscillation bursts, in noise sigmas
 * @param rippleHz their frequency
 * @param noiseDf shot-noise distribution: 0 Gaussian, else Student-t with this many degrees of
 *     freedom (heavy tails), scaled to the same sigma
 */
public record TraceParams(
    double sampleRateHz,
    double durationS,
    double snr,
    int polarity,
    Family family,
    double minRateHz,
    double maxRateHz,
    double rateChangeMeanS,
    double refractoryMs,
    double burstRateHz,
    int burstSpikesMin,
    int burstSpikesMax,
    double burstIsiMinMs,
    double burstIsiMaxMs,
    double spikeletDecrement,
    double plateauHeight,
    double apWidthMinMs,
    double apWidthMaxMs,
    double amplitudeJitter,
    double ouTauMs,
    double ouSigma,
    double thetaHz,
    double thetaAmp,
    double bleachFraction,
    double driftAmp,
    double motionStepRateHz,
    double motionStepSigma,
    double artefactRateHz,
    double artefactAmp,
    double pinkFraction,
    double brightness,
    double riseScale,
    double decayScale,
    int frameIntegration,
    double ahpAmp,
    double ahpTauMs,
    double humAmp,
    double humHz,
    double brownFraction,
    double rippleAmp,
    double rippleHz,
    double noiseDf) {

  public TraceParams {
    if (!(sampleRateHz > 0) || !(durationS > 0)) {
      throw new IllegalArgumentException("sample rate and duration must be > 0");
    }
    if (!(snr > 0)) {
      throw new IllegalArgumentException("snr must be > 0, was " + snr);
    }
    if (polarity != 1 && polarity != -1) {
      throw new IllegalArgumentException("polarity must be +1 or -1, was " + polarity);
    }
    if (!(bleachFraction >= 0 && bleachFraction < 1)) {
      throw new IllegalArgumentException("bleachFraction must be in [0, 1), was " + bleachFraction);
    }
    if (!((minRateHz > 0 && maxRateHz >= minRateHz) || (minRateHz == 0 && maxRateHz == 0))) {
      throw new IllegalArgumentException(
          "need 0 < minRateHz <= maxRateHz, or both 0 (no action potentials)");
    }
    if (!(noiseDf == 0 || noiseDf > 2)) {
      throw new IllegalArgumentException("noiseDf must be 0 (Gaussian) or > 2, was " + noiseDf);
    }
  }

  /** Mild settings of every nuisance, for the given family turned up. */
  public static TraceParams of(
      Family family, double snr, int polarity, double durationS, double sampleRateHz) {
    double burst = family == Family.BURSTING ? 0.4 : 0.03;
    double ou = family == Family.SUBTHRESHOLD ? 1.5 : 0.4;
    double theta = family == Family.SUBTHRESHOLD ? 1.5 : 0.3;
    double bleach = family == Family.BLEACHING ? 0.5 : 0.15;
    double drift = family == Family.BLEACHING ? 0.04 : 0.01;
    double motion = family == Family.MOTION ? 0.2 : 0.02;
    double artefact = family == Family.MOTION ? 0.5 : 0.03;
    return new TraceParams(
        sampleRateHz,
        durationS,
        snr,
        polarity,
        family,
        0.5,
        20.0,
        5.0,
        3.0,
        burst,
        3,
        6,
        4.0,
        8.0,
        0.8,
        0.4,
        1.0,
        3.0,
        0.2,
        20.0,
        ou,
        7.0,
        theta,
        bleach,
        drift,
        motion,
        4.0,
        artefact,
        6.0,
        0.3,
        1000.0,
        0.8,
        1.2,
        0,
        0,
        10,
        0,
        50,
        0,
        0,
        150,
        0);
  }

  /** No action potentials at all (rates and bursts 0): what noise alone looks like. */
  public boolean spikeFree() {
    return maxRateHz == 0 && burstRateHz == 0;
  }

  /** All fields by name, for the manifest. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (var c : TraceParams.class.getRecordComponents()) {
      try {
        Object v = c.getAccessor().invoke(this);
        m.put(snake(c.getName()), v instanceof Family f ? f.toString() : v);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return m;
  }

  /**
   * A copy with fields overridden by name (snake_case, as in the manifest), e.g. {@code
   * bleach_fraction=0.6}; an unknown name is an error listing the valid ones.
   */
  public TraceParams with(Map<String, String> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    var comps = TraceParams.class.getRecordComponents();
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    Map<String, String> left = new LinkedHashMap<>(overrides);
    for (int i = 0; i < comps.length; i++) {
      types[i] = comps[i].getType();
      try {
        args[i] = comps[i].getAccessor().invoke(this);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      String key = snake(comps[i].getName());
      String v = left.remove(key);
      if (v != null) {
        try {
          if (types[i] == double.class) {
            args[i] = Double.parseDouble(v);
          } else if (types[i] == int.class) {
            args[i] = Integer.parseInt(v);
          } else {
            args[i] = Family.parse(v);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("simulator parameter " + key + ": not a number: " + v);
        }
      }
    }
    if (!left.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown simulator parameter(s) "
              + left.keySet()
              + "; valid names: "
              + String.join(", ", asMap().keySet()));
    }
    try {
      return TraceParams.class.getDeclaredConstructor(types).newInstance(args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalStateException(e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
