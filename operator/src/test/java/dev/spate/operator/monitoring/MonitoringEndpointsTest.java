package dev.spate.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.MockCluster;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.testkit.KafkaBroker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's HTTP endpoints against the fabric8 CRUD mock (generated CRD) and a real KRaft
 * broker: {@code /metrics} carries one series set per StreamingJob equal to its status, JOSDK's and
 * the JVM's meters; {@code /readyz} is 503 before the caches synced and 200 after; a deleted job's
 * series disappear.
 */
@EnableKubernetesMockClient(crud = true)
class MonitoringEndpointsTest {

  static KubernetesClient client;
  static KafkaBroker kafka;

  /** When the test records were produced (before the first of them). */
  static Instant produced;

  private static final String NS = "mon";
  private static final String TOPIC = "clicks";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    MockCluster.createCrd(client);
    MockCluster.createNamespace(client, NS);
    kafka = KafkaBroker.start();
    kafka.createTopic(TOPIC, 2);
    produced = Instant.now();
    try (KafkaProducer<String, String> producer = kafka.producer()) {
      for (int i = 0; i < 30; i++) {
        producer.send(new ProducerRecord<>(TOPIC, i % 2, "k" + i, "{}")).get();
      }
    }
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void metricsShowEveryJobAsItsStatusAndProbesFollowTheRuntime() throws Exception {
    OperatorConfig config =
        OperatorConfig.read(
            Map.of(
                "spate.namespaces", NS,
                "spate.reconcileInterval", "2s",
                "spate.kafkaPollInterval", "1s",
                "spate.defaultImage", "spate-spark:test",
                "spate.serverSideApply", "false",
                "spate.leaderElection", "false"),
            Map.of());
    PrometheusMeterRegistry registry = MonitoringServer.newRegistry();
    try (SpateOperator operator =
            new SpateOperator(
                client, config, "op-mon", MicrometerMetrics.withoutPerResourceMetrics(registry));
        MonitoringServer server = MonitoringServer.forOperator(0, registry, operator)) {
      String base = "http://127.0.0.1:" + server.port();
      // before start(): alive, not ready
      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> notReady = get(base + "/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("starting");

      operator.start();
      HttpResponse<String> ready = get(base + "/readyz");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("leader");
      assertThat(get(base + "/healthz").body()).isEqualTo("ok\n");

      client.resource(job("clicks", false)).create();
      client.resource(job("views", true)).create();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                StreamingJob clicks = current("clicks");
                assertThat(clicks.getStatus()).isNotNull();
                assertThat(clicks.getStatus().getKafka()).isNotNull();
                assertThat(clicks.getStatus().getKafka().getLag()).isEqualTo(30L);
                assertThat(clicks.getStatus().getKafka().getLagSeconds()).isNotNull();
                assertThat(current("views").getStatus().getPhase()).isEqualTo(Phase.SUSPENDED);
              });

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                StreamingJob clicks = current("clicks");
                String metrics = scrape(base);
                assertThat(metrics)
                    .contains("spate_job_lag_records{name=\"clicks\",namespace=\"mon\"} 30.0")
                    .contains(
                        "spate_job_executors_desired{name=\"clicks\",namespace=\"mon\"} "
                            + clicks.getStatus().getExecutors().getDesired()
                            + ".0")
                    .contains(
                        "spate_job_executors_ready{name=\"clicks\",namespace=\"mon\"} "
                            + clicks.getStatus().getExecutors().getReady()
                            + ".0")
                    .contains("spate_job_restarts{name=\"clicks\",namespace=\"mon\"} 0.0")
                    .contains(
                        "spate_job_phase{name=\"clicks\",namespace=\"mon\",phase=\""
                            + clicks.getStatus().getPhase().value()
                            + "\"} 1.0")
                    .contains(
                        "spate_job_phase{name=\"views\",namespace=\"mon\",phase=\"Suspended\"} 1.0")
                    .contains(
                        "spate_job_phase{name=\"views\",namespace=\"mon\",phase=\"Running\"} 0.0")
                    .contains("spate_operator_leader 1.0")
                    // JOSDK's own meters and the JVM's
                    .contains("operator_sdk_events_received")
                    .contains("jvm_memory_used_bytes");
                assertThat(
                        metrics
                            .lines()
                            .filter(l -> l.startsWith("spate_job_phase{name=\"views\""))
                            .count())
                    .isEqualTo(Phase.values().length);
                // lag in seconds grows while nothing commits; the metric carries the live value
                // of the last Kafka poll: at least what the status read before the scrape shows
                // (refreshed every spate.lagStatusInterval), at most the age of the records
                double lagSeconds =
                    value(metrics, "spate_job_lag_seconds{name=\"clicks\",namespace=\"mon\"}");
                assertThat(lagSeconds)
                    .isBetween(
                        (double) clicks.getStatus().getKafka().getLagSeconds(),
                        (double) Duration.between(produced, Instant.now()).toSeconds() + 1);
              });

      client.resource(current("views")).delete();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(scrape(base))
                      .doesNotContain("name=\"views\"")
                      .contains("spate_job_lag_records{name=\"clicks\""));
    }
  }

  private static StreamingJob job(String name, boolean suspend) {
    StreamingJob job = TestJobs.minimal(NS, name, kafka.bootstrapServers());
    job.getSpec().getKafka().setInputTopics(List.of(TOPIC));
    job.getSpec().getKafka().setConsumerGroup("group-" + name);
    job.getSpec().setSuspend(suspend);
    return job;
  }

  /** The value of one series in a scrape. */
  private static double value(String metrics, String series) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no series " + series));
  }

  private static StreamingJob current(String name) {
    return client.resources(StreamingJob.class).inNamespace(NS).withName(name).get();
  }

  private static String scrape(String base) throws Exception {
    HttpResponse<String> r = get(base + "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(MonitoringServer.PROMETHEUS_TEXT);
    return r.body();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
