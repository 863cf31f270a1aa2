package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The job's own driver ServiceAccount {@code <job>-driver} ({@link
 * JobNames#driverServiceAccount()}) when {@code spec.driver.serviceAccountName} is absent ({@link
 * DriverRbacCondition}): the identity that {@link DriverRole} is bound to, so that one job's driver
 * can reach only its own control ConfigMap and driver pod by name. Executor pods run under it too
 * (Spark's {@code ExecutorKubernetesCredentialsFeatureStep} gives executors the driver's service
 * account).
 *
 * <p>Created only, never updated (there is nothing in it to change), removed by Kubernetes' garbage
 * collector through its owner reference to the job, and deleted by JOSDK when the job names a
 * ServiceAccount of its own.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DriverServiceAccount extends KubernetesDependentResource<ServiceAccount, StreamingJob>
    implements Creator<ServiceAccount, StreamingJob>, GarbageCollected<StreamingJob> {

  /** Creates the dependent (JOSDK instantiates it from the reconciler's workflow). */
  public DriverServiceAccount() {
    super(ServiceAccount.class);
  }

  /** The live object is found by its deterministic name, also during cleanup. */
  @Override
  protected ResourceID targetSecondaryResourceID(StreamingJob job, Context<StreamingJob> context) {
    return new ResourceID(
        new JobNames(job.getMetadata().getName()).driverServiceAccount(),
        job.getMetadata().getNamespace());
  }

  @Override
  protected ServiceAccount desired(StreamingJob job, Context<StreamingJob> context) {
    return Owned.ownedBy(build(PlanContext.get(context)), job);
  }

  /**
   * The ServiceAccount for a plan.
   *
   * @param plan the resolved job
   * @return the ServiceAccount {@code <job>-driver} with the managed labels
   */
  public static ServiceAccount build(JobPlan plan) {
    return new ServiceAccountBuilder()
        .withMetadata(Owned.meta(plan, plan.names().driverServiceAccount()))
        .build();
  }
}
