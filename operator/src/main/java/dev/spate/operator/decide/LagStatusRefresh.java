package dev.spate.operator.decide;

import dev.spate.api.v1alpha1.KafkaStatus;
import dev.spate.operator.kafka.KafkaSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When the lag figures of a job's status are written: at most once per refresh interval ({@code
 * spate.lagStatusInterval}), or at once on a significant change. A running job commits every
 * micro-batch and its lag moves at every Kafka poll; writing each of those to the API server would
 * cost one status write per job per poll (2,000 jobs polled every 10 s: 200 writes a second) for
 * figures that are stale by the next poll anyway. The operator's metrics carry the live values.
 *
 * <p>The figures are {@code status.kafka.lag} (records), {@code lagSeconds}, {@code
 * committedBatchId} and {@code lastCommitTime}. Everything else of the status (partitions, phase,
 * conditions, executors) is written whenever it changes.
 *
 * <p>A change is significant when the user must see it now:
 *
 * <ul>
 *   <li>a figure appears (the first lag, the first committed micro-batch);
 *   <li>the lag in seconds moves by a factor of two or more with at least {@value
 *       #SIGNIFICANT_SECONDS} s between the two (the larger ≥ 2 × the smaller + {@value
 *       #SIGNIFICANT_SECONDS}): a job that falls a minute or more behind, or catches up from it;
 *   <li>the lag in records moves the same way with at least {@value #SIGNIFICANT_RECORDS} records.
 * </ul>
 *
 * A healthy job's lag swings between the records of one trigger interval and none at every
 * micro-batch; the thresholds keep that swing from counting as significant.
 */
public final class LagStatusRefresh {

  /** Lag-in-seconds floor of a significant change, seconds. */
  public static final long SIGNIFICANT_SECONDS = 60;

  /** Records-lag floor of a significant change, records. */
  public static final long SIGNIFICANT_RECORDS = 100_000;

  private LagStatusRefresh() {}

  /**
   * The lag figures of a status or a Kafka snapshot.
   *
   * @param lag records behind, or null when unknown
   * @param lagSeconds seconds behind, or null when unknown
   * @param committedBatchId the last committed micro-batch id, or null
   * @param lastCommitTime its commit time (RFC 3339), or null
   */
  public record Figures(Long lag, Long lagSeconds, Long committedBatchId, String lastCommitTime) {

    /**
     * @param status a status' Kafka part, may be null
     * @return its figures, or null when there is none
     */
    public static Figures of(KafkaStatus status) {
      return status == null
          ? null
          : new Figures(
              status.getLag(),
              status.getLagSeconds(),
              status.getCommittedBatchId(),
              status.getLastCommitTime());
    }

    /**
     * @param snapshot a Kafka snapshot, may be null
     * @return its figures, or null when there is none or the read failed
     */
    public static Figures of(KafkaSnapshot snapshot) {
      return snapshot == null || !snapshot.ok()
          ? null
          : new Figures(
              snapshot.lag(),
              snapshot.lagSeconds(),
              snapshot.committedBatchId(),
              snapshot.lastCommitTime());
    }

    /**
     * Writes these figures into a status' Kafka part.
     *
     * @param status the Kafka part to change
     */
    public void applyTo(KafkaStatus status) {
      status.setLag(lag);
      status.setLagSeconds(lagSeconds);
      status.setCommittedBatchId(committedBatchId);
      status.setLastCommitTime(lastCommitTime);
    }
  }

  /**
   * Whether the live figures are written now.
   *
   * @param shown the figures the status shows, or null when it shows none
   * @param shownAt when this operator instance last wrote figures, or null when it has not (e.g.
   *     right after it started: the first write refreshes)
   * @param live the figures of the last Kafka poll, or null when the poll failed (then nothing is
   *     written: the status keeps its last figures)
   * @param now the time of the decision
   * @param interval the refresh interval; zero writes every change
   * @return true to write {@code live}, false to keep {@code shown}
   */
  public static boolean due(
      Figures shown, Instant shownAt, Figures live, Instant now, Duration interval) {
    if (live == null || live.equals(shown)) {
      return false;
    }
    if (shown == null || shownAt == null || interval.isZero()) {
      return true;
    }
    return !now.isBefore(shownAt.plus(interval)) || significant(shown, live);
  }

  /**
   * Whether the figures changed enough to show at once (see the class comment).
   *
   * @param shown the figures shown
   * @param live the live figures
   * @return true when significant
   */
  public static boolean significant(Figures shown, Figures live) {
    Objects.requireNonNull(shown);
    Objects.requireNonNull(live);
    if (appeared(shown.lag(), live.lag())
        || appeared(shown.lagSeconds(), live.lagSeconds())
        || appeared(shown.committedBatchId(), live.committedBatchId())) {
      return true;
    }
    return apart(shown.lagSeconds(), live.lagSeconds(), SIGNIFICANT_SECONDS)
        || apart(shown.lag(), live.lag(), SIGNIFICANT_RECORDS);
  }

  /**
   * When figures written at {@code shownAt} are refreshed at the latest.
   *
   * @param shownAt when the figures were written
   * @param interval the refresh interval
   * @return {@code shownAt + interval}
   */
  public static Instant refreshAt(Instant shownAt, Duration interval) {
    return shownAt.plus(interval);
  }

  private static boolean appeared(Long before, Long after) {
    return before == null && after != null;
  }

  private static boolean apart(Long a, Long b, long floor) {
    if (a == null || b == null) {
      return false;
    }
    long small = Math.min(a, b);
    long large = Math.max(a, b);
    return large >= 2 * small + floor;
  }
}
