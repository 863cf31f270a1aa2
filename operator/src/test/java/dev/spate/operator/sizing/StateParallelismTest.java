package dev.spate.operator.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateParallelismTest {

  @ParameterizedTest(name = "{0} partitions, {1} cores x max {2} executors -> {3}")
  @CsvSource({
    // partitions, cores, maxExecutors, expected
    "8, 1, 16, 16", // defaults: the largest cluster's slots
    "0, 1, 1, 8", // topic not there yet: the floor
    "1, 1, 2, 8", // floor, already whole waves of 2
    "2, 2, 3, 12", // floor 8 rounded up to whole waves of 6 slots
    "20, 1, 16, 48", // 2 x 20 = 40 rounded up to 3 waves of 16
    "100, 4, 4, 208", // 200 rounded up to 13 waves of 16
    "4, 2, 16, 32", // 16 executors x 2 cores
    "6, 2, 1, 12", // 2 x 6, one executor of 2 cores
    "5, 1, 1, 10", // 2 x 5, any multiple of 1
    "1000, 1, 16, 2000"
  })
  void choosesHeadroomForPartitionGrowthAndTheLargestCluster(
      int partitions, int cores, int maxExecutors, int expected) {
    int p = StateParallelism.choose(partitions, new SizingSpec(cores, 1, maxExecutors));

    assertThat(p).isEqualTo(expected);
    assertThat(p)
        .isGreaterThanOrEqualTo(Math.max(2 * partitions, StateParallelism.MIN_STATE_PARTITIONS));
    assertThat(p % (cores * maxExecutors)).isZero();
    assertThat(StateParallelism.check(2 * partitions, p)).isEmpty();
  }

  @Test
  void theRecordedValueIsKeptWhateverTheTopicAndSpecNowSay() {
    SizingSpec spec = new SizingSpec(1, 1, 16);

    assertThat(StateParallelism.pinned(12, 400, spec)).isEqualTo(12);
    assertThat(StateParallelism.pinned(null, 8, spec)).isEqualTo(16);
    assertThatThrownBy(() -> StateParallelism.pinned(0, 8, spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status.stateParallelism");
  }

  @ParameterizedTest(name = "{0} partitions vs {1} state partitions -> warning {2}")
  @CsvSource({"16, 16, false", "0, 8, false", "15, 16, false", "17, 16, true", "400, 8, true"})
  void warnsOnlyWhenTheInputOutgrowsTheStateParallelism(
      int partitions, int stateParallelism, boolean warned) {
    assertThat(StateParallelism.check(partitions, stateParallelism).isPresent()).isEqualTo(warned);
  }

  @Test
  void theWarningNamesBothCountsAndTheRemedy() {
    StateParallelism.Warning w = StateParallelism.check(40, 32).orElseThrow();

    assertThat(w.reason()).isEqualTo("StateParallelismExceeded");
    assertThat(w.message())
        .isEqualTo(
            "Input partitions (40) exceed the state parallelism (32,"
                + " spark.sql.shuffle.partitions pinned by the checkpoint): the stateful stage runs at"
                + " most 32 tasks per micro-batch however many executors run. Spark cannot change it for"
                + " an existing checkpoint; to raise it, start the job on a new checkpoint location.");
  }

  @Test
  void badInputIsRejected() {
    SizingSpec spec = new SizingSpec(1, 1, 16);
    assertThatThrownBy(() -> StateParallelism.choose(-1, spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions");
    assertThatThrownBy(() -> StateParallelism.choose(Integer.MAX_VALUE, spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark.sql.shuffle.partitions");
    assertThatThrownBy(() -> StateParallelism.check(-1, 8))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StateParallelism.check(1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
