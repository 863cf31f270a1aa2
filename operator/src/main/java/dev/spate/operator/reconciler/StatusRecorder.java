package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.DriverStatus;
import dev.spate.api.v1alpha1.ExecutorsStatus;
import dev.spate.api.v1alpha1.KafkaStatus;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.decide.StatusDecision;
import dev.spate.operator.kafka.KafkaSnapshot;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Optional;

/**
 * The one place a StreamingJob's status is written: the next status from the previous one and
 * what this reconcile observed and decided. Fields owned by other parts of the operator (restarts,
 * state parallelism, last applied spec) are carried over unchanged.
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
   */
  record Inputs(
      StatusDecision.Decision decision,
      String appId,
      Pod driver,
      int executorsReady,
      int executorsDesired,
      KafkaSnapshot kafka) {}

  /**
   * @param job the job (its current status is the previous one)
   * @param in this reconcile's observations and decisions
   * @return the next status (a new object; the job is not modified)
   */
  static StreamingJobStatus next(StreamingJob job, Inputs in) {
    StreamingJobStatus previous = Optional.ofNullable(job.getStatus()).orElseGet(StreamingJobStatus::new);
    StreamingJobStatus next = Serialization.clone(previous);
    next.setPhase(in.decision().phase());
    next.setObservedGeneration(job.getMetadata().getGeneration());
    next.setConditions(in.decision().conditions());
    if (in.driver() != null) {
      String podApp = in.driver().getMetadata().getLabels() == null ? null
          : in.driver().getMetadata().getLabels().get(dev.spate.operator.resources.Labels.SPARK_APP_SELECTOR);
      next.setSparkApplicationId(podApp != null ? podApp : in.appId());
      DriverStatus driver = new DriverStatus();
      driver.setPodName(in.driver().getMetadata().getName());
      driver.setStartTime(in.driver().getStatus() == null ? null : in.driver().getStatus().getStartTime());
      next.setDriver(driver);
      if (next.getAttempt() == null) {
        next.setAttempt(1);
      }
    } else {
      next.setDriver(null);
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
      kafka.setCommittedBatchId(in.kafka().committedBatchId());
      kafka.setLastCommitTime(in.kafka().lastCommitTime());
      next.setKafka(kafka);
    }
    // on a Kafka problem the last observed numbers stay, and Degraded says they are stale
    return next;
  }
}
