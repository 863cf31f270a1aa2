package dev.spate.operator.resources;

import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The executor pod template Spark builds every executor pod from ({@code
 * spark.kubernetes.executor.podTemplateFile}; Spark's "Pod Template" section of "Running Spark on
 * Kubernetes"). The driver loads it ({@code KubernetesUtils.loadPodFromTemplate}) and adds its own
 * settings on top (name, labels, image, command, resources, env, ports, volumes, owner reference),
 * keeping what the template says where Spark has nothing to add: the pod and container security
 * contexts and the user's scheduling fields.
 *
 * <p>Executor pods get no ServiceAccount token ({@code automountServiceAccountToken: false}): they
 * run under the driver's ServiceAccount (Spark's {@code ExecutorKubernetesCredentialsFeatureStep})
 * but need none of its Role.
 *
 * <p>It carries the "restricted" Pod Security Standard ({@link PodShape#restrictedPod()}, {@link
 * PodShape#restrictedContainer()}) and {@code spec.executor}'s pod settings. It is written into the
 * Spark conf ConfigMap as {@value #FILE} next to the properties file, so it is mounted at {@link
 * #PATH} in the driver.
 */
public final class ExecutorPodTemplate {

  /** Key in the Spark conf ConfigMap and file name in the driver. */
  public static final String FILE = "executor-pod-template.yaml";

  /** Where the driver reads it ({@code spark.kubernetes.executor.podTemplateFile}). */
  public static final String PATH = SparkProperties.CONF_DIR + "/" + FILE;

  /**
   * The executor container's name in the template ({@code
   * spark.kubernetes.executor.podTemplateContainerName}), Spark's default executor container name.
   */
  public static final String CONTAINER = "spark-kubernetes-executor";

  private ExecutorPodTemplate() {}

  /**
   * The template for a plan.
   *
   * @param plan the resolved job
   * @return a pod with the security contexts, {@code spec.executor}'s settings and one container
   *     {@value #CONTAINER} without image or command (Spark sets them)
   */
  public static Pod build(JobPlan plan) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .endMetadata()
            .withNewSpec()
            // executors run the job's code and call no Kubernetes API (KubernetesExecutorBackend
            // does not; Spate's plugin has no executor side), yet Spark gives them the driver's
            // ServiceAccount: without its token they cannot use the driver's Role
            .withAutomountServiceAccountToken(false)
            .withSecurityContext(PodShape.restrictedPod())
            .withContainers(
                new ContainerBuilder()
                    .withName(CONTAINER)
                    .withSecurityContext(PodShape.restrictedContainer())
                    .build())
            .endSpec()
            .build();
    return PodShape.apply(pod, plan.executorPodSettings());
  }

  /**
   * The template as the YAML file Spark reads.
   *
   * @param plan the resolved job
   * @return YAML of {@link #build}
   */
  public static String render(JobPlan plan) {
    return Serialization.asYaml(build(plan));
  }
}
