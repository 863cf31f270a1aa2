package dev.spate.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the offsets of Spark's Kafka source as they appear in {@code SourceProgress.endOffset} and
 * the checkpoint's offset log: {@code {"topic":{"0":120,"1":98}}}, each the next offset to read
 * (the value a consumer group commits). See Spark's {@code JsonUtils.partitionOffsets}.
 */
public final class KafkaOffsets {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KafkaOffsets() {}

  /**
   * @param description {@code SourceProgress.description}
   * @return whether the source is Spark's Kafka source ({@code KafkaV2[...]} or {@code
   *     KafkaSource[...]})
   */
  public static boolean isKafkaSource(String description) {
    return description != null && description.startsWith("Kafka");
  }

  /**
   * @param json offsets JSON of Spark's Kafka source
   * @return next offset to read per partition; negative offsets (Spark's -1 latest / -2 earliest
   *     placeholders) are left out
   * @throws IllegalArgumentException when the text is not that JSON
   */
  public static Map<TopicPartition, Long> parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not Kafka source offsets: " + json, e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not Kafka source offsets: " + json);
    }
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
      Map.Entry<String, JsonNode> topic = topics.next();
      if (!topic.getValue().isObject()) {
        throw new IllegalArgumentException("not Kafka source offsets: " + json);
      }
      for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields();
          parts.hasNext(); ) {
        Map.Entry<String, JsonNode> part = parts.next();
        long offset = part.getValue().asLong(-1);
        try {
          if (offset >= 0) {
            offsets.put(
                new TopicPartition(topic.getKey(), Integer.parseInt(part.getKey())), offset);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not Kafka source offsets: " + json, e);
        }
      }
    }
    return offsets;
  }
}
