package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of the driver Pod: the plan wants a driver ({@link
 * JobPlan#driverWanted()}: not suspended, no restart waiting for the old driver to go or for its
 * backoff, not given up). When it does not, JOSDK deletes the driver pod with its grace period;
 * Spark stops the query on SIGTERM and the checkpoint stays.
 *
 * <p>A driver pod is only ever created by a reconcile that decided to start a new attempt ({@link
 * PlanContext#mayCreateDriver}): when the lifecycle decided to keep the driver it observed and that
 * pod vanished from the cache in the meantime (deleted, force-deleted, garbage-collected), the
 * condition is not met, nothing is created, and the next reconcile sees the driver gone and handles
 * it as a driver end (Event, restart count, backoff) — never a silent second driver.
 */
public class NotSuspended implements Condition<Pod, StreamingJob> {
  @Override
  public boolean isMet(
      DependentResource<Pod, StreamingJob> dependent,
      StreamingJob job,
      Context<StreamingJob> context) {
    return PlanContext.get(context).driverWanted()
        && (PlanContext.mayCreateDriver(context)
            || dependent.getSecondaryResource(job, context).isPresent());
  }
}
