package dev.spate.operator.decide;

import dev.spate.api.v1alpha1.StartingOffsets;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of a job's consumer group: {@code Σ over partitions (end offset − committed
 * offset)}, where offsets mean "next offset to read" as in Kafka's {@code listOffsets} and {@code
 * listConsumerGroupOffsets}.
 *
 * <p>A partition without a committed offset (the job has not finished a micro-batch on it yet)
 * counts from its earliest offset when {@code startingOffsets} is {@code earliest} (the job will
 * read all of it) and as 0 when {@code latest} (the job will start at the end). A committed offset
 * above the end offset (possible right after a topic is recreated) counts as 0, never negative.
 */
public final class ConsumerLag {

  private ConsumerLag() {}

  /**
   * Total lag in records.
   *
   * @param earliest earliest offset per partition (Kafka {@code OffsetSpec.earliest()}); must hold
   *     every partition of {@code end}
   * @param end end offset per partition (Kafka {@code OffsetSpec.latest()}): the partitions that
   *     count
   * @param committed committed offset per partition of the group; partitions may be missing
   * @param startingOffsets where a partition without commit starts
   * @return the lag in records, {@code >= 0}
   * @throws IllegalArgumentException when a partition without commit has no earliest offset and
   *     {@code startingOffsets} is {@code earliest}
   */
  public static long totalLag(
      Map<TopicPartition, Long> earliest,
      Map<TopicPartition, Long> end,
      Map<TopicPartition, Long> committed,
      StartingOffsets startingOffsets) {
    long total = 0;
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      total +=
          partitionLag(
              partition.getKey(), earliest, partition.getValue(), committed, startingOffsets);
    }
    return total;
  }

  /**
   * The offset each input partition's consumer will read next, as the records lag counts it: the
   * group's committed offset; for a partition without one, the earliest offset under {@code
   * earliest} (everything is still to read) or the end offset under {@code latest} (nothing is).
   *
   * @param earliest earliest offset per partition
   * @param end end offset per partition (the job's input partitions)
   * @param committed the group's committed offsets
   * @param startingOffsets the job's starting offsets
   * @return next offset to read per partition of {@code end}
   */
  public static Map<TopicPartition, Long> effectiveCommitted(
      Map<TopicPartition, Long> earliest,
      Map<TopicPartition, Long> end,
      Map<TopicPartition, Long> committed,
      StartingOffsets startingOffsets) {
    Map<TopicPartition, Long> next = new java.util.HashMap<>();
    end.forEach(
        (tp, endOffset) -> {
          Long c = committed.get(tp);
          if (c != null) {
            next.put(tp, c);
          } else if (startingOffsets == StartingOffsets.LATEST) {
            next.put(tp, endOffset);
          } else {
            next.put(tp, earliest.getOrDefault(tp, 0L));
          }
        });
    return next;
  }

  private static long partitionLag(
      TopicPartition partition,
      Map<TopicPartition, Long> earliest,
      long endOffset,
      Map<TopicPartition, Long> committed,
      StartingOffsets startingOffsets) {
    Long committedOffset = committed.get(partition);
    if (committedOffset != null) {
      return Math.max(0, endOffset - committedOffset);
    }
    if (startingOffsets == StartingOffsets.LATEST) {
      return 0;
    }
    Long earliestOffset = earliest.get(partition);
    if (earliestOffset == null) {
      throw new IllegalArgumentException("no earliest offset for " + partition);
    }
    return Math.max(0, endOffset - earliestOffset);
  }
}
