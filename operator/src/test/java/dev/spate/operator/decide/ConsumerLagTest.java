package dev.spate.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.api.v1alpha1.StartingOffsets;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

  private static final TopicPartition A0 = new TopicPartition("a", 0);
  private static final TopicPartition A1 = new TopicPartition("a", 1);
  private static final TopicPartition B0 = new TopicPartition("b", 0);

  private final Map<TopicPartition, Long> earliest = Map.of(A0, 0L, A1, 100L, B0, 5L);
  private final Map<TopicPartition, Long> end = Map.of(A0, 50L, A1, 300L, B0, 5L);

  @Test
  void sumsEndMinusCommittedOverEveryPartition() {
    Map<TopicPartition, Long> committed = Map.of(A0, 40L, A1, 150L, B0, 5L);
    assertThat(ConsumerLag.totalLag(earliest, end, committed, StartingOffsets.EARLIEST))
        .isEqualTo(10 + 150);
    assertThat(ConsumerLag.totalLag(earliest, end, committed, StartingOffsets.LATEST))
        .as("startingOffsets only matters for partitions without a commit")
        .isEqualTo(10 + 150);
  }

  @Test
  void partitionWithoutCommitCountsFromEarliestWhenEarliest() {
    Map<TopicPartition, Long> committed = Map.of(A0, 40L);
    assertThat(ConsumerLag.totalLag(earliest, end, committed, StartingOffsets.EARLIEST))
        .isEqualTo(10 + (300 - 100) + 0);
  }

  @Test
  void partitionWithoutCommitCountsZeroWhenLatest() {
    Map<TopicPartition, Long> committed = Map.of(A0, 40L);
    assertThat(ConsumerLag.totalLag(earliest, end, committed, StartingOffsets.LATEST))
        .isEqualTo(10);
    assertThat(ConsumerLag.totalLag(earliest, end, Map.of(), StartingOffsets.LATEST)).isZero();
  }

  @Test
  void groupWithoutAnyCommitOnEarliestLagsByEveryRetainedRecord() {
    assertThat(ConsumerLag.totalLag(earliest, end, Map.of(), StartingOffsets.EARLIEST))
        .isEqualTo(50 + 200 + 0);
  }

  @Test
  void commitAheadOfEndNeverMakesLagNegative() {
    Map<TopicPartition, Long> committed = Map.of(A0, 70L, A1, 300L, B0, 5L);
    assertThat(ConsumerLag.totalLag(earliest, end, committed, StartingOffsets.EARLIEST)).isZero();
  }

  @Test
  void commitsOnPartitionsNotInEndAreIgnored() {
    Map<TopicPartition, Long> committed =
        Map.of(A0, 50L, A1, 300L, B0, 5L, new TopicPartition("gone", 0), 0L);
    assertThat(ConsumerLag.totalLag(earliest, end, committed, StartingOffsets.EARLIEST)).isZero();
  }

  @Test
  void missingEarliestOffsetIsAnError() {
    assertThatThrownBy(
            () ->
                ConsumerLag.totalLag(Map.of(), Map.of(A0, 3L), Map.of(), StartingOffsets.EARLIEST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a-0");
  }
}
