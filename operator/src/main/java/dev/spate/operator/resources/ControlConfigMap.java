package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkConfKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDNoGCKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The control ConfigMap {@code <job>-control} (docs/CONTRACT.md): the operator writes {@code
 * desiredExecutors} and the current driver {@code attempt} (a driver of an older attempt stops
 * itself); the driver plugin writes {@code appliedExecutors} and {@code appliedAt} back, and those
 * two keys are carried over from the live object so an update never erases them.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ControlConfigMap extends CRUDNoGCKubernetesDependentResource<ConfigMap, StreamingJob> {

  /** Creates the dependent (JOSDK instantiates it from the reconciler's workflow). */
  public ControlConfigMap() {
    super(ConfigMap.class);
  }

  /** The live object is found by its deterministic name, also during cleanup. */
  @Override
  protected ResourceID targetSecondaryResourceID(StreamingJob job, Context<StreamingJob> context) {
    return new ResourceID(
        new JobNames(job.getMetadata().getName()).controlConfigMap(),
        job.getMetadata().getNamespace());
  }

  @Override
  protected ConfigMap desired(StreamingJob job, Context<StreamingJob> context) {
    JobPlan plan = PlanContext.get(context);
    Map<String, String> live =
        getSecondaryResource(job, context).map(ConfigMap::getData).orElse(Map.of());
    return Owned.ownedBy(build(plan, live), job);
  }

  /**
   * The ConfigMap for a plan.
   *
   * @param plan the resolved job
   * @param live the data of the live ConfigMap (may be empty); the plugin's keys are kept
   * @return the ConfigMap
   */
  public static ConfigMap build(JobPlan plan, Map<String, String> live) {
    Map<String, String> data = new TreeMap<>();
    Optional.ofNullable(live.get(SparkConfKeys.CONTROL_APPLIED_EXECUTORS))
        .ifPresent(v -> data.put(SparkConfKeys.CONTROL_APPLIED_EXECUTORS, v));
    Optional.ofNullable(live.get(SparkConfKeys.CONTROL_APPLIED_AT))
        .ifPresent(v -> data.put(SparkConfKeys.CONTROL_APPLIED_AT, v));
    data.put(SparkConfKeys.CONTROL_DESIRED_EXECUTORS, String.valueOf(plan.desiredExecutors()));
    data.put(SparkConfKeys.CONTROL_ATTEMPT, String.valueOf(plan.attempt()));
    return new ConfigMapBuilder()
        .withMetadata(Owned.meta(plan, plan.names().controlConfigMap()))
        .withData(data)
        .build();
  }
}
