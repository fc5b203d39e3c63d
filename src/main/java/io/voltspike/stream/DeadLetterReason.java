package io.voltspike.stream;

import java.util.Locale;

/**
 * Every reason the detector sets a record aside for: the one list behind the dead-letter records'
 * {@code reason} field, the {@code voltspike_bad_records_total} series, the schema's documentation
 * and the reference (docs/reference.md). A reason is added here or nowhere.
 */
public enum DeadLetterReason {
  UNDECODABLE(Outcome.DEAD_LETTERED, "not Avro single-object encoding or JSON, or a corrupt datum"),
  UNKNOWN_SCHEMA(
      Outcome.DEAD_LETTERED,
      "Avro single-object encoding with a schema fingerprint no release has"),
  WRONG_SCHEMA(
      Outcome.DEAD_LETTERED, "decodes, but a field is missing or of the wrong type (JSON chunks)"),
  MISSING_KEY(Outcome.DEAD_LETTERED, "a chunk without a record key (chunks are keyed by neuron)"),
  KEY_MISMATCH(Outcome.DEAD_LETTERED, "the record key is not the chunk's neuron"),
  BAD_RATE(Outcome.DEAD_LETTERED, "sample_rate_hz is not a positive number"),
  NAN_ONLY(
      Outcome.DEAD_LETTERED,
      "every sample is NaN, infinite or null; the samples are still taken as missing ones"),
  RATE_CHANGE(Outcome.DEAD_LETTERED, "a session's sample rate changed mid-session"),
  AFTER_END(Outcome.DEAD_LETTERED, "a chunk after its session's end_of_session chunk"),
  WRONG_SHAPE(Outcome.DEAD_LETTERED, "a frame block whose samples are not neurons x frames long"),
  EMPTY(Outcome.DEAD_LETTERED, "a chunk with no samples that does not end its session"),
  OVERLAP_TRIMMED(
      Outcome.REPAIRED,
      "a chunk that starts inside samples already processed: the new samples are kept, the"
          + " repeated ones dropped (counted, not dead-lettered)"),
  UNSUPPORTED_RATE(
      Outcome.DEAD_LETTERED,
      "a frame rate the detector cannot take (outside 300 Hz-5 kHz): the session's first such"
          + " chunk is dead-lettered, later ones are counted only"),
  REFUSED_NEURON(
      Outcome.REPAIRED,
      "a later chunk of a session refused for its rate or its detector (counted, not"
          + " dead-lettered)"),
  PROCESSING_ERROR(
      Outcome.DEAD_LETTERED, "an unexpected error while taking the chunk; the detail says which"),
  INFERENCE_ERROR(
      Outcome.DEAD_LETTERED,
      "ONNX Runtime failed on a neuron's windows; that neuron's windows are skipped"),
  DETECTOR_ERROR(
      Outcome.DEAD_LETTERED,
      "the detector could not be built for the session (e.g. the model file is missing)"),
  STATE_UNREADABLE(
      Outcome.DEAD_LETTERED,
      "a stored neuron state that no released state schema reads: it is dropped and the session"
          + " starts afresh"),
  DUPLICATE(
      Outcome.SKIPPED,
      "a chunk ending where the neuron already is (a replay after recovery): counted in"
          + " voltspike_already_processed_chunks_total, not dead-lettered"),
  OUT_OF_ORDER(
      Outcome.SKIPPED,
      "a chunk ending before where the neuron already is: counted in"
          + " voltspike_already_processed_chunks_total, not dead-lettered");

  /** What becomes of a record set aside for a reason. */
  public enum Outcome {
    /** Published to the dead-letter topic with its bytes, and counted. */
    DEAD_LETTERED,
    /** Counted under voltspike_bad_records_total; the record's usable part is kept. */
    REPAIRED,
    /** Counted under voltspike_already_processed_chunks_total only. */
    SKIPPED
  }

  private final Outcome outcome;
  private final String description;

  DeadLetterReason(Outcome outcome, String description) {
    this.outcome = outcome;
    this.description = description;
  }

  /** The machine-readable code written to the dead-letter record and the metric label. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Outcome outcome() {
    return outcome;
  }

  public String description() {
    return description;
  }
}
