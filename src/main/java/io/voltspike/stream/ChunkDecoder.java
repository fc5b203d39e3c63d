package io.voltspike.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voltspike.avro.VoltageChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes input records: Avro single-object encoded {@link VoltageChunk}s, or JSON for rigs that
 * cannot write Avro. The JSON form has the same fields:
 *
 * <pre>{"session": "rig1", "neuron": "n7", "first_sample": 1200, "sample_rate_hz": 1000.0,
 *  "acquired_at_us": 1764000000000000, "samples": [0.12, 0.10, null, 0.31],
 *  "end_of_session": false}</pre>
 *
 * <p>{@code null} in {@code samples} is a missing sample; {@code end_of_session} may be omitted.
 */
public final class ChunkDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChunkDecoder() {}

  public static VoltageChunk decode(byte[] value) throws BadRecordException {
    if (value != null && value.length > 0 && (value[0] == '{' || value[0] == ' ')) {
      return json(value);
    }
    return AvroCodec.CHUNKS.decode(value);
  }

  static VoltageChunk json(byte[] value) throws BadRecordException {
    JsonNode n;
    try {
      n = JSON.readTree(value);
    } catch (IOException e) {
      throw new BadRecordException(DeadLetterReason.UNDECODABLE, "invalid JSON: " + e.getMessage());
    }
    try {
      List<Float> samples = new ArrayList<>();
      JsonNode arr = required(n, "samples");
      if (!arr.isArray()) {
        throw new BadRecordException(DeadLetterReason.WRONG_SCHEMA, "samples must be an array");
      }
      for (JsonNode s : arr) {
        if (s.isNull()) {
          samples.add(Float.NaN);
        } else if (s.isNumber()) {
          samples.add(s.floatValue());
        } else {
          throw new BadRecordException(
              DeadLetterReason.WRONG_SCHEMA, "sample is not a number: " + s);
        }
      }
      return VoltageChunk.newBuilder()
          .setSession(text(n, "session"))
          .setNeuron(text(n, "neuron"))
          .setFirstSample(number(n, "first_sample").longValue())
          .setSampleRateHz(number(n, "sample_rate_hz").doubleValue())
          .setAcquiredAtUs(number(n, "acquired_at_us").longValue())
          .setSamples(samples)
          .setEndOfSession(n.path("end_of_session").asBoolean(false))
          .build();
    } catch (RuntimeException e) {
      throw new BadRecordException(DeadLetterReason.WRONG_SCHEMA, "JSON chunk: " + e.getMessage());
    }
  }

  private static JsonNode required(JsonNode n, String f) throws BadRecordException {
    JsonNode v = n.get(f);
    if (v == null || v.isNull()) {
      throw new BadRecordException(
          DeadLetterReason.WRONG_SCHEMA, "JSON chunk lacks field '" + f + "'");
    }
    return v;
  }

  private static String text(JsonNode n, String f) throws BadRecordException {
    JsonNode v = required(n, f);
    if (!v.isTextual()) {
      throw new BadRecordException(DeadLetterReason.WRONG_SCHEMA, "'" + f + "' must be a string");
    }
    return v.asText();
  }

  private static Number number(JsonNode n, String f) throws BadRecordException {
    JsonNode v = required(n, f);
    if (!v.isNumber()) {
      throw new BadRecordException(DeadLetterReason.WRONG_SCHEMA, "'" + f + "' must be a number");
    }
    return v.numberValue();
  }
}
