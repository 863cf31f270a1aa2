package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.DriverStatus;
import dev.spate.api.v1alpha1.ExecutorsStatus;
import dev.spate.api.v1alpha1.KafkaStatus;
import dev.spate.api.v1alpha1.RestartsStatus;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.decide.StatusDecision;
import dev.spate.operator.kafka.KafkaSnapshot;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place a StreamingJob's status is written: the next status from the previous one and what
 * this reconcile observed and decided (phase and conditions, driver, executors, Kafka, and the
 * recovery and sizing bookkeeping: attempt, restarts, state parallelism, last applied spec).
 */
final class StatusRecorder {

  private StatusRecorder() {}

  /**
   * What a reconcile observed and decided, as the status shows it.
   *
   * @param decision phase and conditions
   * @param appId the Spark application id of the running or planned driver, or null
   * @param driver the driver pod, or null
   * @param executorsReady ready executor pods
   * @param executorsDesired desired executors
   * @param kafka the last Kafka snapshot, or null
   * @param attempt the driver attempt, or null to keep the previous one
   * @param restarts the restart bookkeeping, or null to keep the previous one
   * @param stateParallelism the pinned state parallelism, or null to keep the previous one
   * @param lastAppliedSpec the applied spec as JSON, or null to keep the previous one
   */
  record Inputs(
      StatusDecision.Decision decision,
      String appId,
      Pod driver,
      int executorsReady,
      int executorsDesired,
      KafkaSnapshot kafka,
      Integer attempt,
      RestartsStatus restarts,
      Integer stateParallelism,
      String lastAppliedSpec) {

    /**
     * Inputs without recovery and sizing bookkeeping (an invalid spec: those stay as they were).
     */
    Inputs(
        StatusDecision.Decision decision,
        String appId,
        Pod driver,
        int executorsReady,
        int executorsDesired,
        KafkaSnapshot kafka) {
      this(
          decision, appId, driver, executorsReady, executorsDesired, kafka, null, null, null, null);
    }
  }

  /**
   * @param job the job (its current status is the previous one)
   * @param in this reconcile's observations and decisions
   * @return the next status (a new object; the job is not modified)
   */
  static StreamingJobStatus next(StreamingJob job, Inputs in) {
    StreamingJobStatus previous =
        Optional.ofNullable(job.getStatus()).orElseGet(StreamingJobStatus::new);
    StreamingJobStatus next = Serialization.clone(previous);
    next.setPhase(in.decision().phase());
    next.setObservedGeneration(job.getMetadata().getGeneration());
    // every condition was decided from this generation (metav1.Condition.observedGeneration,
    // which Flux's kstatus reads)
    List<Condition> conditions = new ArrayList<>();
    for (Condition c : in.decision().conditions()) {
      Condition copy = Serialization.clone(c);
      copy.setObservedGeneration(job.getMetadata().getGeneration());
      conditions.add(copy);
    }
    next.setConditions(conditions);
    if (in.driver() != null) {
      String podApp =
          in.driver().getMetadata().getLabels() == null
              ? null
              : in.driver()
                  .getMetadata()
                  .getLabels()
                  .get(dev.spate.operator.resources.Labels.SPARK_APP_SELECTOR);
      next.setSparkApplicationId(podApp != null ? podApp : in.appId());
      DriverStatus driver = new DriverStatus();
      driver.setPodName(in.driver().getMetadata().getName());
      driver.setStartTime(
          in.driver().getStatus() == null ? null : in.driver().getStatus().getStartTime());
      next.setDriver(driver);
      if (next.getAttempt() == null) {
        next.setAttempt(1);
      }
    } else {
      next.setDriver(null);
    }
    if (in.attempt() != null && in.attempt() > 0) {
      next.setAttempt(in.attempt());
    }
    if (in.restarts() != null) {
      next.setRestarts(in.restarts());
    }
    if (in.stateParallelism() != null) {
      next.setStateParallelism(in.stateParallelism());
    }
    if (in.lastAppliedSpec() != null) {
      next.setLastAppliedSpec(in.lastAppliedSpec());
    }
    ExecutorsStatus executors = new ExecutorsStatus();
    executors.setDesired(in.executorsDesired());
    executors.setReady(in.executorsReady());
    executors.setSummary(ExecutorsStatus.summary(in.executorsReady(), in.executorsDesired()));
    next.setExecutors(executors);
    if (in.kafka() != null && in.kafka().ok()) {
      KafkaStatus kafka = new KafkaStatus();
      kafka.setPartitions(in.kafka().partitions());
      kafka.setLag(in.kafka().lag());
      kafka.setLagSeconds(in.kafka().lagSeconds());
      kafka.setCommittedBatchId(in.kafka().committedBatchId());
      kafka.setLastCommitTime(in.kafka().lastCommitTime());
      next.setKafka(kafka);
    }
    // on a Kafka problem the last observed numbers stay, and Degraded says they are stale
    return next;
  }
}
