package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.Optional;

/**
 * Reconcile precondition of the job's own driver ServiceAccount, Role and RoleBinding ({@link
 * DriverServiceAccount}, {@link DriverRole}, {@link DriverRoleBinding}): met when {@code
 * spec.driver.serviceAccountName} is absent. When a job names a ServiceAccount, the operator
 * creates none of the three (that ServiceAccount and its RBAC are the user's) and JOSDK deletes the
 * ones an earlier version of the job had.
 */
public class DriverRbacCondition implements Condition<Object, StreamingJob> {

  @Override
  public boolean isMet(
      DependentResource<Object, StreamingJob> dependent,
      StreamingJob job,
      Context<StreamingJob> context) {
    return operatorManaged(job);
  }

  /**
   * @param job the StreamingJob
   * @return whether the operator creates the driver's ServiceAccount and Role for this job
   */
  public static boolean operatorManaged(StreamingJob job) {
    return Optional.ofNullable(job.getSpec())
        .map(s -> s.getDriver())
        .map(d -> d.getServiceAccountName())
        .isEmpty();
  }
}
