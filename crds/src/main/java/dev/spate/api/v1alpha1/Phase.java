package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Lifecycle phase of a StreamingJob ({@code status.phase}), a summary for humans and printers. */
public enum Phase {
  /** Accepted, nothing started yet (e.g. waiting for the restart backoff or a valid spec). */
  @JsonProperty("Pending")
  PENDING("Pending"),
  /** A driver pod exists but the query has not yet committed its first micro-batch. */
  @JsonProperty("Starting")
  STARTING("Starting"),
  /** The query runs and commits micro-batches. */
  @JsonProperty("Running")
  RUNNING("Running"),
  /** The query runs while the executor count is being changed to a new desired value. */
  @JsonProperty("Rescaling")
  RESCALING("Rescaling"),
  /** The driver ended; a new one starts from the checkpoint after the backoff. */
  @JsonProperty("Restarting")
  RESTARTING("Restarting"),
  /** {@code spec.suspend} is true: no driver runs, the checkpoint is kept. */
  @JsonProperty("Suspended")
  SUSPENDED("Suspended"),
  /** Given up: restart budget exhausted, restart policy forbids a restart, or unrecoverable. */
  @JsonProperty("Failed")
  FAILED("Failed");

  private final String value;

  Phase(String value) {
    this.value = value;
  }

  /**
   * @return the value as written in the status, e.g. {@code Running}
   */
  public String value() {
    return value;
  }
}
