package dev.spate.sandbox.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.api.SandboxApiServer;
import dev.spate.sandbox.kubelet.PodRuntime;
import dev.spate.sandbox.kubelet.PodmanCommands;
import dev.spate.sandbox.kubelet.ProcessKubelet;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator image (deploy/operator.Dockerfile) run as the pod of deploy/operator/deployment.yaml
 * — its securityContext (uid 65532, read-only root filesystem, no capabilities, no privilege
 * escalation, RuntimeDefault seccomp), its env and its {@code /tmp} emptyDir — by the sandbox
 * kubelet's podman runtime against the sandbox API server. It must start and reconcile: a suspended
 * StreamingJob gets {@code status.phase: Suspended} from the operator in the container, and the
 * Deployment's liveness and readiness probe paths and {@code /metrics} (with the job's series)
 * answer from the container (on a free port given through {@code SPATE_MONITORING_PORT}: pods share
 * the host's network here). Deviation: the container finds the API through {@code
 * KUBERNETES_MASTER} (no in-cluster service or service account token in the sandbox).
 */
class OperatorImageTest {

  @BeforeAll
  static void images() throws Exception {
    StandinImages.ensureBuilt();
  }

  @Test
  void operatorRunsHardenedAndReconciles() throws Exception {
    Path root = StandinImages.repositoryRoot();
    Deployment deployment;
    try (InputStream in = Files.newInputStream(root.resolve("deploy/operator/deployment.yaml"))) {
      deployment = Serialization.unmarshal(in, Deployment.class);
    }
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("operator-image-" + System.currentTimeMillis())
            .toAbsolutePath();
    try (SandboxApiServer api = SandboxApiServer.start(false);
        ProcessKubelet kubelet =
            ProcessKubelet.start(
                api.client(),
                ProcessKubelet.Config.defaults(Sandbox.locateSparkHome(), runDir, api.url(), false)
                    .withRuntime(PodRuntime.PODMAN))) {
      String ns = deployment.getMetadata().getNamespace();
      api.client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withNamespace(ns)
              .withName("spate-operator-0")
              .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
              .endMetadata()
              .withSpec(deployment.getSpec().getTemplate().getSpec())
              .build();
      var container = pod.getSpec().getContainers().get(0);
      container.setImage(StandinImages.OPERATOR);
      container.getEnv().add(new EnvVar("KUBERNETES_MASTER", api.url(), null));
      // the sandbox's mock API server has no server-side apply and answers no
      // SelfSubjectRulesReview (JOSDK's Lease access check); leader election itself is tested in
      // the operator's ReplicasControllerTest
      container.getEnv().add(new EnvVar("SPATE_SERVER_SIDE_APPLY", "false", null));
      container.getEnv().add(new EnvVar("SPATE_LEADER_ELECTION", "false", null));
      // host network: the Deployment's port 8080 may be taken on this machine; a free one instead
      int port = freePort();
      container.getEnv().stream()
          .filter(e -> e.getName().equals("SPATE_MONITORING_PORT"))
          .findFirst()
          .orElseThrow()
          .setValue(String.valueOf(port));
      String liveness = container.getLivenessProbe().getHttpGet().getPath();
      String readiness = container.getReadinessProbe().getHttpGet().getPath();
      pod = api.client().pods().resource(pod).create();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          api.client()
                              .pods()
                              .inNamespace(ns)
                              .withName("spate-operator-0")
                              .get()
                              .getStatus()
                              .getPhase())
                      .isEqualTo("Running"));
      String name = PodmanCommands.containerName(pod);
      String status = StandinImages.podman("exec", name, "cat", "/proc/1/status");
      assertThat(status)
          .containsPattern("(?m)^Uid:\\s+65532\\s+65532\\s+65532\\s+65532$")
          .containsPattern("(?m)^CapEff:\\s+0+$")
          .containsPattern("(?m)^NoNewPrivs:\\s+1$")
          .containsPattern("(?m)^Seccomp:\\s+2$");
      assertThatThrownBy(() -> StandinImages.podman("exec", name, "touch", "/opt/spate/x"))
          .hasMessageContaining("Read-only file system");
      StandinImages.podman("exec", name, "touch", "/tmp/x"); // the emptyDir is writable

      String jobNs = "analytics";
      api.client()
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(jobNs).endMetadata().build())
          .create();
      StreamingJob job;
      try (InputStream in =
          Files.newInputStream(root.resolve("deploy/examples/flights-per-origin.yaml"))) {
        job = Serialization.unmarshal(in, StreamingJob.class);
      }
      job.getMetadata().setNamespace(jobNs);
      job.getSpec().getKafka().setClientConfigSecretRef(null);
      job.getSpec().setSuspend(true);
      api.client().resources(StreamingJob.class).resource(job).create();
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                StreamingJob seen =
                    api.client()
                        .resources(StreamingJob.class)
                        .inNamespace(jobNs)
                        .withName(job.getMetadata().getName())
                        .get();
                assertThat(seen.getStatus()).as("status written by the operator").isNotNull();
                assertThat(seen.getStatus().getPhase()).isEqualTo(Phase.SUSPENDED);
              });
      // the Deployment's probes and the metrics endpoint, answered by the operator in the container
      String base = "http://127.0.0.1:" + port;
      assertThat(get(base + liveness)).isEqualTo("200 ok\n");
      assertThat(get(base + readiness)).startsWith("200 ready (leader");
      assertThat(get(base + "/metrics"))
          .startsWith("200 ")
          .contains(
              "spate_job_phase{name=\""
                  + job.getMetadata().getName()
                  + "\",namespace=\"analytics\",phase=\"Suspended\"} 1.0")
          .contains("jvm_memory_used_bytes");
      System.out.println(
          "OPERATOR container "
              + name
              + " reconciled, answered "
              + liveness
              + ", "
              + readiness
              + ", /metrics on port "
              + port
              + "; log tail:\n"
              + tail(kubelet.workspace(ns, "spate-operator-0").resolve("stdout.log")));
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** GET → {@code "<status> <body>"}. */
  private static String get(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  private static String tail(Path file) throws java.io.IOException {
    if (!Files.exists(file)) {
      return "";
    }
    var lines = Files.readAllLines(file);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }
}
