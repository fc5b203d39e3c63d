package io.voltspike.eval;

import io.voltspike.detect.Spike;
import java.util.List;

/**
 * One detector on one trace.
 *
 * @param name the recording's name
 * @param detector detector name
 * @param snr simulated SNR, NaN when unknown
 * @param family simulated family, or "unknown"
 * @param counts the comparison with ground truth
 * @param spikes what the detector found
 * @param lowSd how many of them stand below {@link Plausibility#LOW_SD} robust sd of the trace's
 *     high-pass channel
 * @param bursts recall of burst and isolated true spikes by height
 */
public record TraceResult(
    String name,
    String detector,
    double snr,
    String family,
    Counts counts,
    List<Spike> spikes,
    int lowSd,
    BurstRecall bursts) {}
