package dev.spate.operator.monitoring;

import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.kafka.KafkaSnapshot;

/**
 * One StreamingJob's gauge values: from its status (what {@code kubectl get streamingjobs} shows),
 * except the lag, which comes from the operator's last good Kafka poll of the job when there is one
 * (the status refreshes its lag figures at most every {@code spate.lagStatusInterval}, metrics
 * carry the live value). A value neither has yet is {@code null}, and its series is left out rather
 * than exported as 0.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param lagRecords records behind over all input partitions (the live Kafka poll, else {@code
 *     status.kafka.lag})
 * @param lagSeconds age of the oldest unprocessed record, in seconds (the live Kafka poll, else
 *     {@code status.kafka.lagSeconds}); {@code null} until either carries it
 * @param executorsDesired {@code status.executors.desired}
 * @param executorsReady {@code status.executors.ready}
 * @param restarts {@code status.restarts.count}: restarts since the last reset ({@code 0} when a
 *     status has no restarts yet)
 * @param phase {@code status.phase}
 */
public record JobSeries(
    String namespace,
    String name,
    Long lagRecords,
    Long lagSeconds,
    Integer executorsDesired,
    Integer executorsReady,
    Integer restarts,
    Phase phase) {

  /**
   * The values of one job.
   *
   * @param job a StreamingJob as the informer holds it (status may be {@code null})
   * @return its values; every field but namespace and name {@code null} when there is no status
   */
  public static JobSeries of(StreamingJob job) {
    return of(job, null);
  }

  /**
   * The values of one job, with the lag of a live Kafka poll.
   *
   * @param job a StreamingJob as the informer holds it (status may be {@code null})
   * @param live the operator's last Kafka snapshot of the job, or null; used when its read
   *     succeeded
   * @return its values
   */
  public static JobSeries of(StreamingJob job, KafkaSnapshot live) {
    JobSeries fromStatus = ofStatus(job);
    if (live == null || !live.ok() || live.lag() == null) {
      return fromStatus;
    }
    return new JobSeries(
        fromStatus.namespace(),
        fromStatus.name(),
        live.lag(),
        live.lagSeconds() != null ? live.lagSeconds() : fromStatus.lagSeconds(),
        fromStatus.executorsDesired(),
        fromStatus.executorsReady(),
        fromStatus.restarts(),
        fromStatus.phase());
  }

  private static JobSeries ofStatus(StreamingJob job) {
    StreamingJobStatus s = job.getStatus();
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    if (s == null) {
      return new JobSeries(ns, name, null, null, null, null, null, null);
    }
    return new JobSeries(
        ns,
        name,
        s.getKafka() == null ? null : s.getKafka().getLag(),
        s.getKafka() == null ? null : s.getKafka().getLagSeconds(),
        s.getExecutors() == null ? null : s.getExecutors().getDesired(),
        s.getExecutors() == null ? null : s.getExecutors().getReady(),
        s.getRestarts() == null || s.getRestarts().getCount() == null
            ? 0
            : s.getRestarts().getCount(),
        s.getPhase());
  }
}
