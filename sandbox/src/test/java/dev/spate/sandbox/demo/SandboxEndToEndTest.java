package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
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
 * {@code status.kafka.committedBatchId}, and deleting the StreamingJob removes driver, executors
 * and their processes. Spark authentication and RPC encryption are on (the operator's defaults):
 * the executors that ran the tasks took the job's key from its Secret.
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

      // the executors above ran the query's tasks, so they authenticated to the driver with the
      // job's key and spoke encrypted RPC: the key came from the job's Secret, and the pod spec
      // holds only the reference to it
      String conf =
          sandbox
              .client()
              .configMaps()
              .inNamespace(ns)
              .withName(name + "-spark-conf")
              .get()
              .getData()
              .get("spark.properties");
      assertThat(conf)
          .contains("spark.authenticate=true")
          .contains("spark.network.crypto.enabled=true")
          .contains("spark.ui.killEnabled=false");
      List<Pod> executors =
          sandbox
              .client()
              .pods()
              .inNamespace(ns)
              .withLabel("spark-role", "executor")
              .list()
              .getItems();
      assertThat(executors)
          .isNotEmpty()
          .allSatisfy(
              p ->
                  assertThat(p.getSpec().getContainers().get(0).getEnv())
                      .filteredOn(e -> e.getName().equals("_SPARK_AUTH_SECRET"))
                      .singleElement()
                      .satisfies(
                          e -> {
                            assertThat(e.getValue()).isNull();
                            assertThat(e.getValueFrom().getSecretKeyRef().getName())
                                .isEqualTo(name + "-spark-auth");
                          }));

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
