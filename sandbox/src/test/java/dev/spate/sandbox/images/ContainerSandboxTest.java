package dev.spate.sandbox.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.demo.DemoScenario;
import dev.spate.sandbox.demo.FlightTotals;
import dev.spate.sandbox.kubelet.PodRuntime;
import dev.spate.sandbox.kubelet.PodmanCommands;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo scenario with the sandbox kubelet's podman runtime: the operator renders driver pods,
 * Spark's Kubernetes backend renders executor pods, and each runs as a container of the Spark image
 * (deploy/spark.Dockerfile on the stand-in base) with its own args, env, volumes, limits and
 * securityContext. Checks the output as the JVM-mode end-to-end test does, then looks inside the
 * running driver and executor containers (the executors built by Spark from the operator's pod
 * template): uid 185, no capabilities, no_new_privs, a seccomp filter.
 */
class ContainerSandboxTest {

  @BeforeAll
  static void images() throws Exception {
    StandinImages.ensureBuilt();
  }

  @Test
  void flightsPerOriginInContainers() throws Exception {
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("podman-" + System.currentTimeMillis())
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    Sandbox.Options options =
        new Sandbox.Options(defaults.sparkHome(), runDir, false, defaults.kafkaPollInterval())
            .withRuntime(PodRuntime.PODMAN);
    try (Sandbox sandbox = Sandbox.start(options)) {
      DemoScenario scenario = new DemoScenario(sandbox, data, System.out, Duration.ofMinutes(5));
      DemoScenario.Result result = scenario.run();

      assertThat(result.reason()).isEmpty();
      assertThat(result.ok()).isTrue();
      assertThat(result.keysMatching()).isEqualTo(220);
      assertThat(result.lag()).isZero();

      StreamingJob job = scenario.manifest();
      String ns = job.getMetadata().getNamespace();
      Pod driver =
          sandbox
              .client()
              .pods()
              .inNamespace(ns)
              .withLabel("spark-role", "driver")
              .list()
              .getItems()
              .get(0);
      assertThat(driver.getSpec().getContainers().get(0).getImage())
          .isEqualTo(Sandbox.CONTAINER_SPARK_IMAGE);
      String name = PodmanCommands.containerName(driver);
      String status = StandinImages.podman("exec", name, "cat", "/proc/1/status");
      System.out.println("CONTAINER driver " + name + " /proc/1/status:\n" + status);
      assertThat(status)
          .containsPattern("(?m)^Uid:\\s+185\\s+185\\s+185\\s+185$")
          .containsPattern("(?m)^Gid:\\s+185\\s+185\\s+185\\s+185$")
          .containsPattern("(?m)^CapEff:\\s+0+$")
          .containsPattern("(?m)^CapBnd:\\s+0+$")
          .containsPattern("(?m)^NoNewPrivs:\\s+1$")
          .containsPattern("(?m)^Seccomp:\\s+2$");
      List<Pod> executors =
          sandbox
              .client()
              .pods()
              .inNamespace(ns)
              .withLabel("spark-role", "executor")
              .list()
              .getItems();
      assertThat(executors).isNotEmpty();
      for (Pod executor : executors) {
        String executorStatus =
            StandinImages.podman(
                "exec", PodmanCommands.containerName(executor), "cat", "/proc/1/status");
        System.out.println(
            "CONTAINER executor "
                + executor.getMetadata().getName()
                + ": "
                + executorStatus
                    .lines()
                    .filter(l -> l.matches("^(Uid|CapEff|NoNewPrivs|Seccomp):.*"))
                    .toList());
        // built by Spark from the operator's executor pod template: restricted, like the driver
        assertThat(executorStatus)
            .as(executor.getMetadata().getName())
            .containsPattern("(?m)^Uid:\\s+185\\s+185\\s+185\\s+185$")
            .containsPattern("(?m)^CapEff:\\s+0+$")
            .containsPattern("(?m)^NoNewPrivs:\\s+1$")
            .containsPattern("(?m)^Seccomp:\\s+2$");
      }

      sandbox
          .client()
          .resources(StreamingJob.class)
          .inNamespace(ns)
          .withName(job.getMetadata().getName())
          .delete();
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(sandbox.client().pods().inNamespace(ns).list().getItems()).isEmpty();
                assertThat(sandbox.kubelet().liveProcesses()).isEmpty();
                assertThat(
                        StandinImages.podman(
                            "ps",
                            "-q",
                            "--filter",
                            "label="
                                + PodmanCommands.LABEL_SANDBOX_PID
                                + "="
                                + ProcessHandle.current().pid()))
                    .isEmpty();
              });
    }
  }
}
