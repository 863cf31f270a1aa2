package dev.spate.operator.recovery;

import dev.spate.operator.kafka.KafkaSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Since when a job's consumer group has made no committed progress, kept by the reconciler between
 * Kafka polls (in memory: after an operator restart the watch starts again, which only delays a
 * stall verdict by at most one stall timeout).
 *
 * <p>Progress is any change of the committed position: the sum of the group's committed offsets
 * over all input partitions, or the micro-batch id the offset committer writes into the commit
 * metadata ({@code KafkaSnapshot.committedBatchId}); both only grow while the query commits. A lag
 * of 0 also counts as progress: an idle stream with nothing to read is not stalled.
 *
 * @param position the last committed position seen, or null when none was seen yet
 * @param since when the position last changed or the lag was last 0 (the start of the stall), or
 *     {@link #UNOBSERVED} after a failed poll
 */
public record ProgressWatch(Long position, Instant since) {

  /** {@link #since} of a watch that saw no good poll since Kafka last failed: no stall yet. */
  public static final Instant UNOBSERVED = Instant.MAX;

  /**
   * @throws NullPointerException when since is null
   */
  public ProgressWatch {
    Objects.requireNonNull(since, "since");
  }

  /**
   * A watch that starts now, for a new driver: the new query gets a full stall timeout to commit.
   *
   * @param now the driver's creation time
   * @return the watch
   */
  public static ProgressWatch start(Instant now) {
    return new ProgressWatch(null, now);
  }

  /**
   * The watch after one Kafka poll.
   *
   * @param position the committed position now (see the class comment), or null when the group has
   *     no commit yet
   * @param lag the consumer lag now in records, or null when Kafka could not be read (then nothing
   *     is learnt and the watch is returned unchanged)
   * @param at when the poll finished
   * @return the next watch: reset to {@code at} on a new position or a lag of 0, else this
   */
  public ProgressWatch observe(Long position, Long lag, Instant at) {
    if (lag == null) {
      return this;
    }
    if (lag <= 0 || !Objects.equals(position, this.position) || since.isAfter(at)) {
      return new ProgressWatch(position, at);
    }
    return this;
  }

  /**
   * The watch after a Kafka poll of the inspector: the position is the committed micro-batch id
   * from the offset committer's commit metadata.
   *
   * <p>A stall is only ever concluded from evidence: a failed poll stops the stall clock (the
   * position kept), because while Kafka cannot be read the operator cannot tell a stuck query from
   * one that cannot commit either; the clock starts again at the first good poll, so the query gets
   * a whole stall timeout of good polls to show progress.
   *
   * @param snapshot the inspector's snapshot
   * @return the next watch (see {@link #observe(Long, Long, Instant)})
   */
  public ProgressWatch observe(KafkaSnapshot snapshot) {
    if (snapshot == null || snapshot.observedAt() == null) {
      return this;
    }
    if (!snapshot.ok()) {
      return new ProgressWatch(position, UNOBSERVED);
    }
    return observe(snapshot.committedBatchId(), snapshot.lag(), snapshot.observedAt());
  }

  /**
   * How long the query has gone without progress at {@code now}.
   *
   * @param now the time of the decision
   * @return {@code now − since}, never negative
   */
  public Duration stalledFor(Instant now) {
    Duration d = Duration.between(since, now);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
