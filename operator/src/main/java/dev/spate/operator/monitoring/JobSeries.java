package dev.spate.operator.monitoring;

import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;

/**
 * One StreamingJob's gauge values, taken from its status alone (what {@code kubectl get
 * streamingjobs} shows), so the figures in Prometheus and in the API always agree. A value the
 * status does not have yet is {@code null}, and its series is left out rather than exported as 0.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}
 * @param lagRecords {@code status.kafka.lag}: records behind over all input partitions
 * @param lagSeconds age of the oldest unprocessed record, in seconds; {@code null} until the status
 *     carries it
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
