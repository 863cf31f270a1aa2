package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * The Role {@code <job>-driver}: what one job's driver calls on the Kubernetes API, and nothing
 * more, when {@code spec.driver.serviceAccountName} is absent ({@link DriverRbacCondition}). Bound
 * to {@link DriverServiceAccount} by {@link DriverRoleBinding}.
 *
 * <p>The calls are those of Spark 3.5.3's Kubernetes scheduler backend with the settings Spate
 * writes, read from Spark's source ({@code ExecutorPodsAllocator}, {@code
 * ExecutorPodsWatchSnapshotSource}, {@code ExecutorPodsPollingSnapshotSource}, {@code
 * ExecutorPodsLifecycleManager}, {@code KubernetesClusterSchedulerBackend}; executors, {@code
 * KubernetesExecutorBackend}, call nothing) and of Spate's driver plugin ({@code ExecutorScaler},
 * {@code AttemptFence}). Kubernetes RBAC can restrict a rule to {@code resourceNames} for requests
 * on one named object: get, update, patch, delete, and list/watch with a {@code metadata.name}
 * field selector (what fabric8's {@code withName(..).inform()} sends); never create or
 * deletecollection. Names are used where they are known before the driver starts:
 *
 * <ul>
 *   <li>the control ConfigMap {@code <job>-control}: the only ConfigMap the driver reads, watches
 *       or patches, so one job's code cannot rewrite another job's control data or Spark
 *       configuration;
 *   <li>the driver pod of the current attempt {@code <job>-driver-<attempt>}, which Spark reads to
 *       make it the owner of the executor pods. The Role changes with every attempt (the operator
 *       updates it before it creates the attempt's driver pod), so an old attempt's driver loses
 *       it.
 * </ul>
 *
 * <p>Not restrictable: executor pods are named {@code <prefix>-exec-<executor id>} with ids counted
 * up by the driver, listed and watched by label, and deleted by label; the executor ConfigMap's
 * name is random per driver ({@code KubernetesClientUtils.configMapNameExecutor}, {@code
 * spark-exec-} + a random id, not derived from {@code spark.app.id}) and it is deleted by label.
 * These rules therefore hold for every pod and ConfigMap of the namespace: list, watch and delete
 * on pods, create and deletecollection on both.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class DriverRole extends CRUDKubernetesDependentResource<Role, StreamingJob> {

  /** Creates the dependent (JOSDK instantiates it from the reconciler's workflow). */
  public DriverRole() {
    super(Role.class);
  }

  /** The live object is found by its deterministic name, also during cleanup. */
  @Override
  protected ResourceID targetSecondaryResourceID(StreamingJob job, Context<StreamingJob> context) {
    return new ResourceID(
        new JobNames(job.getMetadata().getName()).driverServiceAccount(),
        job.getMetadata().getNamespace());
  }

  @Override
  protected Role desired(StreamingJob job, Context<StreamingJob> context) {
    return Owned.ownedBy(build(PlanContext.get(context)), job);
  }

  /**
   * The Role for a plan.
   *
   * @param plan the resolved job, at the attempt whose driver the Role serves
   * @return the Role {@code <job>-driver} with {@link #rules(JobNames, int)}
   */
  public static Role build(JobPlan plan) {
    return new RoleBuilder()
        .withMetadata(Owned.meta(plan, plan.names().driverServiceAccount()))
        .withRules(rules(plan.names(), plan.attempt()))
        .build();
  }

  /**
   * The rules of one job's driver Role.
   *
   * @param names the job's object names
   * @param attempt the driver attempt, from 1
   * @return the rules, in a fixed order
   */
  public static List<PolicyRule> rules(JobNames names, int attempt) {
    return List.of(
        // executor pods: ExecutorPodsAllocator creates them (and deletes one whose on-demand PVC
        // could not be created), ExecutorPodsWatchSnapshotSource watches and
        // ExecutorPodsPollingSnapshotSource lists them by label, ExecutorPodsLifecycleManager
        // deletes an ended one by name; ExecutorPodsAllocator deletes surplus pending ones, killed
        // executors still running after the grace period and, at stop(), all of the app's executors
        // by label (deletecollection). waitUntilReady on the driver pod lists and watches it.
        rule("pods", List.of(), "create", "list", "watch", "delete", "deletecollection"),
        // the driver pod of this attempt: ExecutorPodsAllocator reads it
        // (spark.kubernetes.driver.pod.name) to make it the owner of every executor pod
        rule("pods", List.of(names.driverPod(attempt)), "get"),
        // the executor ConfigMap (Spark conf files for executors): created at start by
        // KubernetesClusterSchedulerBackend with a random name, owned by the driver pod (so the
        // OwnerReferencesPermissionEnforcement admission plugin, where enabled, requires delete to
        // create it), deleted by label at stop()
        rule("configmaps", List.of(), "create", "delete", "deletecollection"),
        // the control ConfigMap: the driver plugin's informers (ExecutorScaler, AttemptFence) list
        // and watch it by name, ExecutorScaler reads it and patches appliedExecutors/appliedAt
        rule("configmaps", List.of(names.controlConfigMap()), "get", "list", "watch", "patch"),
        // on-demand executor PVCs (spark.kubernetes.executor.volumes.persistentVolumeClaim.*
        // .options.claimName=OnDemand): ExecutorPodsAllocator creates them and lists the app's
        // reusable ones by label, owned by the driver pod
        // (spark.kubernetes.driver.ownPersistentVolumeClaim, default true; delete for the
        // owner-reference admission check as above); stop() deletes them by label
        rule("persistentvolumeclaims", List.of(), "create", "list", "delete", "deletecollection"));
  }

  private static PolicyRule rule(String resource, List<String> names, String... verbs) {
    PolicyRuleBuilder rule = new PolicyRuleBuilder().withApiGroups("").withResources(resource);
    if (!names.isEmpty()) {
      rule.withResourceNames(names);
    }
    return rule.withVerbs(verbs).build();
  }
}
