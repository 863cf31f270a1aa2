package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a new consumer group starts reading: Spark's Kafka source option {@code startingOffsets}.
 * It applies only to a fresh checkpoint; a restart always resumes from the checkpoint's offsets.
 */
public enum StartingOffsets {
  /** From each partition's earliest offset. */
  @JsonProperty("earliest")
  EARLIEST("earliest"),
  /** From each partition's end offset at the first micro-batch. */
  @JsonProperty("latest")
  LATEST("latest");

  private final String value;

  StartingOffsets(String value) {
    this.value = value;
  }

  /**
   * @return the value as written in YAML and in Spark's option, {@code earliest} or {@code latest}
   */
  public String value() {
    return value;
  }
}
