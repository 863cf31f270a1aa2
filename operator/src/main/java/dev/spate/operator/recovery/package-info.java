/**
 * Pure decisions of recovery: why a driver ended ({@link
 * dev.spate.operator.recovery.DriverTermination}), whether and when to start the next one ({@link
 * dev.spate.operator.recovery.RestartBackoff}), what a spec edit means for the running query
 * ({@link dev.spate.operator.recovery.SpecChanges}) and the spec the running driver was started
 * from ({@link dev.spate.operator.recovery.LastAppliedSpec}).
 *
 * <p>Every class here takes plain values (and the time of the decision as an {@link
 * java.time.Instant}) and returns plain values; none reads the clock, the cluster or Kafka.
 */
package dev.spate.operator.recovery;
