package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Hands the reconciler's {@link JobPlan} to the dependent resources of the same reconcile, through
 * JOSDK's managed workflow context.
 */
public final class PlanContext {

  private static final String KEY = JobPlan.class.getName();

  private PlanContext() {}

  /**
   * Stores the plan for this reconcile.
   *
   * @param context the reconcile's context
   * @param plan the plan the owned objects are built from
   */
  public static void put(Context<StreamingJob> context, JobPlan plan) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, plan);
  }

  /**
   * The plan of this reconcile.
   *
   * @param context the reconcile's context
   * @return the plan
   * @throws IllegalStateException when the reconciler stored none (a bug)
   */
  public static JobPlan get(Context<StreamingJob> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, JobPlan.class);
  }
}
