package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.spark.JobPlan;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;

/**
 * What one reconcile does, decided by {@link JobDecider#decide} before anything is written.
 *
 * @param plan the job as it should run now: the owned ConfigMaps and Service are built from it (the
 *     JOSDK dependents); null when nothing is applied (an invalid spec, the first Kafka poll)
 * @param createDriver the driver pod of a new attempt to create after the status recorded the
 *     attempt, or null
 * @param deletePods pods to delete with their grace period (a driver to stop, executors of an ended
 *     attempt, drivers of earlier attempts)
 * @param status the next status (written whole with optimistic locking)
 * @param events Events to record once the status is written
 * @param createdEvents Events to record only if {@code createDriver} was created by this reconcile
 *     (not when it existed already: a retry after a crash or a lagging cache)
 * @param recheck reconcile again after this long at the latest
 * @param memory what to remember of the job once the status is written
 */
record JobDecision(
    JobPlan plan,
    Pod createDriver,
    List<Pod> deletePods,
    StreamingJobStatus status,
    List<DriverLifecycle.JobEvent> events,
    List<DriverLifecycle.JobEvent> createdEvents,
    Duration recheck,
    ExecutorSizer.Memory memory) {

  /** Copies the lists. */
  JobDecision {
    deletePods = List.copyOf(deletePods);
    events = List.copyOf(events);
    createdEvents = List.copyOf(createdEvents);
  }

  /** Whether this decision creates or deletes pods (then the status is written even if equal). */
  boolean acts() {
    return createDriver != null || !deletePods.isEmpty();
  }
}
