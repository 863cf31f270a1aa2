package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The ConfigMap {@code <job>-spark-conf} holding the Spark properties file the driver loads ({@code
 * --properties-file}); see {@link SparkProperties}, and the executor pod template ({@link
 * ExecutorPodTemplate}). Holds no secret: Kafka client credentials stay in their Secret, mounted as
 * a file.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SparkConfConfigMap
    extends CRUDNoGCKubernetesDependentResource<ConfigMap, StreamingJob> {

  /** Creates the dependent (JOSDK instantiates it from the reconciler's workflow). */
  public SparkConfConfigMap() {
    super(ConfigMap.class);
  }

  /** The live object is found by its deterministic name, also during cleanup. */
  @Override
  protected ResourceID targetSecondaryResourceID(StreamingJob job, Context<StreamingJob> context) {
    return new ResourceID(
        new JobNames(job.getMetadata().getName()).sparkConfConfigMap(),
        job.getMetadata().getNamespace());
  }

  @Override
  protected ConfigMap desired(StreamingJob job, Context<StreamingJob> context) {
    return Owned.ownedBy(build(PlanContext.get(context)), job);
  }

  /**
   * The ConfigMap for a plan.
   *
   * @param plan the resolved job
   * @return the ConfigMap with two keys, {@value SparkProperties#CONF_FILE} and the executor pod
   *     template {@value ExecutorPodTemplate#FILE}
   */
  public static ConfigMap build(JobPlan plan) {
    return new ConfigMapBuilder()
        .withMetadata(Owned.meta(plan, plan.names().sparkConfConfigMap()))
        .addToData(SparkProperties.CONF_FILE, SparkProperties.render(SparkProperties.of(plan)))
        .addToData(ExecutorPodTemplate.FILE, ExecutorPodTemplate.render(plan))
        .build();
  }
}
