package dev.spate.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExecutorSizingTest {

  @ParameterizedTest(name = "{0} partitions / {1} cores in [{2},{3}] -> {4}")
  @CsvSource({
    "8, 1, 1, 16, 8",
    "8, 2, 1, 16, 4",
    "9, 2, 1, 16, 5",
    "7, 4, 1, 16, 2",
    "1, 4, 1, 16, 1",
    "0, 1, 1, 16, 1",
    "0, 1, 0, 16, 0",
    "64, 1, 1, 16, 16",
    "64, 3, 2, 16, 16",
    "3, 1, 5, 16, 5",
    "16, 1, 16, 16, 16",
    "2147483647, 1, 1, 16, 16"
  })
  void clampsCeilOfPartitionsPerCore(int partitions, int cores, int min, int max, int expected) {
    assertThat(ExecutorSizing.desiredExecutors(partitions, cores, min, max)).isEqualTo(expected);
  }

  @Test
  void rejectsImpossibleInputs() {
    assertThatThrownBy(() -> ExecutorSizing.desiredExecutors(-1, 1, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions");
    assertThatThrownBy(() -> ExecutorSizing.desiredExecutors(1, 0, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cores");
    assertThatThrownBy(() -> ExecutorSizing.desiredExecutors(1, 1, 3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min");
    assertThatThrownBy(() -> ExecutorSizing.desiredExecutors(1, 1, -1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min");
  }
}
