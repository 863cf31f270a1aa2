/**
 * Pure decisions of executor sizing (the executor sizing rules): the executor count to apply now
 * with a scale-down stabilisation window ({@link dev.spate.operator.sizing.ScalingPolicy}), the
 * state parallelism chosen once per checkpoint ({@link dev.spate.operator.sizing.StateParallelism})
 * and whether the driver confirmed a live resize ({@link
 * dev.spate.operator.sizing.RescaleConfirmation}).
 *
 * <p>Every class here takes plain values (and the time of the decision as an {@link
 * java.time.Instant}) and returns plain, immutable values; none reads the clock, the cluster or
 * Kafka. The desired count itself is {@link dev.spate.operator.decide.ExecutorSizing}'s.
 */
package dev.spate.operator.sizing;
