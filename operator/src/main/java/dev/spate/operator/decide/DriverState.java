package dev.spate.operator.decide;

/** The driver pod as the status decision sees it. */
public enum DriverState {
  /** No driver pod exists. */
  ABSENT,
  /** The pod exists but its driver container is not ready (Pending, or Running and not ready). */
  STARTING,
  /** The driver container is ready. */
  READY,
  /** The pod has a deletion timestamp. */
  TERMINATING,
  /** The pod phase is Succeeded. */
  SUCCEEDED,
  /** The pod phase is Failed. */
  FAILED
}
