package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The RoleBinding {@code <job>-driver} that binds {@link DriverRole} to {@link
 * DriverServiceAccount}, when {@code spec.driver.serviceAccountName} is absent ({@link
 * DriverRbacCondition}). Kubernetes lets the operator create it only because the operator holds
 * every permission of the Role itself (RBAC escalation prevention: "Restrictions on role binding
 * creation or update").
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DriverRoleBinding extends CRUDKubernetesDependentResource<RoleBinding, StreamingJob> {

  /** The RBAC API group. */
  static final String RBAC_GROUP = "rbac.authorization.k8s.io";

  /** Creates the dependent (JOSDK instantiates it from the reconciler's workflow). */
  public DriverRoleBinding() {
    super(RoleBinding.class);
  }

  /** The live object is found by its deterministic name, also during cleanup. */
  @Override
  protected ResourceID targetSecondaryResourceID(StreamingJob job, Context<StreamingJob> context) {
    return new ResourceID(
        new JobNames(job.getMetadata().getName()).driverServiceAccount(),
        job.getMetadata().getNamespace());
  }

  @Override
  protected RoleBinding desired(StreamingJob job, Context<StreamingJob> context) {
    return Owned.ownedBy(build(PlanContext.get(context)), job);
  }

  /**
   * The RoleBinding for a plan.
   *
   * @param plan the resolved job
   * @return Role {@code <job>-driver} bound to ServiceAccount {@code <job>-driver} of the job's
   *     namespace
   */
  public static RoleBinding build(JobPlan plan) {
    String name = plan.names().driverServiceAccount();
    return new RoleBindingBuilder()
        .withMetadata(Owned.meta(plan, name))
        .withNewRoleRef()
        .withApiGroup(RBAC_GROUP)
        .withKind("Role")
        .withName(name)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(name)
        .withNamespace(plan.namespace())
        .endSubject()
        .build();
  }
}
