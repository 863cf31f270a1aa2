package dev.spate.operator.sizing;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ScalingPolicy} decided: the executor count to apply now, why, and the state to pass
 * to the next decision.
 *
 * @param executors the executor count to apply now: write it to the control ConfigMap's {@code
 *     desiredExecutors} (live resize) and use it as {@code spark.executor.instances} when a driver
 *     starts; {@code status.executors.desired}
 * @param previous the count applied before this decision ({@code executors} on a first decision)
 * @param desired the count {@link dev.spate.operator.decide.ExecutorSizing} computes for now
 * @param cause why {@code executors} is what it is
 * @param message human-readable, for the Event and the log, e.g. {@code Rescaled executors 2 → 4
 *     (input partitions 4 → 8)}
 * @param window the state to keep and pass to the next decision of this job
 * @param reviewAt when a held scale-down can next make progress (reconcile again then, e.g. JOSDK
 *     {@code UpdateControl.rescheduleAfter}); empty unless {@code cause} is {@link
 *     Cause#SCALE_DOWN_STABILIZING}
 */
public record ExecutorCountDecision(
    int executors,
    int previous,
    int desired,
    Cause cause,
    String message,
    ScaleDownWindow window,
    Optional<Instant> reviewAt) {

  /** Event reason for a decision that {@link #changed() changed} the executor count. */
  public static final String EVENT_REASON = dev.spate.operator.decide.Reason.RESCALED.value();

  /**
   * @throws NullPointerException when cause, message, window or reviewAt is null
   */
  public ExecutorCountDecision {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(reviewAt, "reviewAt");
  }

  /**
   * Whether the executor count to apply differs from the one applied before: then write the control
   * ConfigMap, record an Event ({@link #EVENT_REASON}, {@link #message()}), enter phase {@code
   * Rescaling} and wait for {@link RescaleConfirmation}.
   *
   * @return {@code executors != previous}
   */
  public boolean changed() {
    return executors != previous;
  }

  /** Why the executor count is what it is. */
  public enum Cause {
    /** No count was applied yet (first start): the desired count applies. */
    INITIAL("Sized"),
    /** The applied count is what the input partitions and the spec call for. */
    UNCHANGED("Unchanged"),
    /** More executors are desired: applied at once. */
    SCALE_UP("ScaledUp"),
    /** Fewer executors were desired during the whole stabilisation window: applied. */
    SCALE_DOWN("ScaledDown"),
    /**
     * Fewer executors are desired, but a higher count was desired within the stabilisation window:
     * the applied count stays until {@link ExecutorCountDecision#reviewAt()}.
     */
    SCALE_DOWN_STABILIZING("ScaleDownStabilizing"),
    /**
     * {@code executor.minExecutors}, {@code maxExecutors} or {@code cores} changed: applied at
     * once.
     */
    SPEC_CHANGED("ExecutorSpecChanged"),
    /**
     * The applied count lies outside the spec's bounds (seen after an operator start, when the
     * previous spec is not known): the desired count applies at once.
     */
    OUT_OF_BOUNDS("OutsideExecutorBounds");

    private final String value;

    Cause(String value) {
      this.value = value;
    }

    /**
     * @return the CamelCase reason, for logs and conditions
     */
    public String value() {
      return value;
    }
  }
}
