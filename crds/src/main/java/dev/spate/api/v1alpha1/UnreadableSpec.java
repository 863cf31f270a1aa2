package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A stored spec the typed model cannot read (see {@link LenientStreamingJobDeserializer}): every
 * typed field is {@code null}; {@link #raw()} is the JSON the API server stored and is what this
 * object serialises to, so copies and status updates never change the user's spec.
 */
public final class UnreadableSpec extends StreamingJobSpec {

  private final JsonNode raw;
  private final String reason;

  /**
   * @param raw the stored {@code spec} as JSON
   * @param reason one line: the field that failed and why
   */
  public UnreadableSpec(JsonNode raw, String reason) {
    this.raw = Objects.requireNonNull(raw, "raw").deepCopy();
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * @return the stored spec as JSON (serialised in place of the typed fields)
   */
  @JsonValue
  public JsonNode raw() {
    return raw.deepCopy();
  }

  /**
   * @return the field that failed and why, e.g. {@code spec.executor.cores cannot be read: ...}
   */
  @JsonIgnore
  public String reason() {
    return reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnreadableSpec that && raw.equals(that.raw);
  }

  @Override
  public int hashCode() {
    return raw.hashCode();
  }

  @Override
  public String toString() {
    return "UnreadableSpec{" + reason + "}";
  }
}
