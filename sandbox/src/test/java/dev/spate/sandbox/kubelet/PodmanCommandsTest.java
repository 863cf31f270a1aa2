package dev.spate.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodmanCommandsTest {

  private static Pod pod(Container c, boolean restricted) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withNamespace("ns")
            .withName("job-driver")
            .withUid("00000000-0000-0000-0000-000000000042")
            .endMetadata()
            .withNewSpec()
            .withTerminationGracePeriodSeconds(20L)
            .withContainers(c)
            .endSpec();
    if (restricted) {
      b.editSpec()
          .withNewSecurityContext()
          .withRunAsNonRoot(true)
          .withRunAsUser(185L)
          .withRunAsGroup(185L)
          .withFsGroup(185L)
          .withNewSeccompProfile()
          .withType("RuntimeDefault")
          .endSeccompProfile()
          .endSecurityContext()
          .endSpec();
    }
    return b.build();
  }

  private static ContainerBuilder container() {
    return new ContainerBuilder().withName("c").withImage("img:1");
  }

  @Test
  void restrictedPodMapsOntoPodmanOptions() throws Exception {
    Container c =
        container()
            .withArgs("driver", "--class", "Main", "app.jar")
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .withAdd("net_bind_service")
            .endCapabilities()
            .endSecurityContext()
            .withNewResources()
            .withLimits(Map.of("memory", new Quantity("896Mi"), "cpu", new Quantity("1500m")))
            .endResources()
            .build();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPARK_DRIVER_BIND_ADDRESS", "127.0.0.1");
    List<String> cmd =
        PodmanCommands.run(
            "podman",
            pod(c, true),
            c,
            "spate-ns-job-driver-000000000042",
            env,
            List.of(new PodmanCommands.Mount("/opt/spate/conf", "/host/conf", true)),
            c.getArgs(),
            77,
            image -> {
              throw new AssertionError("image user not needed when runAsUser is set");
            });
    String line = String.join(" ", cmd);
    assertThat(line)
        .startsWith("podman run --rm --pull=never --name spate-ns-job-driver-000000000042")
        .contains("--network host")
        .contains("--label dev.spate.sandbox.pid=77")
        .contains("--stop-timeout 20")
        .contains("--user 185:185")
        .contains("--group-add 185")
        .contains("--read-only --read-only-tmpfs=false")
        .contains("--cap-drop ALL")
        .contains("--cap-add NET_BIND_SERVICE")
        .contains("--security-opt no-new-privileges")
        .doesNotContain("seccomp=")
        .contains("--memory 939524096 --memory-swap 939524096")
        .contains("--cpus 1.5")
        .contains("--volume /host/conf:/opt/spate/conf:ro")
        .contains("--env SPARK_DRIVER_BIND_ADDRESS=127.0.0.1")
        .endsWith("img:1 driver --class Main app.jar");
  }

  @Test
  void noSecurityContextRunsUnconfinedAsTheImageUser() throws Exception {
    Container c = container().withCommand("/bin/sh", "-c").withArgs("echo \"hi\"").build();
    List<String> cmd =
        PodmanCommands.run(
            "podman", pod(c, false), c, "n", Map.of(), List.of(), c.getArgs(), 1, image -> "");
    assertThat(cmd).doesNotContain("--user", "--read-only", "--cap-drop");
    assertThat(String.join(" ", cmd))
        .contains("--security-opt seccomp=unconfined")
        .contains("--stop-timeout 20")
        .contains("--entrypoint [\"/bin/sh\",\"-c\"] img:1 echo \"hi\"");
  }

  @Test
  void runAsNonRootIsCheckedAgainstTheImageUser() throws Exception {
    Container c =
        container().withNewSecurityContext().withRunAsNonRoot(true).endSecurityContext().build();
    Pod p = pod(c, false);
    assertThat(PodmanCommands.securityOptions(p, c, image -> "185")).doesNotContain("--user");
    assertThatThrownBy(() -> PodmanCommands.securityOptions(p, c, image -> ""))
        .isInstanceOf(PodStartException.class)
        .hasMessageContaining("image will run as root");
    assertThatThrownBy(() -> PodmanCommands.securityOptions(p, c, image -> "0:0"))
        .hasMessageContaining("image will run as root");
    assertThatThrownBy(() -> PodmanCommands.securityOptions(p, c, image -> "spark"))
        .hasMessageContaining("non-numeric user (spark)");
    Container root =
        container()
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(0L)
            .endSecurityContext()
            .build();
    assertThatThrownBy(() -> PodmanCommands.securityOptions(pod(root, false), root, i -> "185"))
        .hasMessageContaining("non-root");
  }

  @Test
  void containerSettingsWinOverThePods() throws Exception {
    Container c =
        container()
            .withNewSecurityContext()
            .withRunAsUser(1000L)
            .withNewSeccompProfile()
            .withType("Localhost")
            .withLocalhostProfile("profiles/spark.json")
            .endSeccompProfile()
            .endSecurityContext()
            .build();
    assertThat(String.join(" ", PodmanCommands.securityOptions(pod(c, true), c, i -> "")))
        .contains("--user 1000:185")
        .contains("--security-opt seccomp=profiles/spark.json");
  }

  @Test
  void containerNamesDifferPerPodUid() {
    Container c = container().build();
    Pod a = pod(c, false);
    Pod b = pod(c, false);
    b.getMetadata().setUid("00000000-0000-0000-0000-000000000043");
    assertThat(PodmanCommands.containerName(a)).isEqualTo("spate-ns-job-driver-000000000042");
    assertThat(PodmanCommands.containerName(b)).isNotEqualTo(PodmanCommands.containerName(a));
  }
}
