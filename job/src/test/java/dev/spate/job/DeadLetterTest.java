package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The dead-letter record of a bad input: bytes kept up to the limits, headers. */
class DeadLetterTest {

  private static final ParseResult BAD = ParseResult.bad(BadRecordReason.NOT_JSON, "not JSON: x");

  private static Map<String, String> headers(ProducerRecord<byte[], byte[]> r) {
    Map<String, String> h = new HashMap<>();
    for (Header x : r.headers()) {
      h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8));
    }
    return h;
  }

  @Test
  void smallRecordsAreCopiedUnchanged() {
    byte[] key = {1, 2, 3};
    byte[] value = "{oops".getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> r = DeadLetter.record("dlq", BAD, "in", 3, 42, 1000, key, value);
    assertThat(r.topic()).isEqualTo("dlq");
    assertThat(r.partition()).isNull();
    assertThat(r.key()).isEqualTo(key);
    assertThat(r.value()).isEqualTo(value);
    assertThat(headers(r))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                DeadLetter.H_REASON, "NOT_JSON",
                DeadLetter.H_DETAIL, "not JSON: x",
                DeadLetter.H_TOPIC, "in",
                DeadLetter.H_PARTITION, "3",
                DeadLetter.H_OFFSET, "42",
                DeadLetter.H_TIMESTAMP, "1000",
                DeadLetter.H_KEY_BYTES, "3",
                DeadLetter.H_VALUE_BYTES, "5",
                DeadLetter.H_TRUNCATED, "false"));
  }

  @Test
  void keysAndValuesOverTheLimitAreCutAndTheOriginalSizeIsInAHeader() {
    byte[] key = new byte[DeadLetter.MAX_KEY_BYTES + 1];
    key[DeadLetter.MAX_KEY_BYTES - 1] = 7;
    byte[] value = new byte[5 * 1024 * 1024];
    value[0] = '{';
    ProducerRecord<byte[], byte[]> r = DeadLetter.record("dlq", BAD, "in", 0, 1, 2, key, value);
    assertThat(r.key()).hasSize(DeadLetter.MAX_KEY_BYTES);
    assertThat(r.key()[DeadLetter.MAX_KEY_BYTES - 1]).isEqualTo((byte) 7);
    assertThat(r.value()).hasSize(DeadLetter.MAX_VALUE_BYTES);
    assertThat(r.value()[0]).isEqualTo((byte) '{');
    assertThat(headers(r))
        .containsEntry(DeadLetter.H_KEY_BYTES, String.valueOf(DeadLetter.MAX_KEY_BYTES + 1))
        .containsEntry(DeadLetter.H_VALUE_BYTES, String.valueOf(5 * 1024 * 1024))
        .containsEntry(DeadLetter.H_TRUNCATED, "true");
    // fits Kafka's default max.request.size (1 MiB) with room for the headers
    assertThat(DeadLetter.MAX_KEY_BYTES + DeadLetter.MAX_VALUE_BYTES).isLessThan(1024 * 1024 / 2);
  }

  @Test
  void absentKeyAndValueHaveSizeZero() {
    ProducerRecord<byte[], byte[]> r = DeadLetter.record("dlq", BAD, "in", 0, 1, 2, null, null);
    assertThat(r.key()).isNull();
    assertThat(r.value()).isNull();
    assertThat(headers(r))
        .containsEntry(DeadLetter.H_KEY_BYTES, "0")
        .containsEntry(DeadLetter.H_VALUE_BYTES, "0")
        .containsEntry(DeadLetter.H_TRUNCATED, "false");
  }
}
