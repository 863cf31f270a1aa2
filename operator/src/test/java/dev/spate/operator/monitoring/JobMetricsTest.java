package dev.spate.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.ExecutorsStatus;
import dev.spate.api.v1alpha1.KafkaStatus;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.RestartsStatus;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.decide.Reason;
import dev.spate.operator.kafka.KafkaSnapshot;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class JobMetricsTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<StreamingJob> jobs = new ArrayList<>();
  private final AtomicBoolean leader = new AtomicBoolean(true);
  private final JobMetrics metrics = new JobMetrics(registry, () -> jobs, leader::get);

  private static StreamingJob job(String name, StreamingJobStatus status) {
    StreamingJob job = new StreamingJob();
    job.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name).build());
    job.setStatus(status);
    return job;
  }

  private static StreamingJobStatus running() {
    StreamingJobStatus s = new StreamingJobStatus();
    s.setPhase(Phase.RUNNING);
    KafkaStatus kafka = new KafkaStatus();
    kafka.setLag(1204L);
    kafka.setLagSeconds(37L);
    s.setKafka(kafka);
    ExecutorsStatus executors = new ExecutorsStatus();
    executors.setDesired(4);
    executors.setReady(3);
    s.setExecutors(executors);
    RestartsStatus restarts = new RestartsStatus();
    restarts.setCount(2);
    s.setRestarts(restarts);
    return s;
  }

  private String scrape() {
    metrics.refresh();
    return registry.scrape();
  }

  @Test
  void everyStatusValueBecomesASeriesAndThePhaseIsOneHot() {
    jobs.add(job("clicks", running()));
    assertThat(scrape())
        .contains("spate_job_lag_records{name=\"clicks\",namespace=\"ns\"} 1204.0")
        .contains("spate_job_lag_seconds{name=\"clicks\",namespace=\"ns\"} 37.0")
        .contains("spate_job_executors_desired{name=\"clicks\",namespace=\"ns\"} 4.0")
        .contains("spate_job_executors_ready{name=\"clicks\",namespace=\"ns\"} 3.0")
        .contains("spate_job_restarts{name=\"clicks\",namespace=\"ns\"} 2.0")
        .contains("spate_job_phase{name=\"clicks\",namespace=\"ns\",phase=\"Running\"} 1.0")
        .contains("spate_job_phase{name=\"clicks\",namespace=\"ns\",phase=\"Failed\"} 0.0")
        .contains("spate_operator_leader 1.0");
  }

  @Test
  void unknownValuesAreAbsentNotZero() {
    StreamingJobStatus fresh = new StreamingJobStatus();
    fresh.setPhase(Phase.PENDING);
    jobs.add(job("fresh", fresh));
    jobs.add(job("unseen", null));
    String out = scrape();
    assertThat(out)
        .doesNotContain("spate_job_lag_records{")
        .doesNotContain("spate_job_lag_seconds{")
        .doesNotContain("spate_job_executors_desired{")
        .doesNotContain("name=\"unseen\"")
        // a status without restarts has had none
        .contains("spate_job_restarts{name=\"fresh\",namespace=\"ns\"} 0.0")
        .contains("spate_job_phase{name=\"fresh\",namespace=\"ns\",phase=\"Pending\"} 1.0");
  }

  @Test
  void aDeletedJobsSeriesDisappear() {
    jobs.add(job("a", running()));
    jobs.add(job("b", running()));
    assertThat(scrape()).contains("name=\"b\"");
    jobs.remove(1);
    assertThat(scrape()).contains("name=\"a\"").doesNotContain("name=\"b\"");
  }

  @Test
  void aStandbyExportsNoJobSeries() {
    jobs.add(job("clicks", running()));
    leader.set(false);
    assertThat(scrape()).doesNotContain("name=\"clicks\"").contains("spate_operator_leader 0.0");
    leader.set(true);
    assertThat(scrape()).contains("spate_job_lag_records{name=\"clicks\"");
  }

  @Test
  void theLagComesFromTheLiveKafkaPollWhenThereIsOneElseFromTheStatus() {
    Map<String, KafkaSnapshot> live = new HashMap<>();
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JobMetrics withLive =
        new JobMetrics(
            own,
            () -> jobs,
            leader::get,
            job -> Optional.ofNullable(live.get(job.getMetadata().getName())));
    jobs.add(job("clicks", running()));
    jobs.add(job("views", running()));
    jobs.add(job("orders", running()));
    Instant now = Instant.parse("2026-11-30T12:00:00Z");
    live.put("clicks", new KafkaSnapshot(4, 90L, 8L, null, null, now, List.of(), 2L));
    live.put("orders", KafkaSnapshot.failed(Reason.KAFKA_UNAVAILABLE, "Kafka did not answer", now));
    withLive.refresh();
    assertThat(own.scrape())
        // the live poll, fresher than the status' figures (refreshed every lagStatusInterval)
        .contains("spate_job_lag_records{name=\"clicks\",namespace=\"ns\"} 90.0")
        .contains("spate_job_lag_seconds{name=\"clicks\",namespace=\"ns\"} 2.0")
        // no poll yet, or a failed one: the status' last figures
        .contains("spate_job_lag_records{name=\"views\",namespace=\"ns\"} 1204.0")
        .contains("spate_job_lag_records{name=\"orders\",namespace=\"ns\"} 1204.0")
        .contains("spate_job_lag_seconds{name=\"orders\",namespace=\"ns\"} 37.0")
        // everything else from the status
        .contains("spate_job_executors_desired{name=\"clicks\",namespace=\"ns\"} 4.0");
  }
}
