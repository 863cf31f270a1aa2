package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.api.PodSecurityRestricted;
import dev.spate.sandbox.api.SandboxDispatcher;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo scenario with assertions (issue 4, "End-to-end tests"): the real operator, real Spark
 * with its Kubernetes backend, a real broker; the StreamingJob reaches Running with its executors
 * ready, the output equals the totals computed independently from the file, the consumer group's
 * committed offsets equal the end offsets, the operator's {@code status.kafka.lag} reaches 0 with a
 * {@code status.kafka.committedBatchId}, every pod meets the "restricted" Pod Security Standard its
 * namespace enforces (executors built by Spark from the operator's pod template, Running), and
 * deleting the StreamingJob removes driver, executors and their processes.
 */
class SandboxEndToEndTest {

  @Test
  void flightsPerOriginEndToEnd() throws Exception {
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    assertThat(data.records()).hasSize(20_000);
    assertThat(data.totals()).hasSize(220);
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("e2e-" + System.currentTimeMillis())
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    Sandbox.Options options =
        new Sandbox.Options(defaults.sparkHome(), runDir, false, defaults.kafkaPollInterval());
    try (Sandbox sandbox = Sandbox.start(options)) {
      DemoScenario scenario = new DemoScenario(sandbox, data, System.out, Duration.ofMinutes(4));
      DemoScenario.Result result = scenario.run();

      assertThat(result.reason()).isEmpty();
      assertThat(result.ok()).isTrue();
      assertThat(result.recordsIn()).isEqualTo(20_000);
      assertThat(result.keysOut()).isEqualTo(220);
      assertThat(result.keysMatching()).isEqualTo(220);
      assertThat(result.lag()).isZero();
      assertThat(result.operatorLag()).as("status.kafka.lag when the demo ended").isZero();

      StreamingJob job = scenario.manifest();
      String ns = job.getMetadata().getNamespace();
      String name = job.getMetadata().getName();
      await()
          .atMost(DemoScenario.operatorLagBound(sandbox.kafkaPollInterval()))
          .untilAsserted(
              () -> {
                var kafka =
                    sandbox
                        .client()
                        .resources(StreamingJob.class)
                        .inNamespace(ns)
                        .withName(name)
                        .get()
                        .getStatus()
                        .getKafka();
                assertThat(kafka).isNotNull();
                assertThat(kafka.getLag()).as("status.kafka.lag").isZero();
                assertThat(kafka.getCommittedBatchId())
                    .as("status.kafka.committedBatchId")
                    .isNotNull()
                    .isNotNegative();
              });
      assertThat(result.maxReadyExecutors())
          .as("executors ready = desired while Running")
          .isPositive();
      assertThat(sandbox.kubelet().liveProcesses())
          .hasSizeGreaterThanOrEqualTo(1 + result.maxReadyExecutors());

      // the namespace enforces the restricted Pod Security Standard (the sandbox API refuses a
      // violating pod with 403), and Spark built every executor from the operator's template
      assertThat(sandbox.client().namespaces().withName(ns).get().getMetadata().getLabels())
          .containsEntry(SandboxDispatcher.ENFORCE_LABEL, "restricted");
      List<Pod> pods = sandbox.client().pods().inNamespace(ns).list().getItems();
      List<Pod> executors =
          pods.stream()
              .filter(p -> "executor".equals(p.getMetadata().getLabels().get("spark-role")))
              .toList();
      assertThat(executors).isNotEmpty();
      assertThat(pods)
          .allSatisfy(
              p -> {
                assertThat(PodSecurityRestricted.check(p)).as(p.getMetadata().getName()).isEmpty();
                assertThat(p.getMetadata().getLabels())
                    .as("spec.driver/spec.executor labels of the example")
                    .containsEntry("app.kubernetes.io/part-of", "airline-delays");
              });
      assertThat(executors)
          .allSatisfy(
              p -> {
                assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                assertThat(p.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
                assertThat(
                        p.getSpec()
                            .getContainers()
                            .get(0)
                            .getSecurityContext()
                            .getAllowPrivilegeEscalation())
                    .isFalse();
              });

      sandbox.client().resources(StreamingJob.class).inNamespace(ns).withName(name).delete();

      List<Long> pids = List.copyOf(sandbox.kubelet().startedProcesses().keySet());
      // a deleted pod leaves the kubelet's map at once; its JVM ends after SIGTERM: wait for the
      // pids
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(sandbox.client().pods().inNamespace(ns).list().getItems()).isEmpty();
                assertThat(sandbox.kubelet().liveProcesses()).isEmpty();
                assertThat(pids)
                    .allSatisfy(
                        pid ->
                            assertThat(
                                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                                .as("pid %d alive", pid)
                                .isFalse());
              });
    }
  }
}
