package dev.spate.operator.recovery;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What an edit of a StreamingJob's spec means for the running query, decided by {@link
 * SpecChanges#classify}.
 *
 * @param outcome what the operator does
 * @param freshCheckpoint whether {@code checkpoint.location} changed: the new driver starts on an
 *     empty checkpoint (state from zero, input from {@code kafka.startingOffsets})
 * @param changes every changed field, in spec order; empty for {@link Outcome#NONE}
 */
public record SpecChange(Outcome outcome, boolean freshCheckpoint, List<FieldChange> changes) {

  /** What the operator does with an edited spec. */
  public enum Outcome {
    /** Nothing that matters changed (e.g. a default written out, {@code 60s} → {@code 1m}). */
    NONE,
    /** Applied to the running job without a restart (executor bounds, restart policy). */
    LIVE,
    /** Graceful stop, then a new driver from the checkpoint (or a new one, see freshCheckpoint). */
    RESTART,
    /**
     * Rejected: the change breaks the checkpoint's state or offsets. {@code Ready=False}, reason
     * {@code CheckpointIncompatible}; the running job keeps running the last applied spec.
     */
    INCOMPATIBLE,
    /** {@code spec.suspend} became true: graceful stop, checkpoint kept, phase Suspended. */
    SUSPEND,
    /** {@code spec.suspend} became false: a new driver from the checkpoint, with the new spec. */
    RESUME
  }

  /** What one field's change asks for. */
  public enum Effect {
    /** Applied live. */
    LIVE,
    /** Needs a new driver; the checkpoint stays valid. */
    RESTART,
    /** Breaks the checkpoint unless {@code checkpoint.location} changes too. */
    INCOMPATIBLE,
    /** {@code checkpoint.location}: a new driver on a new checkpoint. */
    NEW_CHECKPOINT,
    /** {@code suspend}. */
    SUSPEND
  }

  /**
   * One changed field.
   *
   * @param path the field, e.g. {@code executor.memory} or {@code sparkConf[spark.sql.foo]}
   * @param effect what its change asks for
   * @param note a caveat for the user, or null (e.g. {@code applies to a new checkpoint only})
   */
  public record FieldChange(String path, Effect effect, String note) {}

  /**
   * @throws NullPointerException when outcome or changes is null
   */
  public SpecChange {
    Objects.requireNonNull(outcome, "outcome");
    changes = List.copyOf(changes);
  }

  /**
   * @return the changed fields' paths, in spec order
   */
  public List<String> paths() {
    return changes.stream().map(FieldChange::path).toList();
  }

  /**
   * Whether the operator must stop the running driver (gracefully: SIGTERM, {@code query.stop()}).
   *
   * @return true for RESTART and SUSPEND
   */
  public boolean stopsDriver() {
    return outcome == Outcome.RESTART || outcome == Outcome.SUSPEND;
  }

  /**
   * A one-line message for the Event and the condition, e.g. {@code restart from checkpoint:
   * sparkConf[spark.sql.adaptive.enabled], executor.memory changed}.
   *
   * @return the message
   */
  public String message() {
    String fields = paths().isEmpty() ? "" : String.join(", ", paths()) + " changed";
    String others =
        changes.stream()
            .filter(c -> c.effect() != Effect.SUSPEND)
            .map(FieldChange::path)
            .collect(Collectors.joining(", "));
    String notes =
        changes.stream()
            .filter(c -> c.note() != null)
            .map(c -> c.path() + ": " + c.note())
            .collect(Collectors.joining("; "));
    String text =
        switch (outcome) {
          case NONE -> "no change that matters";
          case LIVE -> "applied live: " + fields;
          case RESTART ->
              (freshCheckpoint
                      ? "restart on a new checkpoint (state starts empty, input starts at"
                          + " kafka.startingOffsets): "
                      : "restart from checkpoint: ")
                  + fields;
          case INCOMPATIBLE ->
              "incompatible with the checkpoint: "
                  + changes.stream()
                      .filter(c -> c.effect() == Effect.INCOMPATIBLE)
                      .map(FieldChange::path)
                      .collect(Collectors.joining(", "))
                  + " changed; set a new checkpoint.location to start over on a new checkpoint, or"
                  + " revert the change. The running job keeps running the last applied spec.";
          case SUSPEND ->
              "suspend: the driver stops, the checkpoint is kept"
                  + (others.isEmpty() ? "" : "; applied on resume: " + others + " changed");
          case RESUME ->
              "resume from checkpoint" + (others.isEmpty() ? "" : " with: " + others + " changed");
        };
    return notes.isEmpty() ? text : text + " (" + notes + ")";
  }
}
