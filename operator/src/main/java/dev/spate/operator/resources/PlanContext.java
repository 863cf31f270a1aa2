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
  private static final String CREATE_DRIVER_KEY = KEY + ".createDriver";

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

  /**
   * Records whether this reconcile may create a driver pod (a new attempt), as opposed to keeping
   * the one it observed.
   *
   * @param context the reconcile's context
   * @param createDriver true when the lifecycle decided to start a new attempt
   */
  public static void putDriverCreation(Context<StreamingJob> context, boolean createDriver) {
    context.managedWorkflowAndDependentResourceContext().put(CREATE_DRIVER_KEY, createDriver);
  }

  /**
   * Whether this reconcile may create a driver pod; true when the reconciler said nothing.
   *
   * @param context the reconcile's context
   * @return false when the lifecycle decided to keep the driver it observed
   */
  public static boolean mayCreateDriver(Context<StreamingJob> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(CREATE_DRIVER_KEY, Boolean.class)
        .orElse(Boolean.TRUE);
  }
}
