package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Kubectl;
import dev.spate.sandbox.demo.SandboxManifest;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox API server against the real kubectl binary, without kubelet, Spark or operator: what
 * kubectl needs of the API itself — discovery, OpenAPI v3 for {@code explain}, server-side Tables
 * with the CRD's printer columns, streamed watches, client-side {@code apply} (create, then a JSON
 * merge patch), admission with the API server's messages, {@code wait}, {@code logs} and {@code
 * delete} with garbage collection. Status values are written here through fabric8, as the operator
 * would; the end-to-end test ({@code KubectlSandboxTest}) shows the operator's own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlApiTest {

  private static final String NS = "kubectl-api";

  private SandboxApiServer api;
  private KubernetesClient client;
  private Kubectl kubectl;
  @TempDir Path dir;

  @BeforeAll
  void start(@TempDir Path kubeDir) {
    api = SandboxApiServer.start(false);
    client = api.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    kubectl = Kubectl.require(api.writeKubeconfig(kubeDir.resolve("kubeconfig")));
  }

  @AfterAll
  void stop() {
    if (kubectl != null) {
      kubectl.close();
    }
    if (api != null) {
      api.close();
    }
  }

  /** The repository's example with sandbox values, in this test's namespace under a new name. */
  private StreamingJob example(String name) throws IOException {
    StreamingJob job = SandboxManifest.forSandbox(SandboxManifest.example(), "127.0.0.1:9").job();
    job.getMetadata().setName(name);
    job.getMetadata().setNamespace(NS);
    return job;
  }

  private Path write(String file, Object manifest) throws IOException {
    return Files.writeString(dir.resolve(file), Serialization.asYaml(manifest));
  }

  @Test
  void discoveryListsStreamingJobsWithShortNameAndExplainReadsTheSchema() {
    String resources = kubectl.run("api-resources").ok().stdout();
    assertThat(resources.lines())
        .anySatisfy(
            l ->
                assertThat(l.split("\\s+"))
                    .containsExactly(
                        "streamingjobs", "sj", "spate.dev/v1alpha1", "true", "StreamingJob"))
        .anySatisfy(l -> assertThat(l.split("\\s+")).startsWith("pods", "po", "v1", "true", "Pod"));
    assertThat(kubectl.run("get", "sj", "-n", "empty").ok().stderr())
        .contains("No resources found in empty namespace.");

    String explain = kubectl.run("explain", "sj.spec.kafka").ok().stdout();
    assertThat(explain)
        .contains("KIND:       StreamingJob")
        .contains("VERSION:    v1alpha1")
        .containsPattern("bootstrapServers\\s+<string> -required-")
        .containsPattern("inputTopics\\s+<\\[\\]string> -required-");
  }

  @Test
  void badManifestIsRefusedAtApplyWithTheApiServersMessage() throws IOException {
    StreamingJob bad = example("no-output-topic");
    bad.getSpec().getKafka().setOutputTopic(null);
    Kubectl.Result refused = kubectl.run("apply", "-f", write("bad.yaml", bad).toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr())
        .contains("The StreamingJob \"no-output-topic\" is invalid:")
        .contains("spec.kafka.outputTopic: Required value");
    assertThat(
            client.resources(StreamingJob.class).inNamespace(NS).withName("no-output-topic").get())
        .as("nothing stored")
        .isNull();

    String unknownField =
        Files.readString(write("unknown.yaml", example("unknown-field")))
            .replace("outputTopic:", "bogusField: 1\n    outputTopic:");
    Kubectl.Result strict =
        kubectl.run(
            "apply", "-f", Files.writeString(dir.resolve("u.yaml"), unknownField).toString());
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.stderr())
        .contains("strict decoding error: unknown field \"spec.kafka.bogusField\"");
  }

  @Test
  void applyCreatesThenPatchesAndAnInvalidUpdateLeavesTheObjectAlone() throws IOException {
    StreamingJob job = example("clicks");
    Path file = write("clicks.yaml", job);
    assertThat(kubectl.run("apply", "-f", file.toString()).ok().stdout())
        .contains("streamingjob.spate.dev/clicks created");

    Kubectl.Result again = kubectl.run("create", "-f", file.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr())
        .contains("Error from server (AlreadyExists)")
        .contains("streamingjobs.spate.dev \"clicks\" already exists");
    kubectl
        .run(
            "patch",
            "sj",
            "clicks",
            "-n",
            NS,
            "--type=json",
            "-p",
            "[{\"op\": \"replace\", \"path\": \"/spec/executor/maxExecutors\", \"value\": 2}]")
        .ok();
    assertThat(
            client
                .resources(StreamingJob.class)
                .inNamespace(NS)
                .withName("clicks")
                .get()
                .getSpec()
                .getExecutor()
                .getMaxExecutors())
        .isEqualTo(2);

    job.getSpec().getExecutor().setMaxExecutors(3);
    write("clicks.yaml", job);
    assertThat(kubectl.run("apply", "-f", file.toString()).ok().stdout())
        .contains("streamingjob.spate.dev/clicks configured");
    String stored =
        kubectl
            .run(
                "get",
                "sj",
                "clicks",
                "-n",
                NS,
                "-o",
                "jsonpath={.spec.executor.maxExecutors} {.metadata.generation}")
            .ok()
            .stdout();
    assertThat(stored).isEqualTo("3 3");

    job.getSpec().getKafka().setOutputTopic(null);
    write("clicks.yaml", job);
    Kubectl.Result refused = kubectl.run("apply", "-f", file.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr()).contains("spec.kafka.outputTopic: Required value");
    StreamingJob after =
        client.resources(StreamingJob.class).inNamespace(NS).withName("clicks").get();
    assertThat(after.getSpec().getKafka().getOutputTopic()).isEqualTo("flights-per-origin");
    assertThat(after.getMetadata().getGeneration()).isEqualTo(3L);
  }

  @Test
  void getPrintsPrinterColumnsWatchStreamsChangesAndWaitSeesReady() throws IOException {
    kubectl.run("apply", "-f", write("status.yaml", example("with-status")).toString()).ok();
    String header =
        kubectl
            .run("get", "sj", "with-status", "-n", NS)
            .ok()
            .stdout()
            .lines()
            .findFirst()
            .orElse("");
    assertThat(header.split("\\s+"))
        .startsWith("NAME", "PHASE", "PARTITIONS", "EXECUTORS", "LAG")
        .contains("RESTARTS", "AGE")
        .doesNotContain("BATCH", "MESSAGE");

    try (Kubectl.Running watch = kubectl.background("get", "sj", "-n", NS, "-w")) {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> watch.lines().stream().anyMatch(l -> l.startsWith("with-status")));
      setStatus("with-status", "Running", "True", "The job is running.");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(watch.lines())
                      .anySatisfy(
                          l ->
                              assertThat(l)
                                  .startsWith("with-status")
                                  .containsPattern("Running\\s+8\\s+2/2\\s+1204\\s")));
      assertThat(watch.lines().stream().filter(l -> l.startsWith("with-status ")).count())
          .as("the object before the change once (no replay of the list), then the change")
          .isEqualTo(2);
    }

    var wide =
        Kubectl.table(
            kubectl.run("get", "sj", "with-status", "-n", NS, "-o", "wide").ok().stdout());
    assertThat(wide).hasSize(1);
    assertThat(wide.get(0))
        .containsEntry("NAME", "with-status")
        .containsEntry("PHASE", "Running")
        .containsEntry("PARTITIONS", "8")
        .containsEntry("EXECUTORS", "2/2")
        .containsEntry("LAG", "1204")
        .containsEntry("RESTARTS", "1")
        .containsEntry("BATCH", "17")
        .containsEntry("MESSAGE", "The job is running.");

    assertThat(
            kubectl
                .run("wait", "--for=condition=Ready", "sj/with-status", "-n", NS, "--timeout=20s")
                .ok()
                .stdout())
        .contains("streamingjob.spate.dev/with-status condition met");
  }

  private void setStatus(String name, String phase, String ready, String message) {
    StreamingJob job = client.resources(StreamingJob.class).inNamespace(NS).withName(name).get();
    var status =
        Serialization.unmarshal(
            """
            {"phase": "%s", "observedGeneration": 1,
             "kafka": {"partitions": 8, "lag": 1204, "committedBatchId": 17},
             "executors": {"desired": 2, "ready": 2, "summary": "2/2"},
             "restarts": {"count": 1},
             "conditions": [{"type": "Ready", "status": "%s", "reason": "Running",
                             "message": "%s", "lastTransitionTime": "2026-11-30T12:00:00Z"}]}
            """
                .formatted(phase, ready, message),
            dev.spate.api.v1alpha1.StreamingJobStatus.class);
    job.setStatus(status);
    client.resources(StreamingJob.class).inNamespace(NS).resource(job).updateStatus();
  }

  @Test
  void logsComeFromThePodLogSourceAndDeleteCollectsOwnedObjects() throws IOException {
    client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("driver")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("spark-kubernetes-driver")
                .withImage("spark")
                .endContainer()
                .endSpec()
                .build())
        .create();
    api.dispatcher()
        .podLogs(
            (ns, pod, container) ->
                ns.equals(NS) && pod.equals("driver")
                    ? Optional.of(
                        "starting\nmicro-batch 0: 10 input records\nmicro-batch 1: 5 input records\n")
                    : Optional.empty());
    assertThat(kubectl.run("logs", "driver", "-n", NS, "--tail=2").ok().stdout())
        .isEqualTo("micro-batch 0: 10 input records\nmicro-batch 1: 5 input records\n");
    assertThat(kubectl.run("logs", "missing", "-n", NS).stderr())
        .contains("pods \"missing\" not found");

    kubectl.run("apply", "-f", write("owner.yaml", example("owner")).toString()).ok();
    StreamingJob owner =
        client.resources(StreamingJob.class).inNamespace(NS).withName("owner").get();
    client
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("owner-conf")
                .addNewOwnerReference()
                .withApiVersion("spate.dev/v1alpha1")
                .withKind("StreamingJob")
                .withName("owner")
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    assertThat(kubectl.run("get", "cm", "-n", NS).ok().stdout())
        .containsPattern("owner-conf\\s+1\\s");

    assertThat(kubectl.run("delete", "sj", "owner", "-n", NS).ok().stdout())
        .contains("streamingjob.spate.dev \"owner\" deleted");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "cm", "owner-conf", "-n", NS).stderr())
                    .contains("NotFound"));
  }
}
