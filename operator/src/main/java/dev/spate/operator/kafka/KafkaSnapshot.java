package dev.spate.operator.kafka;

import dev.spate.operator.decide.Reason;
import java.time.Instant;
import java.util.List;

/**
 * What the operator last learnt from Kafka about one job: total input partitions, consumer lag and
 * the offset committer's last commit, or why it could not learn it.
 *
 * @param partitions total partitions of the input topics, or null when unknown
 * @param lag Σ (end offset − committed offset) in records (see {@code ConsumerLag}), or null
 * @param committedBatchId micro-batch id in the last commit's metadata, or null
 * @param lastCommitTime RFC 3339 time in the last commit's metadata, or null
 * @param problem why Kafka could not be read, or null when the read succeeded
 * @param observedAt when the poll finished
 * @param missingOutputTopics output and dead-letter topics of the job that do not exist (the job's
 *     Kafka sink does not create them), empty when all exist or the read failed
 * @param lagSeconds age in seconds of the oldest record not yet processed (see {@code
 *     dev.spate.operator.lag.LagSeconds}), or null when unknown
 */
public record KafkaSnapshot(
    Integer partitions,
    Long lag,
    Long committedBatchId,
    String lastCommitTime,
    Problem problem,
    Instant observedAt,
    List<String> missingOutputTopics,
    Long lagSeconds) {

  /** Copies the list; null becomes empty. */
  public KafkaSnapshot {
    missingOutputTopics =
        missingOutputTopics == null ? List.of() : List.copyOf(missingOutputTopics);
  }

  /**
   * A snapshot without lag in seconds.
   *
   * @param partitions as the record component
   * @param lag as the record component
   * @param committedBatchId as the record component
   * @param lastCommitTime as the record component
   * @param problem as the record component
   * @param observedAt as the record component
   * @param missingOutputTopics as the record component
   */
  public KafkaSnapshot(
      Integer partitions,
      Long lag,
      Long committedBatchId,
      String lastCommitTime,
      Problem problem,
      Instant observedAt,
      List<String> missingOutputTopics) {
    this(
        partitions,
        lag,
        committedBatchId,
        lastCommitTime,
        problem,
        observedAt,
        missingOutputTopics,
        null);
  }

  /**
   * A snapshot in which every output topic exists.
   *
   * @param partitions as the record component
   * @param lag as the record component
   * @param committedBatchId as the record component
   * @param lastCommitTime as the record component
   * @param problem as the record component
   * @param observedAt as the record component
   */
  public KafkaSnapshot(
      Integer partitions,
      Long lag,
      Long committedBatchId,
      String lastCommitTime,
      Problem problem,
      Instant observedAt) {
    this(partitions, lag, committedBatchId, lastCommitTime, problem, observedAt, List.of());
  }

  /**
   * A failed read.
   *
   * @param reason {@link Reason#KAFKA_UNAVAILABLE} or {@link Reason#TOPIC_NOT_FOUND}
   * @param message human-readable cause
   */
  public record Problem(Reason reason, String message) {}

  /**
   * @return whether the read succeeded
   */
  public boolean ok() {
    return problem == null;
  }

  /**
   * A failed snapshot that keeps nothing of the earlier one (stale numbers would lie).
   *
   * @param reason the condition reason
   * @param message the cause
   * @param at when
   * @return the snapshot
   */
  public static KafkaSnapshot failed(Reason reason, String message, Instant at) {
    return new KafkaSnapshot(null, null, null, null, new Problem(reason, message), at);
  }

  /**
   * @return this without {@link #observedAt}, to tell whether anything a user sees changed
   */
  public KafkaSnapshot withoutTime() {
    return new KafkaSnapshot(
        partitions,
        lag,
        committedBatchId,
        lastCommitTime,
        problem,
        null,
        missingOutputTopics,
        lagSeconds);
  }
}
