package dev.spate.operator.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lag in seconds of the consumer groups the operator polls: per partition an {@link OffsetTimeline}
 * of observed end offsets; a job's lag in seconds is the largest over its input partitions of how
 * long ago the record at the group's committed offset was produced (so: the age of the oldest
 * record the job has not yet processed).
 *
 * <p>What it means exactly: {@code 0} when every partition is fully read; otherwise an estimate
 * accurate to about one poll interval (linear interpolation between two end-offset observations),
 * and a lower bound when the committed offset is older than the timeline's oldest point (right
 * after the operator starts, a long-lagging job shows at least the time the operator has been
 * watching). It uses only {@code ListOffsets} results the lag in records already needs: no record
 * is read.
 *
 * <p>Keyed by partition ({@code topic-partition} of a cluster), so jobs reading the same topic
 * share a timeline. Partitions not observed for a while can be dropped with {@link #retainOnly}.
 * Not thread-safe: one poll chain per Kafka cluster owns one instance.
 *
 * @param <P> the partition key type (e.g. Kafka's {@code TopicPartition})
 */
public final class LagSeconds<P> {

  private final Map<P, OffsetTimeline> timelines = new HashMap<>();

  /**
   * Records one poll's end offsets.
   *
   * @param endOffsets end offset per partition
   * @param at when they were read
   */
  public void observe(Map<P, Long> endOffsets, Instant at) {
    endOffsets.forEach(
        (p, end) -> {
          if (end != null) {
            timelines.computeIfAbsent(p, k -> new OffsetTimeline()).record(at, end);
          }
        });
  }

  /**
   * The lag in seconds of a group over the given partitions.
   *
   * @param committed the group's committed offset per partition; a partition missing here counts as
   *     not lagging (the records-lag rule of the starting offsets decides what an uncommitted
   *     partition means, and is reported in records)
   * @param now the time to measure against
   * @return whole seconds, rounded down (never negative), or null when no partition of {@code
   *     committed} has been observed
   */
  public Long lagSeconds(Map<P, Long> committed, Instant now) {
    Duration max = null;
    for (Map.Entry<P, Long> e : committed.entrySet()) {
      OffsetTimeline timeline = timelines.get(e.getKey());
      if (timeline == null || e.getValue() == null) {
        continue;
      }
      Duration lag = timeline.lagAt(e.getValue(), now);
      if (lag != null && (max == null || lag.compareTo(max) > 0)) {
        max = lag;
      }
    }
    return max == null ? null : max.toSeconds();
  }

  /**
   * Drops the timelines of partitions no longer polled.
   *
   * @param partitions the partitions to keep
   */
  public void retainOnly(Set<P> partitions) {
    timelines.keySet().retainAll(partitions);
  }
}
