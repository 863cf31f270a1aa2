package dev.spate.operator.decide;

/**
 * Why a StreamingJob is in its state: the same CamelCase reason appears in the status condition,
 * the Kubernetes Event and the log.
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
  STABLE("Stable");

  private final String value;

  Reason(String value) {
    this.value = value;
  }

  /**
   * @return the CamelCase reason as written in conditions and Events
   */
  public String value() {
    return value;
  }
}
