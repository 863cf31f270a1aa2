package dev.spate.operator.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExitDescriptionTest {

  /** A log tail as FallbackToLogsOnError puts it into the termination message after kill -9. */
  private static final String LOG_TAIL =
      String.join(
          "\n",
          "25/11/30 16:00:01 INFO MicroBatchExecution: Streaming query made progress: {",
          "  \"id\" : \"4f1c\",",
          "25/11/30 16:00:02 INFO CheckpointFileManager: Writing atomically to file:/ckpt/offsets/7",
          "25/11/30 16:00:02 INFO KafkaOffsetCommitter: committed batch 7",
          "25/11/30 16:00:03 INFO BlockManagerInfo: Removed broadcast_14_piece0");

  private static final String LOG_TAIL_WITH_ERROR =
      LOG_TAIL
          + "\n25/11/30 16:00:04 ERROR MicroBatchExecution: Query failed:"
          + " org.apache.kafka.common.errors.TimeoutException: Timed out\n"
          + "\tat org.apache.spark.sql.kafka010.KafkaOffsetReader.fetch(KafkaOffsetReader.scala:12)";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(137, "Error", LOG_TAIL, "Exit code 137 (SIGKILL)"),
        Arguments.of(137, "OOMKilled", null, "Exit code 137 (SIGKILL, OOMKilled)"),
        Arguments.of(143, "Error", "", "Exit code 143 (SIGTERM)"),
        Arguments.of(
            1,
            "Error",
            "java.lang.IllegalStateException: topic clicks not found\n\tat dev.spate.job.Main.run",
            "Exit code 1: java.lang.IllegalStateException: topic clicks not found"),
        Arguments.of(
            1,
            "Error",
            LOG_TAIL_WITH_ERROR,
            "Exit code 1: 25/11/30 16:00:04 ERROR MicroBatchExecution: Query failed:"
                + " org.apache.kafka.common.errors.TimeoutException: Timed out"),
        Arguments.of(0, "Completed", null, "Exit code 0"),
        Arguments.of(null, null, "node lost", "Ended: node lost"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void oneHumanLine(Integer exitCode, String reason, String message, String expected) {
    String line = ExitDescription.line(exitCode, reason, message);
    assertThat(line).isEqualTo(expected).doesNotContain("\n");
  }

  @Test
  void longMessagesAreCut() {
    assertThat(ExitDescription.line(1, null, "x".repeat(1000)))
        .hasSize(ExitDescription.MAX_CHARS)
        .endsWith("…");
  }
}
