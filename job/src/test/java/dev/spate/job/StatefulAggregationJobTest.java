package dev.spate.job;

import static dev.spate.job.KafkaTestClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spate.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bundled job against a real KRaft broker and Spark local[2]: exact aggregates, restart from
 * the checkpoint, new partitions, dead letters, committed offsets, state expiry.
 */
class StatefulAggregationJobTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private static SparkSession spark;

  @RegisterExtension final StreamingQueries queries = new StreamingQueries();

  @BeforeAll
  static void startSpark() {
    spark = SparkTestSession.start(KAFKA.broker().bootstrapServers());
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private String bootstrap() {
    return KAFKA.broker().bootstrapServers();
  }

  /** Flights config: key origin, value delay, event time date; fast trigger for tests. */
  private Map<String, String> flightsConfig(String name) {
    KAFKA.broker().createTopic(name + "-out", 2);
    return SparkTestSession.flightsConfig(
        bootstrap(), name, SparkTestSession.checkpointDir(name).toUri().toString());
  }

  @Test
  void aggregatesExactlyOverSeveralPartitions() throws Exception {
    KAFKA.broker().createTopic("a-in", 4);
    List<String> flights = TestData.flights();
    produce(bootstrap(), "a-in", flights, 0, 1, 2, 3);
    Map<String, String> conf = flightsConfig("a");
    conf.put(JobConfigKeys.MAX_OFFSETS_PER_TRIGGER, "1000");
    StreamingQuery q = queries.start(spark, conf);
    try (var out = new KafkaTestClients.TopicReader(bootstrap(), "a-out")) {
      Map<String, TestData.Aggregate> expected = TestData.expectedByOrigin(flights);
      assertThat(expected).hasSizeGreaterThan(100);
      out.awaitAggregates(q, expected, TIMEOUT);
      // one update per key and micro-batch; versions (micro-batch id + 1) only grow
      Map<String, List<Long>> versions =
          out.values().stream()
              .collect(
                  Collectors.groupingBy(
                      n -> n.get("key").asText(),
                      Collectors.mapping(n -> n.get("version").asLong(), Collectors.toList())));
      versions.forEach(
          (key, v) ->
              assertThat(v)
                  .as(key)
                  .isSorted()
                  .doesNotHaveDuplicates()
                  .allSatisfy(x -> assertThat(x).isPositive()));
      assertThat(out.values()).allSatisfy(n -> assertThat(n.get("expired").asBoolean()).isFalse());
    }
  }

  @Test
  void restartFromCheckpointAfterAnAbruptStopLosesAndDoublesNothing() throws Exception {
    KAFKA.broker().createTopic("b-in", 3);
    List<String> flights = TestData.flights();
    produce(bootstrap(), "b-in", flights.subList(0, 2000), 0, 1, 2);
    Map<String, String> conf = flightsConfig("b");
    conf.put(JobConfigKeys.MAX_OFFSETS_PER_TRIGGER, "150");
    StreamingQuery first = queries.start(spark, conf);
    long stoppedAfter = StreamingQueries.stopAmidMicroBatch(first, TIMEOUT);
    assertThat(first.exception().isDefined()).isFalse();

    produce(bootstrap(), "b-in", flights.subList(2000, flights.size()), 0, 1, 2);
    long restart = System.nanoTime();
    StreamingQuery second = queries.start(spark, conf);
    await().atMost(TIMEOUT).until(() -> second.recentProgress().length > 0);
    System.out.printf(
        "file checkpoint: restarted query's first micro-batch done %d ms after start()%n",
        (System.nanoTime() - restart) / 1_000_000);
    try (var out = new KafkaTestClients.TopicReader(bootstrap(), "b-out")) {
      out.awaitAggregates(second, TestData.expectedByOrigin(flights), TIMEOUT);
    }
    assertThat(second.recentProgress()[0].batchId()).isGreaterThan(stoppedAfter);
  }

  @Test
  void countsRecordsOfPartitionsAddedWhileRunning() throws Exception {
    KAFKA.broker().createTopic("c-in", 2);
    List<String> flights = TestData.flights();
    List<String> firstHalf = flights.subList(0, 1500);
    produce(bootstrap(), "c-in", firstHalf, 0, 1);
    StreamingQuery q = queries.start(spark, flightsConfig("c"));
    try (var out = new KafkaTestClients.TopicReader(bootstrap(), "c-out")) {
      out.awaitAggregates(q, TestData.expectedByOrigin(firstHalf), TIMEOUT);
      KAFKA.broker().addPartitions("c-in", 4);
      produce(bootstrap(), "c-in", flights.subList(1500, flights.size()), 2, 3);
      out.awaitAggregates(q, TestData.expectedByOrigin(flights), TIMEOUT);
    }
  }

  @Test
  void badRecordsGoToTheDeadLetterTopicAndGoodOnesStillAggregate() throws Exception {
    KAFKA.broker().createTopic("d-in", 2);
    KAFKA.broker().createTopic("d-dlq", 1);
    List<String> good = TestData.flights().subList(0, 300);
    Map<String, String> bad =
        Map.of(
            "{\"origin\":\"XXX\",\"delay\":", "NOT_JSON",
            "[1,2,3]", "NOT_A_JSON_OBJECT",
            "{\"date\":\"2001/01/01 10:00\",\"delay\":5,\"distance\":1}", "MISSING_KEY",
            "{\"date\":\"2001/01/01 10:00\",\"delay\":\"late\",\"origin\":\"YYY\"}",
                "NON_NUMERIC_VALUE",
            "{\"date\":\"yesterday\",\"delay\":3,\"origin\":\"ZZZ\"}", "BAD_EVENT_TIME");
    List<String> badValues = new ArrayList<>(bad.keySet());
    List<String> input = new ArrayList<>(good);
    input.addAll(100, badValues);
    // over the dead-letter value limit: cut, with the original size in a header
    String huge = "{\"origin\":\"" + "x".repeat(600_000);
    input.add(50, huge);
    List<RecordMetadata> sent = produce(bootstrap(), "d-in", input, 0, 1);
    Map<String, String> conf = flightsConfig("d");
    conf.put(JobConfigKeys.DEAD_LETTER_TOPIC, "d-dlq");
    StreamingQuery q = queries.start(spark, conf);
    try (var out = new KafkaTestClients.TopicReader(bootstrap(), "d-out");
        var dlq = new KafkaTestClients.TopicReader(bootstrap(), "d-dlq")) {
      out.awaitAggregates(q, TestData.expectedByOrigin(good), TIMEOUT);
      await().atMost(TIMEOUT).until(() -> dlq.poll().size() >= bad.size() + 1);
      assertThat(dlq.poll()).hasSize(bad.size() + 1);
      for (ConsumerRecord<byte[], byte[]> r : dlq.poll()) {
        String value = new String(r.value(), StandardCharsets.UTF_8);
        Map<String, String> h = KafkaTestClients.TopicReader.headers(r);
        if (r.value().length == DeadLetter.MAX_VALUE_BYTES) {
          assertThat(huge).startsWith(value);
          assertThat(h)
              .containsEntry(DeadLetter.H_REASON, "NOT_JSON")
              .containsEntry(DeadLetter.H_VALUE_BYTES, String.valueOf(huge.length()))
              .containsEntry(DeadLetter.H_TRUNCATED, "true")
              .containsEntry(
                  DeadLetter.H_OFFSET, String.valueOf(sent.get(input.indexOf(huge)).offset()));
          continue;
        }
        RecordMetadata source = sent.get(input.indexOf(value));
        assertThat(h)
            .containsEntry(DeadLetter.H_VALUE_BYTES, String.valueOf(r.value().length))
            .containsEntry(DeadLetter.H_KEY_BYTES, "0")
            .containsEntry(DeadLetter.H_TRUNCATED, "false");
        assertThat(h)
            .containsEntry(DeadLetter.H_REASON, bad.get(value))
            .containsEntry(DeadLetter.H_TOPIC, "d-in")
            .containsEntry(DeadLetter.H_PARTITION, String.valueOf(source.partition()))
            .containsEntry(DeadLetter.H_OFFSET, String.valueOf(source.offset()))
            .containsKey(DeadLetter.H_DETAIL);
      }
    }
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              long badCounted = 0;
              long goodCounted = 0;
              for (StreamingQueryProgress p : q.recentProgress()) {
                badCounted += ProgressLogger.badRecords(p);
                goodCounted += ProgressLogger.goodRecords(p);
              }
              assertThat(badCounted).isEqualTo(bad.size() + 1);
              assertThat(goodCounted).isEqualTo(good.size());
              // bad records bypass the stateful step: the state holds the good keys only
              assertThat(q.lastProgress().stateOperators()[0].numRowsTotal())
                  .isEqualTo(TestData.expectedByOrigin(good).size());
            });
    assertThat(q.isActive()).isTrue();
  }

  @Test
  void kafkaKeysThatAreNotUtf8GoToTheDeadLetterTopicEachWithItsOwnBytes() throws Exception {
    KAFKA.broker().createTopic("k-in", 2);
    KAFKA.broker().createTopic("k-dlq", 1);
    List<String> good = TestData.flights().subList(0, 200);
    List<Map.Entry<byte[], String>> input = new ArrayList<>();
    for (String flight : good) {
      String origin =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(flight).get("origin").asText();
      input.add(Map.entry(origin.getBytes(StandardCharsets.UTF_8), flight));
    }
    // two different keys that a lenient decoder would both turn into U+FFFD and merge
    byte[] badA = {(byte) 0xC3, (byte) 0x28};
    byte[] badB = {(byte) 0xFF};
    input.add(30, Map.entry(badA, good.get(0)));
    input.add(60, Map.entry(badB, good.get(1)));
    List<RecordMetadata> sent = KafkaTestClients.produceKeyed(bootstrap(), "k-in", input, 0, 1);
    Map<String, String> conf = flightsConfig("k");
    conf.remove(JobConfigKeys.KEY_FIELD); // the Kafka record key is the key
    conf.put(JobConfigKeys.DEAD_LETTER_TOPIC, "k-dlq");
    StreamingQuery q = queries.start(spark, conf);
    try (var out = new KafkaTestClients.TopicReader(bootstrap(), "k-out");
        var dlq = new KafkaTestClients.TopicReader(bootstrap(), "k-dlq")) {
      // the good records aggregate per UTF-8 key exactly; no U+FFFD key appears
      out.awaitAggregates(q, TestData.expectedByOrigin(good), TIMEOUT);
      assertThat(out.latestAggregates().keySet()).noneMatch(k -> k.contains("\uFFFD"));
      await().atMost(TIMEOUT).until(() -> dlq.poll().size() >= 2);
      assertThat(dlq.poll()).hasSize(2);
      for (ConsumerRecord<byte[], byte[]> r : dlq.poll()) {
        Map<String, String> h = KafkaTestClients.TopicReader.headers(r);
        RecordMetadata source = sent.get(r.key()[0] == badA[0] ? 30 : 60);
        assertThat(r.key()).isIn(badA, badB);
        assertThat(h)
            .containsEntry(DeadLetter.H_REASON, "KEY_NOT_UTF8")
            .containsEntry(DeadLetter.H_KEY_BYTES, String.valueOf(r.key().length))
            .containsEntry(DeadLetter.H_TOPIC, "k-in")
            .containsEntry(DeadLetter.H_PARTITION, String.valueOf(source.partition()))
            .containsEntry(DeadLetter.H_OFFSET, String.valueOf(source.offset()));
      }
      assertThat(dlq.poll().stream().map(r -> r.key()[0]).toList())
          .containsExactlyInAnyOrder(badA[0], badB[0]);
    }
    assertThat(q.isActive()).isTrue();
  }

  @Test
  void committedOffsetsOfTheGroupReachTheEndOffsets() throws Exception {
    KAFKA.broker().createTopic("e-in", 3);
    List<String> flights = TestData.flights().subList(0, 900);
    produce(bootstrap(), "e-in", flights, 0, 1, 2);
    Map<String, String> conf = flightsConfig("e");
    conf.put(JobConfigKeys.MAX_OFFSETS_PER_TRIGGER, "300");
    StreamingQuery q = queries.start(spark, conf);
    try (Admin admin = KAFKA.broker().admin()) {
      Set<TopicPartition> parts =
          Set.of(
              new TopicPartition("e-in", 0),
              new TopicPartition("e-in", 1),
              new TopicPartition("e-in", 2));
      Map<TopicPartition, OffsetSpec> latest =
          parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
      Map<TopicPartition, Long> endOffsets =
          admin.listOffsets(latest).all().get().entrySet().stream()
              .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
      assertThat(endOffsets.values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(flights.size());
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(q.exception().isDefined()).isFalse();
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin
                        .listConsumerGroupOffsets(SparkTestSession.CONSUMER_GROUP)
                        .partitionsToOffsetAndMetadata()
                        .get();
                Map<TopicPartition, Long> ours =
                    committed.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals("e-in"))
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                assertThat(ours).isEqualTo(endOffsets);
                for (TopicPartition tp : parts) {
                  JsonNode meta = TestData.read(committed.get(tp).metadata());
                  assertThat(meta.get("batchId").asLong())
                      .isBetween(0L, q.lastProgress().batchId());
                  assertThat(meta.get("timestamp").asLong())
                      .isBetween(System.currentTimeMillis() - 600_000, System.currentTimeMillis());
                }
              });
    }
  }

  @Test
  void anIdleKeyExpiresWithAFinalRecordAndStartsAfresh() throws Exception {
    KAFKA.broker().createTopic("f-in", 1);
    Map<String, String> conf = flightsConfig("f");
    conf.put(JobConfigKeys.STATE_TIMEOUT, "3s");
    conf.put(JobConfigKeys.TRIGGER_PROCESSING_TIME, "500ms");
    produce(
        bootstrap(),
        "f-in",
        List.of(
            "{\"origin\":\"AAA\",\"delay\":1,\"date\":\"2001/01/01 10:00\"}",
            "{\"origin\":\"AAA\",\"delay\":2,\"date\":\"2001/01/01 11:00\"}",
            "{\"origin\":\"AAA\",\"delay\":3,\"date\":\"2001/01/01 12:00\"}"),
        0);
    StreamingQuery q = queries.start(spark, conf);
    try (var out = new KafkaTestClients.TopicReader(bootstrap(), "f-out")) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(out.values())
                      .anySatisfy(n -> assertThat(n.get("expired").asBoolean()).isTrue()));
      List<JsonNode> records = out.values();
      assertThat(records).hasSize(2);
      JsonNode live = records.get(0);
      JsonNode expired = records.get(1);
      assertThat(live.get("count").asLong()).isEqualTo(3);
      assertThat(live.get("expired").asBoolean()).isFalse();
      assertThat(expired.get("key").asText()).isEqualTo("AAA");
      assertThat(expired.get("count").asLong()).isEqualTo(3);
      assertThat(expired.get("sum").asDouble()).isEqualTo(6.0);
      assertThat(expired.get("version").asLong()).isGreaterThan(live.get("version").asLong());
      assertThat(expired.get("lastEventTime").asText()).isEqualTo("2001-01-01T12:00:00Z");

      // the state is gone: a new record starts a new aggregate, with a higher version
      produce(
          bootstrap(),
          "f-in",
          List.of("{\"origin\":\"AAA\",\"delay\":10,\"date\":\"2001/01/02 10:00\"}"),
          0);
      await().atMost(TIMEOUT).until(() -> out.values().size() >= 3);
      JsonNode fresh = out.values().get(2);
      assertThat(fresh.get("count").asLong()).isEqualTo(1);
      assertThat(fresh.get("sum").asDouble()).isEqualTo(10.0);
      assertThat(fresh.get("version").asLong()).isGreaterThan(expired.get("version").asLong());
      assertThat(fresh.get("expired").asBoolean()).isFalse();
      // the documented consumer rule (highest version per key) keeps the re-appeared key
      assertThat(out.latestByKey().get("AAA")).isEqualTo(fresh);
    }
  }

  @Test
  void versionsKeepGrowingAcrossRestartsAndExpiryDuringASuspension() throws Exception {
    KAFKA.broker().createTopic("h-in", 1);
    Map<String, String> conf = flightsConfig("h");
    conf.put(JobConfigKeys.STATE_TIMEOUT, "5s");
    produce(bootstrap(), "h-in", List.of(aaa(1, "2001/01/01 10:00")), 0);
    try (var out = new KafkaTestClients.TopicReader(bootstrap(), "h-out")) {
      StreamingQuery first = queries.start(spark, conf);
      await().atMost(TIMEOUT).until(() -> out.distinctValues().size() >= 1);
      first.stop(); // "suspended" well within the state timeout, maybe amid a micro-batch
      JsonNode live = out.distinctValues().get(0);
      assertThat(live.get("expired").asBoolean()).isFalse();

      // resumed: the key is expired by the new query, its version still above the old one
      StreamingQuery second = queries.start(spark, conf);
      long secondFirstBatch = awaitFirstBatch(second);
      await().atMost(TIMEOUT).until(() -> out.distinctValues().size() >= 2);
      JsonNode expired = out.distinctValues().get(1);
      assertThat(expired.get("expired").asBoolean()).isTrue();
      assertThat(expired.get("count").asLong()).isEqualTo(1);
      assertThat(expired.get("version").asLong())
          .isGreaterThan(live.get("version").asLong())
          .isGreaterThan(secondFirstBatch);

      // the key re-appears after expiry: a new aggregate, higher version
      produce(bootstrap(), "h-in", List.of(aaa(2, "2001/01/02 10:00")), 0);
      await().atMost(TIMEOUT).until(() -> out.distinctValues().size() >= 3);
      JsonNode fresh = out.distinctValues().get(2);
      assertThat(fresh.get("count").asLong()).isEqualTo(1);
      assertThat(fresh.get("version").asLong()).isGreaterThan(expired.get("version").asLong());
      second.stop();

      // restarted while the key has state: the aggregate continues, the version grows
      produce(bootstrap(), "h-in", List.of(aaa(3, "2001/01/03 10:00")), 0);
      queries.start(spark, conf);
      await().atMost(TIMEOUT).until(() -> out.distinctValues().size() >= 4);
      JsonNode continued = out.distinctValues().get(3);
      assertThat(continued.get("count").asLong()).isEqualTo(2);
      assertThat(continued.get("sum").asDouble()).isEqualTo(5.0);
      assertThat(continued.get("version").asLong()).isGreaterThan(fresh.get("version").asLong());
      assertThat(out.distinctValues()).hasSize(4);
      assertThat(out.latestByKey().get("AAA")).isEqualTo(continued);
    }
  }

  @Test
  void aReplayedMicroBatchEmitsTheSameVersions() throws Exception {
    KAFKA.broker().createTopic("g-in", 1);
    Map<String, String> conf = flightsConfig("g");
    produce(
        bootstrap(),
        "g-in",
        List.of(
            aaa(1, "2001/01/01 10:00"),
            aaa(2, "2001/01/01 11:00"),
            "{\"origin\":\"BBB\",\"delay\":7,\"date\":\"2001/01/01 12:00\"}"),
        0);
    try (var out = new KafkaTestClients.TopicReader(bootstrap(), "g-out")) {
      StreamingQuery first = queries.start(spark, conf);
      await().atMost(TIMEOUT).until(() -> out.values().size() >= 2);
      // stopped once the micro-batch with the data is committed
      await()
          .atMost(TIMEOUT)
          .until(
              () ->
                  java.util.Arrays.stream(first.recentProgress())
                      .anyMatch(p -> p.numInputRows() > 0));
      first.stop();
      long dataBatch =
          java.util.Arrays.stream(first.recentProgress())
              .filter(p -> p.numInputRows() > 0)
              .mapToLong(StreamingQueryProgress::batchId)
              .min()
              .orElseThrow();
      List<JsonNode> firstRun = out.values();
      assertThat(firstRun).hasSize(2);

      // as if the driver died after writing the batch's output, before committing it
      forgetBatchesFrom(
          Path.of(java.net.URI.create(conf.get(JobConfigKeys.CHECKPOINT_LOCATION))), dataBatch);
      StreamingQuery second = queries.start(spark, conf);
      await().atMost(TIMEOUT).until(() -> out.values().size() >= 4);
      assertThat(awaitFirstBatch(second)).isEqualTo(dataBatch);
      assertThat(out.values().subList(2, 4)).containsExactlyInAnyOrderElementsOf(firstRun);
      assertThat(firstRun)
          .allSatisfy(n -> assertThat(n.get("version").asLong()).isEqualTo(dataBatch + 1));
    }
  }

  private static String aaa(double delay, String date) {
    return "{\"origin\":\"AAA\",\"delay\":" + delay + ",\"date\":\"" + date + "\"}";
  }

  private static long awaitFirstBatch(StreamingQuery q) {
    await().atMost(TIMEOUT).until(() -> q.recentProgress().length > 0);
    return q.recentProgress()[0].batchId();
  }

  /**
   * Removes the commit log entries from {@code batchId} on and the offset log entries after it, so
   * the next query on the checkpoint runs micro-batch {@code batchId} again.
   */
  private static void forgetBatchesFrom(Path checkpoint, long batchId) throws Exception {
    for (String log : List.of("commits", "offsets")) {
      long from = log.equals("commits") ? batchId : batchId + 1;
      try (var files = Files.list(checkpoint.resolve(log))) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString().replace(".crc", "").replaceFirst("^\\.", "");
          if (name.matches("\\d+") && Long.parseLong(name) >= from) {
            Files.delete(f);
          }
        }
      }
    }
  }
}
