package dev.spate.job;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter record of one bad input record: its key and value bytes, each cut to a limit, and
 * headers that say why it is bad and where it came from, all UTF-8 text: {@value #H_REASON} ({@link
 * BadRecordReason}), {@value #H_DETAIL}, {@value #H_TOPIC}, {@value #H_PARTITION}, {@value
 * #H_OFFSET}, {@value #H_TIMESTAMP} (ms since the epoch), {@value #H_KEY_BYTES} and {@value
 * #H_VALUE_BYTES} (sizes of the original key and value, 0 when absent) and {@value #H_TRUNCATED}
 * ({@code true} when the key or value was cut).
 *
 * <p>Why the limits: the copy of a bad record must fit into one Kafka produce request, else the
 * producer throws the non-retriable {@code RecordTooLargeException} and every replay of the
 * micro-batch fails the same way. Kafka's defaults are {@code max.request.size} 1 MiB (producer)
 * and {@code message.max.bytes} 1 MiB + 12 B (broker); {@value #MAX_KEY_BYTES} B of key plus
 * {@value #MAX_VALUE_BYTES} B of value plus the headers stay well below both.
 */
public final class DeadLetter {

  /** Dead-letter header: {@link BadRecordReason} name. */
  public static final String H_REASON = "spate.dlq.reason";

  /** Dead-letter header: what is wrong, one sentence. */
  public static final String H_DETAIL = "spate.dlq.detail";

  /** Dead-letter header: source topic. */
  public static final String H_TOPIC = "spate.dlq.topic";

  /** Dead-letter header: source partition. */
  public static final String H_PARTITION = "spate.dlq.partition";

  /** Dead-letter header: source offset. */
  public static final String H_OFFSET = "spate.dlq.offset";

  /** Dead-letter header: source record timestamp, ms since the epoch. */
  public static final String H_TIMESTAMP = "spate.dlq.timestamp";

  /** Dead-letter header: size of the original key, bytes (0 when it had none). */
  public static final String H_KEY_BYTES = "spate.dlq.keyBytes";

  /** Dead-letter header: size of the original value, bytes (0 when it had none). */
  public static final String H_VALUE_BYTES = "spate.dlq.valueBytes";

  /** Dead-letter header: {@code true} when the key or the value was cut to its limit. */
  public static final String H_TRUNCATED = "spate.dlq.truncated";

  /** Longest key copied, bytes; a longer key keeps its first bytes. */
  public static final int MAX_KEY_BYTES = 16 * 1024;

  /** Longest value copied, bytes; a longer value keeps its first bytes. */
  public static final int MAX_VALUE_BYTES = 256 * 1024;

  private DeadLetter() {}

  /**
   * @param deadLetterTopic topic to write to
   * @param bad why the record is bad
   * @param topic source topic
   * @param partition source partition
   * @param offset source offset
   * @param timestampMs source record timestamp, ms since the epoch
   * @param key source key bytes, may be {@code null}
   * @param value source value bytes, may be {@code null}
   * @return the record for the dead-letter topic (no partition: the producer's partitioner picks)
   */
  public static ProducerRecord<byte[], byte[]> record(
      String deadLetterTopic,
      ParseResult bad,
      String topic,
      int partition,
      long offset,
      long timestampMs,
      byte[] key,
      byte[] value) {
    int keyBytes = key == null ? 0 : key.length;
    int valueBytes = value == null ? 0 : value.length;
    boolean truncated = keyBytes > MAX_KEY_BYTES || valueBytes > MAX_VALUE_BYTES;
    RecordHeaders headers = new RecordHeaders();
    add(headers, H_REASON, bad.reason().name());
    add(headers, H_DETAIL, bad.detail());
    add(headers, H_TOPIC, topic);
    add(headers, H_PARTITION, String.valueOf(partition));
    add(headers, H_OFFSET, String.valueOf(offset));
    add(headers, H_TIMESTAMP, String.valueOf(timestampMs));
    add(headers, H_KEY_BYTES, String.valueOf(keyBytes));
    add(headers, H_VALUE_BYTES, String.valueOf(valueBytes));
    add(headers, H_TRUNCATED, String.valueOf(truncated));
    return new ProducerRecord<>(
        deadLetterTopic, null, null, cut(key, MAX_KEY_BYTES), cut(value, MAX_VALUE_BYTES), headers);
  }

  private static byte[] cut(byte[] bytes, int max) {
    return bytes == null || bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
  }

  private static void add(RecordHeaders headers, String key, String value) {
    headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }
}
