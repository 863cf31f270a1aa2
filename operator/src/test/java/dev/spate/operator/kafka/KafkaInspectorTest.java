package dev.spate.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.StartingOffsets;
import dev.spate.operator.decide.Reason;
import dev.spate.testkit.KafkaBroker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kafka inspector against a real KRaft broker in this JVM. */
class KafkaInspectorTest {

  private static final Duration POLL = Duration.ofMillis(500);

  private KafkaBroker broker;
  private KafkaInspector<String> inspector;
  private final Map<String, AtomicInteger> changes = new ConcurrentHashMap<>();
  private final AtomicInteger adminsCreated = new AtomicInteger();

  @BeforeEach
  void start() {
    broker = KafkaBroker.start();
    inspector =
        new KafkaInspector<>(
            POLL,
            Duration.ofSeconds(2),
            config -> {
              adminsCreated.incrementAndGet();
              return Admin.create(config);
            },
            (job, snapshot) ->
                changes.computeIfAbsent(job, j -> new AtomicInteger()).incrementAndGet(),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    try {
      if (inspector != null) {
        inspector.close();
      }
    } finally {
      broker.close();
    }
  }

  private KafkaTarget target(List<String> topics, String group, StartingOffsets starting) {
    return new KafkaTarget(
        new KafkaTarget.Cluster(broker.bootstrapServers(), Map.of()), topics, group, starting);
  }

  private void produce(String topic, int partition, int records) throws Exception {
    try (KafkaProducer<String, String> producer = broker.producer()) {
      for (int i = 0; i < records; i++) {
        producer.send(new ProducerRecord<>(topic, partition, "k" + i, "{\"n\":" + i + "}")).get();
      }
    }
  }

  private void commit(String group, Map<TopicPartition, OffsetAndMetadata> offsets)
      throws Exception {
    try (Admin admin = broker.admin()) {
      admin.alterConsumerGroupOffsets(group, offsets).all().get();
    }
  }

  private KafkaSnapshot snapshot(String job) {
    Optional<KafkaSnapshot> snapshot = inspector.snapshot(job);
    assertThat(snapshot).as("snapshot of %s", job).isPresent();
    return snapshot.get();
  }

  @Test
  void partitionsAndLagMatchWhatTheGroupCommitted() throws Exception {
    broker.createTopic("clicks", 3);
    broker.createTopic("views", 2);
    produce("clicks", 0, 10);
    produce("clicks", 1, 5);
    produce("views", 0, 7);
    commit(
        "clicks-group",
        Map.of(
            new TopicPartition("clicks", 0),
                new OffsetAndMetadata(4, "{\"batchId\":7,\"timestamp\":1763719200000}"),
            new TopicPartition("clicks", 1),
                new OffsetAndMetadata(5, "{\"batchId\":6,\"timestamp\":1763719100000}")));

    inspector.watch(
        "clicks-job", target(List.of("clicks"), "clicks-group", StartingOffsets.EARLIEST));
    inspector.watch(
        "both-latest", target(List.of("clicks", "views"), "fresh-group", StartingOffsets.LATEST));
    inspector.watch(
        "both-earliest",
        target(List.of("clicks", "views"), "fresh-group-2", StartingOffsets.EARLIEST));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              KafkaSnapshot clicks = snapshot("clicks-job");
              assertThat(clicks.ok()).isTrue();
              assertThat(clicks.partitions()).isEqualTo(3);
              assertThat(clicks.lag()).isEqualTo((10 - 4) + (5 - 5) + 0);
              assertThat(clicks.committedBatchId()).isEqualTo(7L);
              assertThat(clicks.lastCommitTime()).isEqualTo("2025-11-21T10:00:00Z");
              assertThat(snapshot("both-latest").partitions()).isEqualTo(5);
              assertThat(snapshot("both-latest").lag()).as("no commit + latest counts 0").isZero();
              assertThat(snapshot("both-earliest").lag())
                  .as("no commit + earliest counts every record")
                  .isEqualTo(10 + 5 + 7);
              assertThat(snapshot("both-earliest").committedBatchId()).isNull();
            });
    assertThat(inspector.openClients()).as("one AdminClient per cluster").isEqualTo(1);
    assertThat(adminsCreated).hasValue(1);

    // new records on a partition without commit: counted from the earliest offset
    produce("clicks", 2, 3);
    commit(
        "clicks-group",
        Map.of(new TopicPartition("clicks", 0), new OffsetAndMetadata(10, "{\"batchId\":8}")));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(snapshot("clicks-job").lag()).isEqualTo(0 + 0 + 3);
              assertThat(snapshot("clicks-job").committedBatchId()).isEqualTo(8L);
            });
    assertThat(changes.get("clicks-job")).hasValueGreaterThanOrEqualTo(2);

    // more partitions are seen at the next poll
    broker.addPartitions("clicks", 4);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(snapshot("clicks-job").partitions()).isEqualTo(4));

    inspector.unwatch("clicks-job");
    inspector.unwatch("both-latest");
    assertThat(inspector.openClients()).isEqualTo(1);
    inspector.unwatch("both-earliest");
    assertThat(inspector.openClients()).as("closed when no job uses the cluster").isZero();
    assertThat(inspector.snapshot("clicks-job")).isEmpty();
  }

  @Test
  void missingTopicIsAProblemOfThatJobOnly() throws Exception {
    broker.createTopic("present", 1);
    inspector.watch("ok", target(List.of("present"), "g1", StartingOffsets.EARLIEST));
    inspector.watch(
        "missing", target(List.of("present", "absent-topic"), "g2", StartingOffsets.EARLIEST));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(snapshot("ok").ok()).isTrue();
              KafkaSnapshot missing = snapshot("missing");
              assertThat(missing.ok()).isFalse();
              assertThat(missing.problem().reason()).isEqualTo(Reason.TOPIC_NOT_FOUND);
              assertThat(missing.problem().message()).contains("absent-topic");
            });
    // the topic appears: the job recovers
    broker.createTopic("absent-topic", 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(snapshot("missing").ok()).isTrue();
              assertThat(snapshot("missing").partitions()).isEqualTo(3);
            });
  }

  @Test
  void brokerDownIsReportedAndRecoveredFrom() throws Exception {
    broker.createTopic("events", 2);
    produce("events", 0, 4);
    inspector.watch("job", target(List.of("events"), "g", StartingOffsets.EARLIEST));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> inspector.snapshot("job").map(KafkaSnapshot::ok).orElse(false));
    assertThat(snapshot("job").lag()).isEqualTo(4);

    broker.stop();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Optional<KafkaSnapshot> s = inspector.snapshot("job");
              assertThat(s).isPresent();
              assertThat(s.get().ok()).isFalse();
              assertThat(s.get().problem().reason()).isEqualTo(Reason.KAFKA_UNAVAILABLE);
              assertThat(s.get().problem().message()).contains(broker.bootstrapServers());
            });

    broker.restart();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(snapshot("job").ok()).isTrue();
              assertThat(snapshot("job").lag()).isEqualTo(4);
            });
    assertThat(adminsCreated).as("the same AdminClient reconnects").hasValue(1);
  }

  @Test
  void anAdminClientThatCannotBeCreatedIsReportedAndRetried() {
    // Admin.create throws (KafkaException, "No resolvable bootstrap urls") for a host that does not
    // resolve; polling must report it and go on, not end silently with no snapshot ever
    inspector.watch(
        "typo",
        new KafkaTarget(
            new KafkaTarget.Cluster("no-such-host.invalid:9092", Map.of()),
            List.of("events"),
            "g",
            StartingOffsets.EARLIEST));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              KafkaSnapshot s = snapshot("typo");
              assertThat(s.ok()).isFalse();
              assertThat(s.problem().reason()).isEqualTo(Reason.KAFKA_UNAVAILABLE);
              assertThat(s.problem().message())
                  .contains("no-such-host.invalid:9092")
                  .contains("No resolvable bootstrap urls");
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(adminsCreated)
                    .as("creation is retried at the next polls")
                    .hasValueGreaterThanOrEqualTo(2));
  }

  @Test
  void aPollThatThrowsAnErrorDoesNotEndPolling() throws Exception {
    broker.createTopic("flights", 2);
    produce("flights", 0, 6);
    AtomicInteger created = new AtomicInteger();
    inspector.close();
    inspector =
        new KafkaInspector<>(
            POLL,
            Duration.ofSeconds(2),
            config -> {
              if (created.getAndIncrement() == 0) {
                // an Error escapes every catch (RuntimeException) of a poll; injected in the one
                // place
                // the inspector lets a test in: where it creates its AdminClient
                throw new OutOfMemoryError("injected: first AdminClient");
              }
              return Admin.create(config);
            },
            (job, snapshot) ->
                changes.computeIfAbsent(job, j -> new AtomicInteger()).incrementAndGet(),
            Clock.systemUTC());
    inspector.watch("job", target(List.of("flights"), "flights-job", StartingOffsets.EARLIEST));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(snapshot("job").ok()).isTrue();
              assertThat(snapshot("job").lag()).isEqualTo(6);
            });
    // and it keeps following the group's commits
    commit(
        "flights-job",
        Map.of(
            new TopicPartition("flights", 0),
            new OffsetAndMetadata(6, "{\"batchId\":0,\"timestamp\":1763719200000}")));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(snapshot("job").lag()).isZero();
              assertThat(snapshot("job").committedBatchId()).isZero();
            });
  }

  @Test
  void commitMetadataParsing() {
    assertThat(
            KafkaInspector.parseMetadata("{\"batchId\":12,\"timestamp\":\"2026-11-21T10:00:00Z\"}"))
        .isEqualTo(new KafkaInspector.CommitInfo(12L, "2026-11-21T10:00:00Z"));
    assertThat(KafkaInspector.parseMetadata("not json"))
        .isEqualTo(new KafkaInspector.CommitInfo(null, null));
    assertThat(KafkaInspector.parseMetadata(""))
        .isEqualTo(new KafkaInspector.CommitInfo(null, null));
    assertThat(
            KafkaInspector.parseClientProperties(
                "security.protocol=SASL_SSL\nsasl.mechanism: PLAIN\n"))
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN");
  }
}
