package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Kafka source offsets, output versions, commit metadata and termination messages. */
class SmallPartsTest {

  @Test
  void kafkaSourceOffsetsParse() {
    assertThat(KafkaOffsets.parse("{\"in\":{\"0\":120,\"1\":98},\"other\":{\"2\":-1}}"))
        .isEqualTo(Map.of(new TopicPartition("in", 0), 120L, new TopicPartition("in", 1), 98L));
    assertThat(KafkaOffsets.isKafkaSource("KafkaV2[Subscribe[in]]")).isTrue();
    assertThat(KafkaOffsets.isKafkaSource("RateStreamV2[rowsPerSecond=1]")).isFalse();
    assertThatThrownBy(() -> KafkaOffsets.parse("42")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KafkaOffsets.parse("{\"in\":{\"x\":1}}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outputVersionIsTheMicroBatchIdPlusOne() {
    assertThat(OutputVersion.of(0)).isEqualTo(1);
    assertThat(OutputVersion.of(41)).isEqualTo(42);
    assertThatThrownBy(() -> OutputVersion.of(-1)).isInstanceOf(IllegalArgumentException.class);
    // outside a micro-batch's task there is no batch id: a clear error, not version 0
    assertThatThrownBy(OutputVersion::currentBatchId)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(OutputVersion.BATCH_ID_PROPERTY);
  }

  @Test
  void commitMetadataIsJson() {
    JsonNode m = TestData.read(OffsetCommitter.metadata(7, 1_700_000_000_000L));
    assertThat(m.get("batchId").asLong()).isEqualTo(7);
    assertThat(m.get("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void terminationMessageNamesTheCauseChainWithin4KiB() {
    Exception e = new IllegalStateException("outer", new java.io.IOException("disk full"));
    assertThat(TerminationMessage.describe(e))
        .isEqualTo(
            "java.lang.IllegalStateException: outer\nCaused by: java.io.IOException: disk full");
    String huge = "é".repeat(5000);
    String cut = TerminationMessage.describe(new RuntimeException(huge));
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
    assertThat(cut).startsWith("java.lang.RuntimeException: éé").doesNotContain("\uFFFD");
  }
}
