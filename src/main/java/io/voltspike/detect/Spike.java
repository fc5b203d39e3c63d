package io.voltspike.detect;

/**
 * One detected spike.
 *
 * @param sample 0-based sample index within the session
 * @param score the detector's confidence: a probability for the U-Net, a height in noise units for
 *     the threshold detectors
 */
public record Spike(long sample, double score) {}
