package dev.spate.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.MockCluster;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election (Lease on the fabric8 CRUD mock): both are ready, only the
 * leader exports the per-job series ({@code spate_operator_leader} 1 there, 0 on the standby), so a
 * sum over replicas counts every job once.
 */
@EnableKubernetesMockClient(crud = true)
class StandbyMetricsTest {

  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final String NS = "standby";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void onlyTheLeaderExportsJobSeriesAndBothAreReady() throws Exception {
    MockCluster.createCrd(client);
    MockCluster.createNamespace(client, NS);
    // JOSDK checks its Lease access with a SelfSubjectRulesReview, which the CRUD mock cannot
    // evaluate: answer as an API server would for the operator's lease Role
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            Map.of(
                "apiVersion",
                "authorization.k8s.io/v1",
                "kind",
                "SelfSubjectRulesReview",
                "metadata",
                Map.of(),
                "status",
                Map.of(
                    "incomplete",
                    false,
                    "resourceRules",
                    List.of(
                        Map.of(
                            "apiGroups", List.of("coordination.k8s.io"),
                            "resources", List.of("leases"),
                            "verbs", List.of("get", "create", "update"))))))
        .always();
    OperatorConfig config =
        OperatorConfig.read(
            Map.of(
                "spate.namespaces",
                NS,
                "spate.leaderElection",
                "true",
                "spate.leaseNamespace",
                NS,
                "spate.kafkaPollInterval",
                "1s",
                "spate.serverSideApply",
                "false",
                // stopping the leader at the end must not end the test JVM
                "spate.exitOnLostLease",
                "false"),
            Map.of());
    List<AutoCloseable> open = new ArrayList<>();
    try {
      SpateOperator first = new SpateOperator(client, config, "op-a");
      open.add(first);
      MonitoringServer firstServer =
          MonitoringServer.forOperator(0, MonitoringServer.newRegistry(), first);
      open.add(firstServer);
      first.start();
      await().atMost(Duration.ofSeconds(30)).until(first::isLeader);
      SpateOperator second = new SpateOperator(client, config, "op-b");
      open.add(second);
      MonitoringServer secondServer =
          MonitoringServer.forOperator(0, MonitoringServer.newRegistry(), second);
      open.add(secondServer);
      second.start();

      StreamingJob job = TestJobs.minimal(NS, "clicks", "127.0.0.1:1");
      job.getSpec().setSuspend(true);
      client.resource(job).create();
      String series =
          "spate_job_phase{name=\"clicks\",namespace=\"standby\",phase=\"Suspended\"} 1.0";
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                StreamingJob seen =
                    client.resources(StreamingJob.class).inNamespace(NS).withName("clicks").get();
                assertThat(seen.getStatus()).isNotNull();
                assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.SUSPENDED);
                // the standby's informer has the job and its status too
                assertThat(second.cachedJobs())
                    .singleElement()
                    .satisfies(j -> assertThat(j.getStatus()).isNotNull());
                assertThat(get(firstServer, "/metrics"))
                    .contains(series)
                    .contains("spate_operator_leader 1.0");
              });

      assertThat(second.isLeader()).isFalse();
      assertThat(get(secondServer, "/metrics"))
          .contains("spate_operator_leader 0.0")
          .doesNotContain("spate_job_phase{");
      assertThat(get(firstServer, "/readyz")).startsWith("200 ready (leader");
      assertThat(get(secondServer, "/readyz")).startsWith("200 ready (standby");
      assertThat(get(secondServer, "/healthz")).isEqualTo("200 ok\n");
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
  }

  private static String get(MonitoringServer server, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String body = r.body();
    return path.equals("/metrics") ? body : r.statusCode() + " " + body;
  }
}
