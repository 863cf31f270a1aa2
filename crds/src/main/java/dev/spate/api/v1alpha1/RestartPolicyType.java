package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When the operator starts a new driver after the previous one ended without being asked to. */
public enum RestartPolicyType {
  /**
   * After any driver end: failure, success (a streaming query must not finish), deletion, eviction.
   */
  @JsonProperty("Always")
  ALWAYS("Always"),
  /**
   * After a failure only (non-zero exit, eviction, deletion); a driver that exits 0 is left ended.
   */
  @JsonProperty("OnFailure")
  ON_FAILURE("OnFailure"),
  /** Never: the job goes to phase {@code Failed} when its driver ends. */
  @JsonProperty("Never")
  NEVER("Never");

  private final String value;

  RestartPolicyType(String value) {
    this.value = value;
  }

  /**
   * @return the value as written in YAML: {@code Always}, {@code OnFailure} or {@code Never}
   */
  public String value() {
    return value;
  }
}
