package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.DriverStatus;
import dev.spate.api.v1alpha1.KafkaStatus;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.recovery.LastAppliedSpec;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link JobDecider#decide} holds the lag figures of a running job's status back until they are due
 * ({@code spate.lagStatusInterval}, {@code LagStatusRefresh}), while everything else of the status
 * follows the observation at once. No cluster, no broker.
 */
class LagStatusThrottleTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final OperatorConfig CONFIG = OperatorConfig.defaults();
  private static final JobDecider DECIDER =
      new JobDecider(CONFIG, new SpecValidator(CrdRuleEvaluator.forStreamingJob(), CONFIG));

  @Test
  void theDefaultIntervalIsThirtySeconds() {
    assertThat(CONFIG.lagStatusInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aNewMicroBatchWithinTheIntervalKeepsTheShownFiguresAndLooksAgainWhenTheyAreDue() {
    StreamingJobStatus shown = running(1_200L, 12L, 7L);
    JobDecision d = decide(shown, snapshot(4, 300L, 3L, 8L), NOW.minusSeconds(10), NOW);

    assertThat(d.status().getKafka().getLag()).isEqualTo(1_200L);
    assertThat(d.status().getKafka().getLagSeconds()).isEqualTo(12L);
    assertThat(d.status().getKafka().getCommittedBatchId()).isEqualTo(7L);
    assertThat(d.status().getKafka().getLastCommitTime()).isEqualTo("2026-11-30T11:59:07Z");
    assertThat(d.recheck()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void theFiguresAreWrittenOnceTheIntervalPassed() {
    JobDecision d =
        decide(running(1_200L, 12L, 7L), snapshot(4, 300L, 3L, 8L), NOW.minusSeconds(30), NOW);

    assertThat(d.status().getKafka().getLag()).isEqualTo(300L);
    assertThat(d.status().getKafka().getCommittedBatchId()).isEqualTo(8L);
  }

  @Test
  void writtenFiguresAreLookedAtAgainWhenTheIntervalIsOver() {
    // a poll within the next interval is not due and wakes nothing; if the job then goes quiet
    // no later poll changes anything, so the write itself schedules the catch-up
    JobDecision d =
        decide(running(1_200L, 12L, 7L), snapshot(4, 300L, 3L, 8L), NOW.minusSeconds(30), NOW);

    assertThat(d.status().getKafka().getLag()).isEqualTo(300L);
    assertThat(d.recheck()).isLessThanOrEqualTo(CONFIG.lagStatusInterval());
  }

  @Test
  void aReconcileBetweenTheWriteAndTheLookAgainKeepsTheLookAgain() {
    // figures written 10 s ago, unchanged since: a reconcile now (a pod event) replaces the
    // reschedule the write asked for, so it must ask for the same look-again, not the reconcile
    // interval; else a lag that moves after it wakes nothing until the periodic reconcile
    JobDecision d =
        decide(running(300L, 3L, 8L), snapshot(4, 300L, 3L, 8L), NOW.minusSeconds(10), NOW);

    assertThat(d.status().getKafka().getLag()).isEqualTo(300L);
    assertThat(d.recheck()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void unchangedFiguresPastTheirIntervalAskForNoEarlierLook() {
    JobDecision d =
        decide(running(300L, 3L, 8L), snapshot(4, 300L, 3L, 8L), NOW.minusSeconds(40), NOW);

    assertThat(d.recheck()).isEqualTo(CONFIG.reconcileInterval());
  }

  @Test
  void theFirstFiguresAreLookedAtAgainWhenTheIntervalIsOver() {
    StreamingJobStatus noFigures = running(0L, 0L, 0L);
    noFigures.setKafka(null);
    JobDecision d = decide(noFigures, snapshot(4, 300L, 3L, 8L), null, NOW);

    assertThat(d.status().getKafka().getLag()).isEqualTo(300L);
    assertThat(d.recheck()).isLessThanOrEqualTo(CONFIG.lagStatusInterval());
  }

  @Test
  void aJobFallingBehindIsShownAtOnce() {
    JobDecision d =
        decide(running(1_200L, 12L, 7L), snapshot(4, 9_000L, 95L, 7L), NOW.minusSeconds(5), NOW);

    assertThat(d.status().getKafka().getLagSeconds()).isEqualTo(95L);
  }

  @Test
  void afterAnOperatorStartTheFirstReconcileRefreshes() {
    JobDecision d = decide(running(1_200L, 12L, 7L), snapshot(4, 300L, 3L, 8L), null, NOW);

    assertThat(d.status().getKafka().getLag()).isEqualTo(300L);
  }

  @Test
  void aPartitionChangeIsWrittenAtOnceWhileTheLagFiguresWait() {
    JobDecision d =
        decide(running(1_200L, 12L, 7L), snapshot(6, 300L, 3L, 8L), NOW.minusSeconds(10), NOW);

    assertThat(d.status().getKafka().getPartitions()).isEqualTo(6);
    assertThat(d.status().getKafka().getLag()).isEqualTo(1_200L);
  }

  @Test
  void aZeroIntervalWritesEveryPoll() {
    OperatorConfig every = OperatorConfig.read(Map.of("spate.lagStatusInterval", "0s"), Map.of());
    JobDecider decider =
        new JobDecider(every, new SpecValidator(CrdRuleEvaluator.forStreamingJob(), every));
    StreamingJob job = job();
    job.setStatus(running(1_200L, 12L, 7L));
    JobDecision d =
        decider.decide(
            observation(job, snapshot(4, 300L, 3L, 8L), NOW.minusSeconds(1)), job.getStatus(), NOW);

    assertThat(d.status().getKafka().getLag()).isEqualTo(300L);
  }

  private static JobDecision decide(
      StreamingJobStatus previous, KafkaSnapshot kafka, Instant shownAt, Instant now) {
    StreamingJob job = job();
    job.setStatus(previous);
    return DECIDER.decide(observation(job, kafka, shownAt), previous, now);
  }

  private static Observation observation(StreamingJob job, KafkaSnapshot kafka, Instant shownAt) {
    return new Observation(
        job,
        List.of(readyDriver()),
        List.of(readyExecutor()),
        Map.of(),
        Optional.empty(),
        kafka,
        ExecutorSizer.Memory.EMPTY,
        List.of(),
        Optional.empty(),
        shownAt);
  }

  private static KafkaSnapshot snapshot(int partitions, long lag, long seconds, long batch) {
    return new KafkaSnapshot(
        partitions,
        lag,
        batch,
        "2026-11-30T11:59:0" + batch + "Z",
        null,
        NOW.minusSeconds(1),
        List.of(),
        seconds);
  }

  private static StreamingJobStatus running(long lag, long seconds, long batch) {
    StreamingJobStatus s = new StreamingJobStatus();
    s.setPhase(Phase.RUNNING);
    s.setAttempt(1);
    s.setStateParallelism(16);
    s.setLastAppliedSpec(LastAppliedSpec.serialize(job().getSpec()));
    DriverStatus d = new DriverStatus();
    d.setPodName("j-driver-1");
    s.setDriver(d);
    KafkaStatus k = new KafkaStatus();
    k.setPartitions(4);
    k.setLag(lag);
    k.setLagSeconds(seconds);
    k.setCommittedBatchId(batch);
    k.setLastCommitTime("2026-11-30T11:59:0" + batch + "Z");
    s.setKafka(k);
    return s;
  }

  private static StreamingJob job() {
    StreamingJob job = TestJobs.load("minimal");
    job.getMetadata().setName("j");
    job.getMetadata().setNamespace("ns");
    job.getMetadata().setUid("0b5e1c5a-1111-2222-3333-444455556666");
    job.getMetadata().setGeneration(3L);
    return job;
  }

  private static Pod readyDriver() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("j-driver-1")
        .withNamespace("ns")
        .addToLabels(Labels.ATTEMPT, "1")
        .addToLabels(Labels.JOB, "j")
        .addToLabels(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .addToAnnotations(Labels.START_EXECUTORS, "1")
        .withCreationTimestamp("2026-11-30T11:00:00Z")
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .withStartTime("2026-11-30T11:00:05Z")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastTransitionTime("2026-11-30T11:00:10Z")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Pod readyExecutor() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("j-exec-1")
        .withNamespace("ns")
        .addToLabels(Labels.JOB, "j")
        .addToLabels(Labels.SPARK_ROLE, Labels.ROLE_EXECUTOR)
        .endMetadata()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }
}
