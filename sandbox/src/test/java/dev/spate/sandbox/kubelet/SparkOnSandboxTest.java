package dev.spate.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.sandbox.api.SandboxApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stage-1 end to end, without the operator: a driver Pod created by hand (as the operator will)
 * runs a real Spark application in client mode through the process kubelet; Spark's own Kubernetes
 * backend creates two executor pods, which run as JVMs, register and run tasks; the driver
 * finishes, Spark deletes its executors, and every process is gone.
 */
class SparkOnSandboxTest {

  private static final String NS = "spark-e2e";

  @ParameterizedTest(name = "https={0}")
  @ValueSource(booleans = {false, true})
  void sparkApplicationRunsWithTwoExecutorPodsAndLeavesNoProcess(boolean https) throws IOException {
    Path sparkHome =
        Path.of(System.getProperty("spate.sandbox.sparkHome", "../spark-dist/target/spark-home"));
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("spark-e2e-" + (https ? "https-" : "http-") + System.currentTimeMillis());
    String appJar;
    try (Stream<Path> jars = Files.list(sparkHome.resolve("examples/jars"))) {
      appJar =
          jars.map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("spate-spark-dist-"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("build spark-dist first"));
    }
    Map<String, Set<String>> executorPhases = new ConcurrentHashMap<>();
    SandboxApiServer api = SandboxApiServer.start(https);
    ProcessKubelet kubelet = null;
    try {
      KubernetesClient client = api.client();
      kubelet =
          ProcessKubelet.start(
              client, ProcessKubelet.Config.defaults(sparkHome, runDir, api.url(), https));
      ProcessKubelet k = kubelet;
      Watch watch =
          client
              .pods()
              .inNamespace(NS)
              .withLabel("spark-role", "executor")
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod pod) {
                      if (pod.getStatus() != null && pod.getStatus().getPhase() != null) {
                        executorPhases
                            .computeIfAbsent(
                                pod.getMetadata().getName(), k -> ConcurrentHashMap.newKeySet())
                            .add(pod.getStatus().getPhase());
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
      client
          .configMaps()
          .inNamespace(NS)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("pi-driver-conf")
                  .endMetadata()
                  .addToData(
                      "spark.properties",
                      String.join(
                          "\n",
                          "spark.app.name=sandbox-pi",
                          // what a cluster-mode submission would say; the sandbox overrides these
                          // three
                          "spark.master=k8s://https://kubernetes.default.svc",
                          "spark.driver.host=pi-driver-svc." + NS + ".svc",
                          "spark.kubernetes.submitInDriver=true",
                          "spark.kubernetes.namespace=" + NS,
                          "spark.kubernetes.driver.pod.name=pi-driver",
                          "spark.kubernetes.container.image=apache/spark:3.5.3",
                          "spark.kubernetes.executor.podNamePrefix=pi",
                          "spark.executor.instances=2",
                          "spark.executor.cores=1",
                          "spark.executor.memory=512m",
                          "spark.driver.memory=512m",
                          "spark.ui.enabled=false",
                          ""))
                  .build())
          .create();
      client
          .pods()
          .inNamespace(NS)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("pi-driver")
                  .addToLabels("spark-role", "driver")
                  .endMetadata()
                  .withNewSpec()
                  .withTerminationGracePeriodSeconds(5L)
                  .addNewContainer()
                  .withName("spark-kubernetes-driver")
                  .withImage("apache/spark:3.5.3")
                  .withArgs(
                      "driver",
                      "--properties-file",
                      "/opt/spark/conf/spark.properties",
                      "--class",
                      "dev.spate.sparkdist.SandboxPi",
                      "local:///opt/spark/examples/jars/" + appJar,
                      "8",
                      "/results/pi.txt")
                  .addNewEnv()
                  .withName("SPARK_DRIVER_BIND_ADDRESS")
                  .withNewValueFrom()
                  .withNewFieldRef()
                  .withFieldPath("status.podIP")
                  .endFieldRef()
                  .endValueFrom()
                  .endEnv()
                  .addNewEnv()
                  .withName("SPARK_LOCAL_DIRS")
                  .withValue("/var/data/spark-local")
                  .endEnv()
                  .addNewVolumeMount()
                  .withName("spark-conf")
                  .withMountPath("/opt/spark/conf")
                  .endVolumeMount()
                  .addNewVolumeMount()
                  .withName("local")
                  .withMountPath("/var/data/spark-local")
                  .endVolumeMount()
                  .addNewVolumeMount()
                  .withName("results")
                  .withMountPath("/results")
                  .endVolumeMount()
                  .endContainer()
                  .addNewVolume()
                  .withName("spark-conf")
                  .withNewConfigMap()
                  .withName("pi-driver-conf")
                  .endConfigMap()
                  .endVolume()
                  .addNewVolume()
                  .withName("local")
                  .withNewEmptyDir()
                  .endEmptyDir()
                  .endVolume()
                  .addNewVolume()
                  .withName("results")
                  .withNewPersistentVolumeClaim()
                  .withClaimName("results")
                  .endPersistentVolumeClaim()
                  .endVolume()
                  .endSpec()
                  .build())
          .create();

      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Pod driver = client.pods().inNamespace(NS).withName("pi-driver").get();
                String phase = driver.getStatus().getPhase();
                return phase.equals("Succeeded") || phase.equals("Failed");
              });
      Pod driver = client.pods().inNamespace(NS).withName("pi-driver").get();
      assertThat(driver.getStatus().getPhase())
          .as("driver log: %s", kubelet.workspace(NS, "pi-driver").resolve("stderr.log"))
          .isEqualTo("Succeeded");
      assertThat(
              driver
                  .getStatus()
                  .getContainerStatuses()
                  .get(0)
                  .getState()
                  .getTerminated()
                  .getExitCode())
          .isZero();

      String result =
          Files.readString(runDir.resolve("volumes/pvc").resolve(NS).resolve("results/pi.txt"));
      assertThat(result).matches("pi=3\\.1\\d+ tasks=8 executors=1,2\\s*");
      assertThat(executorPhases.keySet()).hasSize(2).allMatch(n -> n.startsWith("pi-exec-"));
      assertThat(executorPhases.values())
          .allSatisfy(phases -> assertThat(phases).contains("Pending", "Running"));

      // Spark deletes its executor pods when the application stops; the kubelet stops their JVMs
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(
                        client
                            .pods()
                            .inNamespace(NS)
                            .withLabel("spark-role", "executor")
                            .list()
                            .getItems())
                    .isEmpty();
                assertThat(stillAlive(k)).isEmpty();
              });
      assertThat(kubelet.startedProcesses()).hasSize(3);
      watch.close();
    } finally {
      if (kubelet != null) {
        kubelet.close();
      }
      api.close();
    }
    assertThat(stillAlive(kubelet)).isEmpty();
  }

  private static List<Long> stillAlive(ProcessKubelet kubelet) {
    return kubelet.startedProcesses().keySet().stream()
        .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .toList();
  }
}
