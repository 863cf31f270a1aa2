package dev.spate.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkConfKeys;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pods the operator renders — the driver pod and the executor pod template — carry the
 * "restricted" Pod Security Standard's settings and the job's pod settings. (The sandbox's {@code
 * PodSecurityRestricted} checks the same pods against every rule of the standard, and its API
 * server refuses a violating pod in a restricted namespace.)
 */
class PodShapeTest {

  private static final OperatorConfig CONFIG = OperatorConfig.defaults();

  private static JobPlan plan(String job) {
    return JobPlan.of(TestJobs.load(job), CONFIG, 2);
  }

  /** The pods of a plan: the driver pod and the executor template as Spark reads it (YAML). */
  private static List<Pod> renderedPods(JobPlan plan) {
    String template = SparkConfConfigMap.build(plan).getData().get(ExecutorPodTemplate.FILE);
    return List.of(DriverPod.build(plan), Serialization.unmarshal(template, Pod.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "full", "byo-app"})
  void everyRenderedPodIsRestricted(String job) {
    for (Pod pod : renderedPods(plan(job))) {
      PodSpec spec = pod.getSpec();
      assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(PodShape.SPARK_UID);
      assertThat(spec.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      assertThat(spec.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
      assertThat(spec.getHostPID()).isNotEqualTo(Boolean.TRUE);
      assertThat(spec.getHostIPC()).isNotEqualTo(Boolean.TRUE);
      List<Container> containers = new ArrayList<>(spec.getContainers());
      if (spec.getInitContainers() != null) {
        containers.addAll(spec.getInitContainers());
      }
      assertThat(containers).isNotEmpty();
      for (Container c : containers) {
        SecurityContext sc = c.getSecurityContext();
        assertThat(sc.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
        assertThat(sc.getPrivileged()).as(c.getName()).isNotEqualTo(Boolean.TRUE);
        assertThat(sc.getRunAsNonRoot()).as(c.getName()).isTrue();
        assertThat(sc.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
      }
      for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
        assertThat(v.getHostPath()).as(v.getName()).isNull();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "full"})
  void sparkReadsTheTemplateFromTheMountedConfFile(String job) {
    JobPlan plan = plan(job);
    Map<String, String> conf = SparkProperties.of(plan);
    assertThat(conf)
        .containsEntry(
            SparkConfKeys.EXECUTOR_POD_TEMPLATE_FILE,
            SparkProperties.CONF_DIR + "/" + ExecutorPodTemplate.FILE)
        .containsEntry(
            SparkConfKeys.EXECUTOR_POD_TEMPLATE_CONTAINER, ExecutorPodTemplate.CONTAINER);
    Pod driver = DriverPod.build(plan);
    String confVolume =
        driver.getSpec().getVolumes().stream()
            .filter(v -> v.getConfigMap() != null)
            .filter(v -> v.getConfigMap().getName().equals(plan.names().sparkConfConfigMap()))
            .findFirst()
            .orElseThrow()
            .getName();
    assertThat(driver.getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo(confVolume);
              assertThat(m.getMountPath()).isEqualTo(SparkProperties.CONF_DIR);
            });
    Pod template = renderedPods(plan).get(1);
    assertThat(template.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly(ExecutorPodTemplate.CONTAINER);
    assertThat(template.getSpec().getContainers().get(0).getImage())
        .as("Spark sets image, command, resources")
        .isNull();
  }

  @org.junit.jupiter.api.Test
  void podSettingsGoToTheDriverAndTheExecutorTemplateSeparately() {
    JobPlan plan = plan("full");
    Pod driver = DriverPod.build(plan);
    Pod executor = ExecutorPodTemplate.build(plan);

    assertThat(driver.getSpec().getNodeSelector())
        .containsExactly(Map.entry("pool", "streaming-control"));
    assertThat(driver.getSpec().getPriorityClassName()).isEqualTo("streaming-high");
    assertThat(driver.getSpec().getTolerations()).isNullOrEmpty();
    assertThat(driver.getSpec().getImagePullSecrets())
        .extracting("name")
        .containsExactly("registry-pull");
    assertThat(driver.getMetadata().getLabels())
        .containsEntry("team", "airline")
        .containsEntry(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .containsEntry(Labels.JOB, plan.name());
    assertThat(driver.getMetadata().getAnnotations())
        .containsEntry("example.com/owner", "airline-oncall")
        .containsKey(Labels.START_EXECUTORS);

    assertThat(executor.getSpec().getNodeSelector())
        .containsExactly(Map.entry("pool", "streaming"));
    assertThat(executor.getSpec().getPriorityClassName()).isEqualTo("streaming");
    assertThat(executor.getSpec().getTolerations())
        .singleElement()
        .satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
    assertThat(executor.getSpec().getAffinity().getPodAntiAffinity()).isNotNull();
    assertThat(executor.getSpec().getImagePullSecrets())
        .extracting("name")
        .containsExactly("registry-pull");
    assertThat(executor.getMetadata().getLabels()).containsExactly(Map.entry("team", "airline"));
  }

  @org.junit.jupiter.api.Test
  void spatesOwnLabelsWinOverAUsersLabel() {
    ExecutorSpec settings = new ExecutorSpec();
    settings.setLabels(Map.of(Labels.SPARK_ROLE, "mine", "team", "a"));
    Pod pod = DriverPod.build(plan("minimal"));
    PodShape.apply(pod, settings);
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .containsEntry("team", "a");
  }
}
