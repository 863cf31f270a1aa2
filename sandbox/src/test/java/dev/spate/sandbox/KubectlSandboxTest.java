package dev.spate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.demo.DemoScenario;
import dev.spate.sandbox.demo.FlightTotals;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A StreamingJob user's kubectl session against the whole sandbox (operator, Spark, Kafka), with
 * the real kubectl binary: {@code deploy/examples/flights-per-origin.yaml} prepared with sandbox
 * values ({@link ManifestPreparation}, what {@code ./sandbox/up --prepare} does) is applied, the
 * flights data streams in, {@code wait --for=condition=Ready} returns, {@code get} shows the
 * operator's real PHASE/PARTITIONS/EXECUTORS/LAG/RESTARTS, {@code logs} of the driver shows the
 * job's micro-batch progress lines and of an executor its tasks, {@code get pods,svc,cm}, {@code
 * get events} and {@code describe} show the owned objects and Events, {@code delete} removes them
 * and their processes; a manifest the CRD rejects is refused by {@code apply}. One sandbox serves
 * both scenarios (different jobs, nothing shared).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlSandboxTest {

  private static final String NS = "airline";
  private static final String JOB = "flights-per-origin";

  private Sandbox sandbox;
  private Kubectl kubectl;
  private Path runDir;

  @BeforeAll
  void start() {
    runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("kubectl-" + System.currentTimeMillis())
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    sandbox =
        Sandbox.start(
            new Sandbox.Options(defaults.sparkHome(), runDir, false, defaults.kafkaPollInterval()));
    kubectl = Kubectl.require(sandbox.kubeconfig());
  }

  @AfterAll
  void stop() {
    if (kubectl != null) {
      kubectl.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void flightsPerOriginWithKubectl() throws Exception {
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    ManifestPreparation.Prepared prepared =
        ManifestPreparation.prepare(
            sandbox,
            Path.of("../deploy/examples/flights-per-origin.yaml"),
            DemoScenario.INPUT_PARTITIONS,
            runDir);
    assertThat(prepared.created())
        .contains(
            "namespace airline (pod security restricted)",
            "topic flights (4 partitions)",
            "persistentvolumeclaim airline/spate-checkpoints (Bound, ReadWriteMany)");

    try (Kubectl.Running watch = kubectl.background("get", "sj", "-n", NS, "-w")) {
      assertThat(kubectl.run("apply", "-f", prepared.adapted().toString()).ok().stdout())
          .contains("streamingjob.spate.dev/flights-per-origin created");
      AtomicLong produced = new AtomicLong();
      CompletableFuture<Void> producer =
          CompletableFuture.runAsync(
              () ->
                  DemoScenario.produce(
                      sandbox.kafka().bootstrapServers(), "flights", data, produced));

      assertThat(
              kubectl
                  .run("wait", "--for=condition=Ready", "sj/" + JOB, "-n", NS, "--timeout=150s")
                  .ok()
                  .stdout())
          .contains("streamingjob.spate.dev/flights-per-origin condition met");
      producer.get();

      // the operator's own values: 4 partitions, ceil(4 / 2 executor cores) = 2 executors ready,
      // every record committed (lag 0), no restart
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                var rows = Kubectl.table(kubectl.run("get", "sj", JOB, "-n", NS).ok().stdout());
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0))
                    .containsEntry("NAME", JOB)
                    .containsEntry("PHASE", "Running")
                    .containsEntry("PARTITIONS", "4")
                    .containsEntry("EXECUTORS", "2/2")
                    .containsEntry("LAG", "0")
                    .containsEntry("RESTARTS", "0");
              });
      StreamingJob job =
          sandbox.client().resources(StreamingJob.class).inNamespace(NS).withName(JOB).get();
      assertThat(job.getStatus().getKafka().getPartitions()).isEqualTo(4);

      String wide = kubectl.run("get", "sj", JOB, "-n", NS, "-o", "wide").ok().stdout();
      assertThat(wide.lines().findFirst().orElse("").split("\\s+"))
          .startsWith("NAME", "PHASE", "PARTITIONS", "EXECUTORS", "LAG")
          .contains("RESTARTS", "AGE", "BATCH", "MESSAGE");
      assertThat(kubectl.run("get", "sj", JOB, "-n", NS, "-o", "yaml").ok().stdout())
          .contains("phase: Running")
          .contains("bootstrapServers: " + sandbox.kafka().bootstrapServers());

      String driver =
          kubectl
              .run("get", "sj", JOB, "-n", NS, "-o", "jsonpath={.status.driver.podName}")
              .ok()
              .stdout();
      assertThat(driver).startsWith(JOB);
      String driverLog = kubectl.run("logs", driver, "-n", NS).ok().stdout();
      assertThat(driverLog).containsPattern("micro-batch \\d+: \\d+ input records");
      String pods =
          kubectl.run("get", "pods", "-n", NS, "--no-headers", "-o", "name").ok().stdout();
      String executor =
          pods.lines()
              .filter(l -> l.contains("-exec-"))
              .findFirst()
              .orElseThrow()
              .replace("pod/", "");
      assertThat(kubectl.run("logs", executor, "-n", NS).ok().stdout())
          .contains("Successfully registered with driver");

      String owned = kubectl.run("get", "pods,svc,cm", "-n", NS).ok().stdout();
      assertThat(owned)
          .containsPattern("pod/" + driver + "\\s+1/1\\s+Running\\s+0")
          .containsPattern("service/flights-per-origin\\S*\\s+ClusterIP\\s+None")
          .containsPattern("configmap/flights-per-origin\\S*");
      assertThat(kubectl.run("get", "events", "-n", NS).ok().stdout())
          .containsPattern("Normal\\s+DriverCreated\\s+streamingjob/flights-per-origin");
      assertThat(kubectl.run("describe", "sj", JOB, "-n", NS).ok().stdout())
          .containsPattern("Phase:\\s+Running")
          .containsPattern("Normal\\s+DriverCreated");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(watch.lines())
                      .anySatisfy(l -> assertThat(l).startsWith(JOB).contains("Running")));
      System.out.println("kubectl get sj -n airline -w, as recorded by the test:");
      watch.lines().forEach(l -> System.out.println("  " + l));
    }

    List<Long> pids = List.copyOf(sandbox.kubelet().startedProcesses().keySet());
    assertThat(kubectl.run("delete", "sj", JOB, "-n", NS).ok().stdout())
        .contains("streamingjob.spate.dev \"flights-per-origin\" deleted");
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(kubectl.run("get", "pods,svc,cm", "-n", NS).ok().stderr())
                  .contains("No resources found in airline namespace.");
              assertThat(pids)
                  .allSatisfy(
                      pid ->
                          assertThat(
                                  ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                              .as("pid %d alive", pid)
                              .isFalse());
            });
  }

  @Test
  void manifestTheCrdRejectsIsRefusedByApply() throws Exception {
    StreamingJob job =
        Serialization.unmarshal(
            Files.readString(Path.of("../deploy/examples/flights-per-origin.yaml")),
            StreamingJob.class);
    job.getMetadata().setName("no-output-topic");
    job.getMetadata().setNamespace("default");
    job.getSpec().getKafka().setOutputTopic(null);
    Path bad = Files.writeString(runDir.resolve("no-output-topic.yaml"), Serialization.asYaml(job));

    Kubectl.Result refused = kubectl.run("apply", "-f", bad.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.stderr())
        .contains("The StreamingJob \"no-output-topic\" is invalid:")
        .contains("spec.kafka.outputTopic: Required value");
    assertThat(kubectl.run("get", "sj,pods", "-n", "default").ok().stderr())
        .contains("No resources found in default namespace.");
  }
}
