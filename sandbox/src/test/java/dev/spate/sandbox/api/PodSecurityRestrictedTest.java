package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.resources.DriverPod;
import dev.spate.operator.resources.ExecutorPodTemplate;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import dev.spate.sandbox.api.PodSecurityRestricted.Level;
import dev.spate.sandbox.api.PodSecurityRestricted.Violation;
import dev.spate.sandbox.demo.SandboxManifest;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Pod Security Standards checker on the pods the operator renders (the driver pod, and the
 * executor pod template merged the way Spark's executor feature steps build on it), on pods that
 * break each rule, and as the sandbox API server's admission in a restricted namespace.
 */
class PodSecurityRestrictedTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JobPlan plan(boolean withPodSettings) throws Exception {
    StreamingJob job = SandboxManifest.example();
    job.getMetadata().setUid("0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a");
    if (withPodSettings) {
      job.getSpec().getExecutor().setLabels(Map.of("team", "airline"));
      job.getSpec().getExecutor().setNodeSelector(Map.of("pool", "streaming"));
      job.getSpec()
          .getExecutor()
          .setTolerations(
              List.of(
                  new TolerationBuilder()
                      .withKey("dedicated")
                      .withOperator("Exists")
                      .withEffect("NoSchedule")
                      .build()));
      job.getSpec().getDriver().setPriorityClassName("streaming");
    }
    return JobPlan.of(job, OperatorConfig.defaults(), 2);
  }

  /**
   * An executor pod as Spark 3.5 builds it on a template ({@code BasicExecutorFeatureStep}: name,
   * labels, image, env, ports, resources, restart policy, owner; {@code LocalDirsFeatureStep}: an
   * emptyDir per local dir; {@code MountVolumesFeatureStep}: the checkpoint claim), keeping the
   * template's security contexts and scheduling fields. The sandbox's end-to-end test on a
   * restricted namespace proves the real merge.
   */
  static Pod executorAsSparkBuildsIt(Pod template, JobPlan plan) {
    Pod pod = new PodBuilder(template).build();
    var container =
        new ContainerBuilder(pod.getSpec().getContainers().get(0))
            .withImage(plan.image())
            .withImagePullPolicy("IfNotPresent")
            .withArgs("executor")
            .addNewEnv()
            .withName("SPARK_EXECUTOR_ID")
            .withValue("1")
            .endEnv()
            .addNewPort()
            .withName("spark-ui")
            .withContainerPort(4040)
            .endPort()
            .withNewResources()
            .addToRequests("cpu", new Quantity("2"))
            .addToLimits("memory", new Quantity("4505Mi"))
            .endResources()
            .addNewVolumeMount()
            .withName("spark-local-dir-1")
            .withMountPath("/var/data/spark-1")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName(SparkProperties.CHECKPOINT_VOLUME)
            .withMountPath(plan.checkpointMountPath())
            .endVolumeMount()
            .build();
    return new PodBuilder(pod)
        .editMetadata()
        .withName(plan.names().executorPodNamePrefix() + "-exec-1")
        .addToLabels("spark-role", "executor")
        .addToLabels("spark-exec-id", "1")
        .addToLabels("spate.dev/job", plan.name())
        .endMetadata()
        .editSpec()
        .withHostname(plan.names().executorPodNamePrefix() + "-exec-1")
        .withRestartPolicy("Never")
        .withContainers(container)
        .addNewVolume()
        .withName("spark-local-dir-1")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .addNewVolume()
        .withName(SparkProperties.CHECKPOINT_VOLUME)
        .withNewPersistentVolumeClaim()
        .withClaimName(plan.checkpointVolume().getClaimName())
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .build();
  }

  @Test
  void everyPodTheOperatorRendersMeetsTheRestrictedStandard() throws Exception {
    for (boolean settings : new boolean[] {false, true}) {
      JobPlan plan = plan(settings);
      assertThat(PodSecurityRestricted.check(DriverPod.build(plan))).as("driver").isEmpty();
      // the template as the driver reads it from the Spark conf ConfigMap
      String yaml = ExecutorPodTemplate.render(plan);
      Pod template = Serialization.unmarshal(yaml, Pod.class);
      assertThat(PodSecurityRestricted.check(template)).as("template").isEmpty();
      assertThat(PodSecurityRestricted.check(executorAsSparkBuildsIt(template, plan)))
          .as("executor")
          .isEmpty();
    }
  }

  @Test
  void anExecutorWithoutTheTemplateIsRefusedAsAnApiServerRefusesIt() throws Exception {
    JobPlan plan = plan(false);
    Pod sparkDefault =
        executorAsSparkBuildsIt(
            new PodBuilder()
                .withNewMetadata()
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("spark-kubernetes-executor")
                .endContainer()
                .endSpec()
                .build(),
            plan);

    List<Violation> violations = PodSecurityRestricted.check(sparkDefault);

    assertThat(
            PodSecurityRestricted.forbiddenMessage(
                "flights-per-origin-exec-1", Level.RESTRICTED, "latest", violations))
        .isEqualTo(
            "pods \"flights-per-origin-exec-1\" is forbidden: violates PodSecurity"
                + " \"restricted:latest\": allowPrivilegeEscalation != false (container"
                + " \"spark-kubernetes-executor\" must set"
                + " securityContext.allowPrivilegeEscalation=false), unrestricted capabilities"
                + " (container \"spark-kubernetes-executor\" must set"
                + " securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or"
                + " container \"spark-kubernetes-executor\" must set"
                + " securityContext.runAsNonRoot=true), seccompProfile (pod or container"
                + " \"spark-kubernetes-executor\" must set securityContext.seccompProfile.type to"
                + " \"RuntimeDefault\" or \"Localhost\")");
    assertThat(PodSecurityRestricted.check(JSON.valueToTree(sparkDefault), Level.BASELINE))
        .as("the baseline level admits it")
        .isEmpty();
  }

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void eachRuleOfTheStandardIsChecked() throws Exception {
    JsonNode pod =
        json(
            """
            {"metadata": {"name": "bad", "annotations": {
               "container.apparmor.security.beta.kubernetes.io/a": "unconfined"}},
             "spec": {"hostNetwork": true, "hostPID": true,
              "securityContext": {"runAsNonRoot": false, "runAsUser": 0,
                                  "seccompProfile": {"type": "Unconfined"},
                                  "sysctls": [{"name": "kernel.msgmax", "value": "1"},
                                              {"name": "net.ipv4.tcp_syncookies", "value": "1"}]},
              "volumes": [{"name": "host", "hostPath": {"path": "/"}},
                          {"name": "nfs", "nfs": {"server": "s", "path": "/"}},
                          {"name": "tmp", "emptyDir": {}}],
              "initContainers": [{"name": "init", "securityContext": {
                 "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}],
              "containers": [{"name": "a", "ports": [{"containerPort": 80, "hostPort": 80}],
                "securityContext": {"privileged": true, "procMount": "Unmasked",
                  "seLinuxOptions": {"type": "spc_t"},
                  "capabilities": {"add": ["SYS_ADMIN", "NET_BIND_SERVICE"]}}}]}}
            """);

    List<Violation> restricted = PodSecurityRestricted.check(pod);

    assertThat(restricted)
        .extracting(Violation::reason)
        .containsExactly(
            "forbidden AppArmor profile",
            "host namespaces",
            "hostPath volumes",
            "hostPort",
            "privileged",
            "procMount",
            "seLinuxOptions",
            "forbidden sysctls",
            "allowPrivilegeEscalation != false",
            "unrestricted capabilities",
            "restricted volume types",
            "runAsNonRoot != true",
            "runAsUser=0",
            "seccompProfile");
    assertThat(restricted)
        .extracting(Violation::toString)
        .contains(
            "host namespaces (hostNetwork=true, hostPID=true)",
            "hostPath volumes (volume \"host\")",
            "hostPort (container \"a\" uses hostPort 80)",
            "privileged (container \"a\" must not set securityContext.privileged=true)",
            "forbidden sysctls (kernel.msgmax)",
            "allowPrivilegeEscalation != false (container \"a\" must set"
                + " securityContext.allowPrivilegeEscalation=false)",
            "unrestricted capabilities (container \"a\" must set"
                + " securityContext.capabilities.drop=[\"ALL\"]; container \"a\" must not include"
                + " \"SYS_ADMIN\" in securityContext.capabilities.add)",
            "restricted volume types (volume \"host\" uses restricted volume type \"hostPath\";"
                + " volume \"nfs\" uses restricted volume type \"nfs\")",
            "runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false; pod or"
                + " containers \"init\", \"a\" must set securityContext.runAsNonRoot=true)",
            "runAsUser=0 (pod must not set runAsUser=0)",
            "seccompProfile (pod must not set securityContext.seccompProfile.type to"
                + " \"Unconfined\"; pod or containers \"init\", \"a\" must set"
                + " securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
    assertThat(PodSecurityRestricted.check(pod, Level.BASELINE))
        .extracting(Violation::reason)
        .containsExactly(
            "forbidden AppArmor profile",
            "non-default capabilities",
            "host namespaces",
            "hostPath volumes",
            "hostPort",
            "privileged",
            "procMount",
            "seLinuxOptions",
            "seccompProfile",
            "forbidden sysctls");
    assertThat(PodSecurityRestricted.check(pod, Level.PRIVILEGED)).isEmpty();
  }

  @Test
  void containerSettingsCountWhereThePodLeavesThemOpen() throws Exception {
    JsonNode perContainer =
        json(
            """
            {"metadata": {"name": "ok"}, "spec": {"containers": [{"name": "c", "securityContext": {
               "runAsNonRoot": true, "allowPrivilegeEscalation": false,
               "capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]},
               "seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}}}]}}
            """);
    assertThat(PodSecurityRestricted.check(perContainer)).isEmpty();

    JsonNode oneOfTwoOpen =
        json(
            """
            {"metadata": {"name": "half"}, "spec": {"containers": [
              {"name": "c", "securityContext": {"runAsNonRoot": true,
                 "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]},
                 "seccompProfile": {"type": "RuntimeDefault"}}},
              {"name": "d"}, {"name": "e"}]}}
            """);
    assertThat(PodSecurityRestricted.check(oneOfTwoOpen))
        .extracting(Violation::toString)
        .containsExactly(
            "allowPrivilegeEscalation != false (containers \"d\", \"e\" must set"
                + " securityContext.allowPrivilegeEscalation=false)",
            "unrestricted capabilities (containers \"d\", \"e\" must set"
                + " securityContext.capabilities.drop=[\"ALL\"])",
            "runAsNonRoot != true (pod or containers \"d\", \"e\" must set"
                + " securityContext.runAsNonRoot=true)",
            "seccompProfile (pod or containers \"d\", \"e\" must set"
                + " securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
  }

  @Test
  void theApiServerRefusesAViolatingPodInARestrictedNamespaceOnly() throws Exception {
    try (SandboxApiServer api = SandboxApiServer.start(false)) {
      KubernetesClient client = api.client();
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName("locked")
                  .addToLabels(SandboxDispatcher.ENFORCE_LABEL, "restricted")
                  .endMetadata()
                  .build())
          .create();
      Pod bare =
          new PodBuilder()
              .withNewMetadata()
              .withName("x")
              .endMetadata()
              .withNewSpec()
              .addNewContainer()
              .withName("c")
              .withImage("spark")
              .endContainer()
              .endSpec()
              .build();

      assertThatThrownBy(() -> client.pods().inNamespace("locked").resource(bare).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(403);
                assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                assertThat(e.getStatus().getMessage())
                    .startsWith(
                        "pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\":"
                            + " allowPrivilegeEscalation != false (container \"c\" must set"
                            + " securityContext.allowPrivilegeEscalation=false), unrestricted"
                            + " capabilities");
              });
      assertThat(client.pods().inNamespace("locked").withName("x").get()).isNull();

      JobPlan plan = plan(true);
      Pod driver = DriverPod.build(plan);
      driver.getMetadata().setNamespace("locked");
      assertThat(
              client.pods().inNamespace("locked").resource(driver).create().getStatus().getPhase())
          .isEqualTo("Pending");

      assertThat(client.pods().inNamespace("open").resource(bare).create().getMetadata().getName())
          .as("a namespace without the label admits any pod")
          .isEqualTo("x");
    }
  }
}
