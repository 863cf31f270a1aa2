package dev.spate.operator.decide;

/**
 * Why a StreamingJob is in its state, and why the operator acted: the one vocabulary of the
 * operator. The same CamelCase value appears in the status conditions, in {@code
 * status.restarts.lastFailure.reason}, in the Kubernetes Events and in the log lines that record
 * them. Driver ends ({@code recovery.FailureReason}) and give-up reasons map onto constants of the
 * same name here.
 */
public enum Reason {
  /** The driver is ready and the query runs. */
  RUNNING("Running"),
  /** The operator created the driver pod. */
  DRIVER_CREATED("DriverCreated"),
  /** The driver pod exists but is not ready yet (scheduling, image pull, JVM start). */
  DRIVER_STARTING("DriverStarting"),
  /** The driver pod is being deleted. */
  DRIVER_TERMINATING("DriverTerminating"),
  /** The driver container ended with a failure. */
  DRIVER_FAILED("DriverFailed"),
  /** The driver ended successfully, which a streaming job must not do. */
  DRIVER_SUCCEEDED("DriverSucceeded"),
  /** Ready executors differ from the desired count. */
  EXECUTORS_SCALING("ExecutorsScaling"),
  /** {@code spec.suspend} is true and no driver runs. */
  SUSPENDED("Suspended"),
  /** {@code spec.suspend} is true and the driver is stopping. */
  SUSPENDING("Suspending"),
  /** The spec breaks a rule; nothing new is deployed. */
  INVALID_SPEC("InvalidSpec"),
  /**
   * {@code checkpoint.location} is a {@code file://} path without {@code checkpoint.volume}: it
   * lives in each pod's own filesystem, so executors on other nodes cannot share state and a new
   * driver starts from nothing.
   */
  NODE_LOCAL_CHECKPOINT("NodeLocalCheckpoint"),
  /** Kafka could not be reached or answered with an error. */
  KAFKA_UNAVAILABLE("KafkaUnavailable"),
  /** An input topic does not exist. */
  TOPIC_NOT_FOUND("TopicNotFound"),
  /** Nothing is wrong. */
  AS_EXPECTED("AsExpected"),
  /** Nothing is changing. */
  STABLE("Stable"),
  /** An output or dead-letter topic does not exist: no driver is started until it does. */
  OUTPUT_TOPIC_NOT_FOUND("OutputTopicNotFound"),
  /** A spec change or {@code restartNonce} asked for a restart from the checkpoint. */
  RESTART_REQUESTED("RestartRequested"),
  /** The driver of the running attempt is being stopped gracefully for a restart. */
  RESTARTING("Restarting"),
  /** A restart after a failure: waiting for the old pods and the backoff. */
  RESTART_BACKOFF("RestartBackoff"),
  /** A new attempt's driver was started from the checkpoint. */
  RESTARTED("Restarted"),
  /** {@code spec.suspend} went back to false: a new attempt starts. */
  RESUMED("Resumed"),
  /** A spec change applied without a restart (scaling bounds, restart policy). */
  SPEC_APPLIED("SpecApplied"),
  /** A spec change the checkpoint cannot take; the running driver is left as it is. */
  CHECKPOINT_INCOMPATIBLE("CheckpointIncompatible"),
  /** {@code restartPolicy: OnFailure} and the driver exited 0: not restarted. */
  NOT_RESTARTED("NotRestarted"),
  /** {@code restartPolicy.type: Never}: the driver ended and is not restarted. */
  RESTART_POLICY_NEVER("RestartPolicyNever"),
  /** More restarts than {@code restartPolicy.maxRestarts} since the last reset. */
  RESTARTS_EXHAUSTED("RestartsExhausted"),
  /** The driver container exited 0: a streaming query must not end on its own. */
  DRIVER_COMPLETED("DriverCompleted"),
  /** The driver pod disappeared, or is being deleted, unasked. */
  DRIVER_DELETED("DriverDeleted"),
  /** The driver pod was evicted (node pressure, Eviction API, preemption, node shutdown). */
  DRIVER_EVICTED("DriverEvicted"),
  /** The driver's node is lost (pod phase Unknown, NodeLost, taint-manager deletion). */
  NODE_LOST("NodeLost"),
  /** The driver pod stayed Pending longer than {@code spate.driverPendingTimeout}. */
  DRIVER_STUCK_PENDING("DriverStuckPending"),
  /** Offsets were available but no micro-batch was committed for the stall timeout. */
  PROGRESS_STALLED("ProgressStalled"),
  /** The executor count changed live through the driver plugin. */
  RESCALED("Rescaled"),
  /** The driver did not confirm a live resize within {@code spate.rescaleTimeout}. */
  RESCALE_NOT_CONFIRMED("RescaleNotConfirmed"),
  /** The input topics have more partitions than the pinned state parallelism. */
  STATE_PARALLELISM_EXCEEDED("StateParallelismExceeded"),
  /**
   * A pod of an earlier attempt has not gone away within {@code spate.oldPodTimeout} (its node is
   * probably lost): no new attempt starts while it may still run.
   */
  OLD_POD_STUCK("OldPodStuck");

  private final String value;

  Reason(String value) {
    this.value = value;
  }

  /**
   * The reason with a CamelCase value.
   *
   * @param value a value as written in a condition (may be null)
   * @return the reason, empty when no reason has that value
   */
  public static java.util.Optional<Reason> of(String value) {
    for (Reason r : values()) {
      if (r.value.equals(value)) {
        return java.util.Optional.of(r);
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * @return the CamelCase reason as written in conditions and Events
   */
  public String value() {
    return value;
  }
}
