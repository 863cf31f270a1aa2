package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.sandbox.api.SandboxApiServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The "never two drivers" check of the end-to-end tests can fail: two driver pods of two attempts
 * alive at once, and two driver JVMs alive at once, are counted as two.
 */
class DriverWatchTest {

  @Test
  void countsTwoLiveDriverPodsAndTwoDriverJvmsAtOnce() throws Exception {
    Map<Long, String> processes = new ConcurrentHashMap<>();
    List<Process> started = new java.util.ArrayList<>();
    try (SandboxApiServer api = SandboxApiServer.start(false)) {
      KubernetesClient client = api.client();
      try (DriverWatch watch = new DriverWatch(client, "two", () -> processes)) {
        for (int attempt = 1; attempt <= 2; attempt++) {
          String name = "job-driver-" + attempt;
          client
              .pods()
              .inNamespace("two")
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName(name)
                      .addToLabels("spark-role", "driver")
                      .endMetadata()
                      .withNewSpec()
                      .addNewContainer()
                      .withName("spark-kubernetes-driver")
                      .withImage("spark")
                      .endContainer()
                      .endSpec()
                      .build())
              .create();
          Process jvm = new ProcessBuilder("sleep", "60").start();
          started.add(jvm);
          processes.put(jvm.pid(), "two/" + name);
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  assertThat(watch.maxDriverPods()).isEqualTo(2);
                  assertThat(watch.maxDriverProcesses()).isEqualTo(2);
                });
      }
    } finally {
      for (Process p : started) {
        p.destroyForcibly().waitFor();
      }
    }
  }
}
