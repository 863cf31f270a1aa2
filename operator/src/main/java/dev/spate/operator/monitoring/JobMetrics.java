package dev.spate.operator.monitoring;

import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.kafka.KafkaSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-StreamingJob gauges, refreshed from the controller's informer cache right before each scrape
 * ({@link #refresh()}): no API call, no state of the reconciler. Series (labels {@code namespace},
 * {@code name}):
 *
 * <ul>
 *   <li>{@code spate_job_lag_records}: records behind, from the operator's last good Kafka poll of
 *       the job (live), else {@code status.kafka.lag} (refreshed at most every {@code
 *       spate.lagStatusInterval});
 *   <li>{@code spate_job_lag_seconds}: seconds behind, live as above, else {@code
 *       status.kafka.lagSeconds};
 *   <li>{@code spate_job_executors_desired}, {@code spate_job_executors_ready}: executor pods;
 *   <li>{@code spate_job_restarts}: {@code status.restarts.count} (restarts since the last reset,
 *       so it can go down: a gauge, not a counter);
 *   <li>{@code spate_job_phase} with a third label {@code phase}: 1 for the job's current phase, 0
 *       for every other phase (the pattern of kube-state-metrics' {@code kube_pod_status_phase}),
 *       so {@code spate_job_phase{phase="Failed"} == 1} alerts and {@code sum by (phase)} counts.
 * </ul>
 *
 * <p>Only the instance that reconciles exports job series (see {@code isLeader}): a standby's
 * informer holds the same jobs, and two replicas exporting them would double every sum. {@code
 * spate_operator_leader} is 1 on the leader, 0 on a standby.
 */
public final class JobMetrics {

  private final Supplier<? extends Collection<StreamingJob>> jobs;
  private final BooleanSupplier leader;
  private final Function<StreamingJob, Optional<KafkaSnapshot>> live;
  private final MultiGauge lagRecords;
  private final MultiGauge lagSeconds;
  private final MultiGauge executorsDesired;
  private final MultiGauge executorsReady;
  private final MultiGauge restarts;
  private final MultiGauge phase;

  /**
   * Registers the gauges.
   *
   * @param registry where the gauges go
   * @param jobs the jobs as the informer holds them, read at each {@link #refresh()}
   * @param leader whether this instance reconciles (job series are exported only then)
   */
  public JobMetrics(
      MeterRegistry registry,
      Supplier<? extends Collection<StreamingJob>> jobs,
      BooleanSupplier leader) {
    this(registry, jobs, leader, job -> Optional.empty());
  }

  /**
   * Registers the gauges, with the lag of live Kafka polls.
   *
   * @param registry where the gauges go
   * @param jobs the jobs as the informer holds them, read at each {@link #refresh()}
   * @param leader whether this instance reconciles (job series are exported only then)
   * @param live the operator's last Kafka snapshot of a job (no Kafka call), empty when none
   */
  public JobMetrics(
      MeterRegistry registry,
      Supplier<? extends Collection<StreamingJob>> jobs,
      BooleanSupplier leader,
      Function<StreamingJob, Optional<KafkaSnapshot>> live) {
    this.jobs = jobs;
    this.leader = leader;
    this.live = live;
    this.lagRecords =
        gauge(registry, "spate.job.lag.records", "Records behind over all input partitions.");
    this.lagSeconds =
        gauge(registry, "spate.job.lag.seconds", "Age of the oldest unprocessed record, seconds.");
    this.executorsDesired =
        gauge(registry, "spate.job.executors.desired", "Executors the operator wants.");
    this.executorsReady = gauge(registry, "spate.job.executors.ready", "Executor pods Ready.");
    this.restarts = gauge(registry, "spate.job.restarts", "Driver restarts since the last reset.");
    this.phase =
        gauge(
            registry,
            "spate.job.phase",
            "1 for the job's current status.phase (label phase), 0 for the other phases.");
    Gauge.builder("spate.operator.leader", () -> leader.getAsBoolean() ? 1 : 0)
        .description("1 when this instance reconciles (leader, or no leader election), else 0.")
        .register(registry);
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String help) {
    return MultiGauge.builder(name).description(help).register(registry);
  }

  /**
   * Replaces every job series with the values of the jobs now in the cache; a deleted job's series
   * disappear. Called before each scrape.
   */
  public synchronized void refresh() {
    List<JobSeries> all =
        leader.getAsBoolean()
            ? jobs.get().stream().map(j -> JobSeries.of(j, live.apply(j).orElse(null))).toList()
            : List.of();
    lagRecords.register(rows(all, JobSeries::lagRecords), true);
    lagSeconds.register(rows(all, JobSeries::lagSeconds), true);
    executorsDesired.register(rows(all, JobSeries::executorsDesired), true);
    executorsReady.register(rows(all, JobSeries::executorsReady), true);
    restarts.register(rows(all, JobSeries::restarts), true);
    List<MultiGauge.Row<?>> phases = new ArrayList<>();
    for (JobSeries s : all) {
      if (s.phase() == null) {
        continue;
      }
      for (Phase p : Phase.values()) {
        phases.add(MultiGauge.Row.of(tags(s).and("phase", p.value()), p == s.phase() ? 1 : 0));
      }
    }
    phase.register(phases, true);
  }

  private static List<MultiGauge.Row<?>> rows(
      List<JobSeries> all, Function<JobSeries, Number> value) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (JobSeries s : all) {
      Number v = value.apply(s);
      if (v != null) {
        rows.add(MultiGauge.Row.of(tags(s), v));
      }
    }
    return rows;
  }

  private static Tags tags(JobSeries s) {
    return Tags.of("namespace", s.namespace(), "name", s.name());
  }
}
