package dev.spate.operator.recovery;

/**
 * Why a driver ended without being asked to: the CamelCase value is written to {@code
 * status.restarts.lastFailure.reason}, the {@code Degraded} condition and the Event, so a user sees
 * one word for one cause everywhere.
 *
 * <p>Pod phases and reasons follow Kubernetes' "Pod Lifecycle" page
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/) and "Pod disruption
 * conditions" (the {@code DisruptionTarget} condition).
 */
public enum FailureReason {
  /** Pod phase {@code Failed}: the driver container exited non-zero (or was killed, OOMKilled). */
  DRIVER_FAILED("DriverFailed", true),
  /**
   * Pod phase {@code Succeeded}, or the driver container exited 0: a streaming query must not end
   * on its own (typically an exception swallowed by the application before {@code System.exit(0)}).
   */
  DRIVER_COMPLETED("DriverCompleted", false),
  /** The driver pod disappeared, or is being deleted, and nobody asked the operator to stop it. */
  DRIVER_DELETED("DriverDeleted", true),
  /**
   * The driver was evicted: status.reason {@code Evicted} (kubelet node-pressure eviction), an
   * Eviction API call or preemption ({@code DisruptionTarget} condition), or a graceful node
   * shutdown.
   */
  DRIVER_EVICTED("DriverEvicted", true),
  /**
   * The node of the driver is lost: pod phase {@code Unknown} (the kubelet stopped reporting),
   * status.reason {@code NodeLost}, or deletion by the taint manager after the node became
   * unreachable ({@code DisruptionTarget} reason {@code DeletionByTaintManager}).
   */
  NODE_LOST("NodeLost", true),
  /**
   * The driver pod stayed {@code Pending} longer than the pending timeout: unschedulable, image
   * pull errors, a missing Secret/ConfigMap ({@code CreateContainerConfigError}), ...
   */
  DRIVER_STUCK_PENDING("DriverStuckPending", true),
  /**
   * The driver runs but the consumer group's committed offsets did not move for longer than the
   * stall timeout while the lag was above 0: the query is hung.
   */
  PROGRESS_STALLED("ProgressStalled", true);

  private final String value;
  private final boolean failure;

  FailureReason(String value, boolean failure) {
    this.value = value;
    this.failure = failure;
  }

  /**
   * @return the CamelCase reason as written in status, conditions and Events
   */
  public String value() {
    return value;
  }

  /**
   * @return the reason of the operator's vocabulary with the same name
   */
  public dev.spate.operator.decide.Reason reason() {
    return dev.spate.operator.decide.Reason.valueOf(name());
  }

  /**
   * Whether this end is a failure in the sense of Kubernetes' {@code restartPolicy: OnFailure}:
   * every end except a clean exit 0 ({@link #DRIVER_COMPLETED}).
   *
   * @return true unless the driver completed with exit code 0
   */
  public boolean isFailure() {
    return failure;
  }
}
