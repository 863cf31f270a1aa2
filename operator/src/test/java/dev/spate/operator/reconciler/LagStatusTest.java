package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.MockCluster;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.testkit.KafkaBroker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code status.kafka.lag} follows the consumer group's commits, not only the first readings: the
 * operator (in-process, fabric8 CRUD mock with the generated CRD) watches a real KRaft broker; the
 * input grows while the job "runs", then the group commits the end offsets (as the job's offset
 * committer does once it caught up) and the status must show lag 0, driven by the Kafka event
 * source alone (the periodic reconcile is set far beyond the test's wait).
 */
@EnableKubernetesMockClient(crud = true)
class LagStatusTest {

  static KubernetesClient client;
  static KafkaBroker kafka;

  private static final String TOPIC = "flights";
  private static final String GROUP = "flights-job";
  private static final int PARTITIONS = 4;

  @BeforeAll
  static void start() throws Exception {
    MockCluster.createCrd(client);
    kafka = KafkaBroker.start();
    kafka.createTopic(TOPIC, PARTITIONS);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void lagReachesZeroOnceTheGroupCommittedTheEndOffsets() throws Exception {
    String ns = "lag";
    MockCluster.createNamespace(client, ns);
    produce(100); // 25 per partition
    OperatorConfig config =
        OperatorConfig.read(
            Map.of(
                "spate.namespaces", ns,
                "spate.reconcileInterval",
                    "10m", // only Kafka events can move the lag within the wait
                "spate.kafkaPollInterval", "1s",
                // every lag change is followed within a second (production: 30 s)
                "spate.lagStatusInterval", "1s",
                "spate.defaultImage", "spate-spark:test",
                "spate.serverSideApply", "false",
                "spate.leaderElection", "false"),
            Map.of());
    try (SpateOperator operator = new SpateOperator(client, config, "op-lag")) {
      operator.start();
      StreamingJob job = TestJobs.minimal(ns, "flights-per-origin", kafka.bootstrapServers());
      job.getSpec().getKafka().setInputTopics(List.of(TOPIC));
      job.getSpec().getKafka().setConsumerGroup(GROUP);
      client.resource(job).create();

      // first polls: no commit yet, the job starts from the earliest offsets
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(lag(ns)).isEqualTo(100L));

      // the job commits a first micro-batch while the input keeps growing
      commit(1, endOffsets());
      java.time.Instant producedFrom = java.time.Instant.now();
      produce(200);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(lag(ns)).isEqualTo(200L));
      // nothing commits now: the oldest unprocessed record ages, and lag in seconds says how much
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(lagSeconds(ns)).isGreaterThanOrEqualTo(2L));
      long bound = Duration.between(producedFrom, java.time.Instant.now()).toSeconds();
      // at most one poll interval (1 s) of interpolation error, plus rounding
      assertThat(lagSeconds(ns)).isLessThanOrEqualTo(bound + 3);

      // caught up: committed offsets equal the end offsets
      commit(2, endOffsets());
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(trueLag()).isZero();
                assertThat(lag(ns)).isZero();
                assertThat(lagSeconds(ns)).isZero();
              });
      StreamingJob current =
          client.resources(StreamingJob.class).inNamespace(ns).withName("flights-per-origin").get();
      assertThat(current.getStatus().getKafka().getCommittedBatchId()).isEqualTo(2L);
      assertThat(current.getStatus().getKafka().getPartitions()).isEqualTo(PARTITIONS);
    }
  }

  private static Long lag(String ns) {
    StreamingJob job =
        client.resources(StreamingJob.class).inNamespace(ns).withName("flights-per-origin").get();
    return job == null || job.getStatus() == null || job.getStatus().getKafka() == null
        ? null
        : job.getStatus().getKafka().getLag();
  }

  private static Long lagSeconds(String ns) {
    StreamingJob job =
        client.resources(StreamingJob.class).inNamespace(ns).withName("flights-per-origin").get();
    return job == null || job.getStatus() == null || job.getStatus().getKafka() == null
        ? null
        : job.getStatus().getKafka().getLagSeconds();
  }

  private static void produce(int records) throws Exception {
    try (KafkaProducer<String, String> producer = kafka.producer()) {
      for (int i = 0; i < records; i++) {
        producer
            .send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "k" + i, "{\"n\":" + i + "}"))
            .get();
      }
    }
  }

  private static Map<TopicPartition, Long> endOffsets() throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      request.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
    }
    try (Admin admin = kafka.admin()) {
      return admin.listOffsets(request).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  /** Commits as the job's offset committer does: offsets plus {batchId, timestamp} metadata. */
  private static void commit(long batchId, Map<TopicPartition, Long> offsets) throws Exception {
    String metadata =
        "{\"batchId\":" + batchId + ",\"timestamp\":" + System.currentTimeMillis() + "}";
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    offsets.forEach((tp, o) -> commits.put(tp, new OffsetAndMetadata(o, metadata)));
    try (Admin admin = kafka.admin()) {
      admin.alterConsumerGroupOffsets(GROUP, commits).all().get();
    }
  }

  /** Σ (end − committed) computed here with the AdminClient, independently of the operator. */
  private static long trueLag() throws Exception {
    Map<TopicPartition, Long> end = endOffsets();
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
      return end.entrySet().stream()
          .mapToLong(
              e -> {
                OffsetAndMetadata c = committed.get(e.getKey());
                return e.getValue() - (c == null ? 0 : c.offset());
              })
          .sum();
    }
  }
}
