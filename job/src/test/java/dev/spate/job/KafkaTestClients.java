package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.streaming.StreamingQuery;

/** Producing test input and reading the job's output topics. */
final class KafkaTestClients {

  private KafkaTestClients() {}

  /**
   * Sends values round-robin over the given partitions (no Kafka key) and waits for the acks.
   *
   * @return the metadata of each record, in order
   */
  static List<RecordMetadata> produce(
      String bootstrap, String topic, List<String> values, int... partitions)
      throws InterruptedException, ExecutionException {
    return produce(bootstrap, topic, null, values, partitions);
  }

  static List<RecordMetadata> produce(
      String bootstrap, String topic, String key, List<String> values, int... partitions)
      throws InterruptedException, ExecutionException {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      records.add(
          new ProducerRecord<>(
              topic,
              partitions[i % partitions.length],
              key == null ? null : key.getBytes(StandardCharsets.UTF_8),
              values.get(i).getBytes(StandardCharsets.UTF_8)));
    }
    return send(bootstrap, records);
  }

  /**
   * Sends records with their own key bytes (any bytes, also not UTF-8) round-robin over the given
   * partitions and waits for the acks.
   *
   * @return the metadata of each record, in order
   */
  static List<RecordMetadata> produceKeyed(
      String bootstrap, String topic, List<Map.Entry<byte[], String>> records, int... partitions)
      throws InterruptedException, ExecutionException {
    List<ProducerRecord<byte[], byte[]>> toSend = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      toSend.add(
          new ProducerRecord<>(
              topic,
              partitions[i % partitions.length],
              records.get(i).getKey(),
              records.get(i).getValue().getBytes(StandardCharsets.UTF_8)));
    }
    return send(bootstrap, toSend);
  }

  /** Sends the records with one producer (5 ms linger) and waits for every ack, in order. */
  private static List<RecordMetadata> send(
      String bootstrap, List<ProducerRecord<byte[], byte[]>> records)
      throws InterruptedException, ExecutionException {
    List<RecordMetadata> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      List<java.util.concurrent.Future<RecordMetadata>> futures = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : records) {
        futures.add(producer.send(r));
      }
      for (var f : futures) {
        sent.add(f.get());
      }
    }
    return sent;
  }

  /** Reads a topic from the beginning, accumulating every record; not thread-safe. */
  static final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    TopicReader(String bootstrap, String topic) {
      this.topic = topic;
      this.consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                  ByteArrayDeserializer.class,
                  ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                  ByteArrayDeserializer.class,
                  ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                  50));
      assignAll();
    }

    private void assignAll() {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
        parts.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
    }

    /** Polls once (up to 300 ms) and returns everything read so far. */
    List<ConsumerRecord<byte[], byte[]>> poll() {
      consumer.poll(Duration.ofMillis(300)).forEach(records::add);
      return records;
    }

    /**
     * @return all aggregate records read so far, as JSON
     */
    List<JsonNode> values() {
      poll();
      return records.stream()
          .map(r -> TestData.read(new String(r.value(), StandardCharsets.UTF_8)))
          .toList();
    }

    /**
     * @return the aggregate records read so far without repeats (a replayed micro-batch writes the
     *     same records again), in the order first read
     */
    List<JsonNode> distinctValues() {
      return values().stream().distinct().toList();
    }

    /**
     * @return per key the aggregate record with the highest version read so far
     */
    Map<String, JsonNode> latestByKey() {
      Map<String, JsonNode> latest = new TreeMap<>();
      for (JsonNode n : values()) {
        latest.merge(
            n.get("key").asText(),
            n,
            (a, b) -> b.get("version").asLong() >= a.get("version").asLong() ? b : a);
      }
      return latest;
    }

    /**
     * @return per key the latest aggregate as {@link TestData.Aggregate}
     */
    Map<String, TestData.Aggregate> latestAggregates() {
      Map<String, TestData.Aggregate> result = new TreeMap<>();
      latestByKey().forEach((k, n) -> result.put(k, TestData.Aggregate.fromOutput(n)));
      return result;
    }

    /**
     * Waits until the latest aggregate per key read from the topic equals {@code expected}, failing
     * as soon as the query that writes it failed.
     */
    void awaitAggregates(
        StreamingQuery q, Map<String, TestData.Aggregate> expected, Duration timeout) {
      await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(q.exception().isDefined())
                    .as("query failed: %s", q.exception())
                    .isFalse();
                assertThat(latestAggregates()).isEqualTo(expected);
              });
    }

    static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
      Map<String, String> h = new HashMap<>();
      r.headers()
          .forEach(
              x ->
                  h.put(
                      x.key(),
                      x.value() == null ? null : new String(x.value(), StandardCharsets.UTF_8)));
      return h;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
