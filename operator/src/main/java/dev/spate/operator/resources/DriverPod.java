package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.decide.SparkMemory;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The driver Pod {@code <job>-driver-<attempt>}, as spark-submit's Kubernetes cluster mode builds
 * it ({@code BasicDriverFeatureStep}, {@code DriverCommandFeatureStep}): the Spark image's
 * entrypoint runs {@code driver --properties-file <conf> --class <main> <jar> <args>}, {@code
 * SPARK_DRIVER_BIND_ADDRESS} comes from {@code status.podIP}, and since {@code
 * spark.kubernetes.driver.pod.name} names this pod, Spark makes it the owner of every executor pod.
 *
 * <p>Memory request = limit = memory + Spark's overhead ({@link SparkMemory}); CPU request = {@code
 * spark.driver.cores}, no CPU limit (Spark's default). The pod meets the "restricted" Pod Security
 * Standard. It is created and deleted by the reconciler, never updated: a running driver is not
 * changed in place (Pod specs are immutable), and a pod of an earlier spec is left running. Each
 * attempt has its own name ({@link JobNames#driverPod(int)}).
 */
public final class DriverPod {

  /** The driver container's name (Spark's {@code DEFAULT_DRIVER_CONTAINER_NAME}). */
  public static final String CONTAINER = "spark-kubernetes-driver";

  /** UID of the {@code spark} user in the official Spark images. */
  public static final long SPARK_UID = 185L;

  private DriverPod() {}

  /**
   * The driver Pod for a plan, owned by its job.
   *
   * @param plan the resolved job
   * @param job the owning StreamingJob (owner reference)
   * @return the pod
   * @throws IllegalArgumentException when a memory string of the plan is malformed
   */
  public static Pod build(JobPlan plan, StreamingJob job) {
    return Owned.ownedBy(build(plan), job);
  }

  /**
   * The driver Pod for a plan.
   *
   * @param plan the resolved job
   * @return the pod
   * @throws IllegalArgumentException when a memory string of the plan is malformed
   */
  public static Pod build(JobPlan plan) {
    Quantity memory =
        SparkMemory.containerMemory(
            SparkMemory.Role.DRIVER, plan.driverMemory(), plan.userSparkConf());
    List<String> args =
        new ArrayList<>(
            List.of(
                "driver",
                "--properties-file",
                SparkProperties.CONF_DIR + "/" + SparkProperties.CONF_FILE,
                "--class",
                plan.mainClass(),
                plan.jar()));
    args.addAll(plan.args());

    List<Volume> volumes = new ArrayList<>();
    List<VolumeMount> mounts = new ArrayList<>();
    volumes.add(
        new VolumeBuilder()
            .withName("spark-conf")
            .withNewConfigMap()
            .withName(plan.names().sparkConfConfigMap())
            .endConfigMap()
            .build());
    mounts.add(
        new VolumeMountBuilder()
            .withName("spark-conf")
            .withMountPath(SparkProperties.CONF_DIR)
            .withReadOnly(true)
            .build());
    plan.clientConfigSecret()
        .ifPresent(
            secret -> {
              volumes.add(
                  new VolumeBuilder()
                      .withName("kafka-client")
                      .withNewSecret()
                      .withSecretName(secret.getName())
                      .addNewItem()
                      .withKey(plan.clientConfigKey())
                      .withPath(plan.clientConfigKey())
                      .endItem()
                      .withDefaultMode(0440)
                      .endSecret()
                      .build());
              mounts.add(
                  new VolumeMountBuilder()
                      .withName("kafka-client")
                      .withMountPath(SparkProperties.KAFKA_CLIENT_DIR)
                      .withReadOnly(true)
                      .build());
            });
    if (plan.checkpointVolume() != null) {
      volumes.add(
          new VolumeBuilder()
              .withName(SparkProperties.CHECKPOINT_VOLUME)
              .withNewPersistentVolumeClaim()
              .withClaimName(plan.checkpointVolume().getClaimName())
              .endPersistentVolumeClaim()
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName(SparkProperties.CHECKPOINT_VOLUME)
              .withMountPath(plan.checkpointMountPath())
              .build());
    }
    volumes.add(
        new VolumeBuilder().withName("spark-local-dir").withNewEmptyDir().endEmptyDir().build());
    mounts.add(
        new VolumeMountBuilder()
            .withName("spark-local-dir")
            .withMountPath("/var/data/spark-local-dir")
            .build());

    // the checkpoint's S3 credentials: values stay in their Secret (hadoop-aws's default chain
    // reads the environment)
    List<EnvVar> credentials = new ArrayList<>();
    plan.checkpointCredentialKeys()
        .forEach(
            (env, key) ->
                credentials.add(
                    new EnvVarBuilder()
                        .withName(env)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(plan.checkpointCredentials().getName())
                        .withKey(key)
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build()));

    Container driver =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(plan.image())
            .withImagePullPolicy("IfNotPresent")
            .withArgs(args)
            .addNewEnv()
            .withName("SPARK_DRIVER_BIND_ADDRESS")
            .withNewValueFrom()
            .withNewFieldRef()
            .withApiVersion("v1")
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("SPARK_LOCAL_DIRS")
            .withValue("/var/data/spark-local-dir")
            .endEnv()
            .addNewEnv()
            .withName("SPARK_CONF_DIR")
            .withValue(SparkProperties.CONF_DIR)
            .endEnv()
            .addAllToEnv(credentials)
            .addNewPort()
            .withName("driver-rpc-port")
            .withContainerPort(SparkProperties.DRIVER_PORT)
            .withProtocol("TCP")
            .endPort()
            .addNewPort()
            .withName("blockmanager")
            .withContainerPort(SparkProperties.BLOCK_MANAGER_PORT)
            .withProtocol("TCP")
            .endPort()
            .addNewPort()
            .withName("spark-ui")
            .withContainerPort(SparkProperties.UI_PORT)
            .withProtocol("TCP")
            .endPort()
            .withNewResources()
            .withRequests(
                new TreeMap<>(
                    Map.of(
                        "cpu", new Quantity(String.valueOf(plan.driverCores())), "memory", memory)))
            .withLimits(new TreeMap<>(Map.of("memory", memory)))
            .endResources()
            .withVolumeMounts(mounts)
            .withTerminationMessagePath(SparkProperties.TERMINATION_MESSAGE_PATH)
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withRunAsNonRoot(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .build();

    return new PodBuilder()
        .withMetadata(Owned.meta(plan, plan.driverPod()))
        .editMetadata()
        .addToLabels(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .addToLabels(Labels.SPARK_APP_SELECTOR, plan.appId())
        .addToLabels(Labels.ATTEMPT, String.valueOf(plan.attempt()))
        .addToAnnotations(Labels.START_EXECUTORS, String.valueOf(plan.startExecutors()))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(plan.driverServiceAccount())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(SPARK_UID)
        .withRunAsGroup(SPARK_UID)
        .withFsGroup(SPARK_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(driver)
        .withVolumes(volumes)
        .endSpec()
        .build();
  }
}
