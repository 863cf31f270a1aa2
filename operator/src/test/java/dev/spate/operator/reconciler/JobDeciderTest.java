package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.DriverStatus;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.decide.Reason;
import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.recovery.LastAppliedSpec;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link JobDecider#decide}, the one decision of a reconcile, as a table: what was observed (the
 * previous status, driver pods of any attempt, executor pods, the Kafka snapshot) → the driver pod
 * to create, the pods to delete, the next status and the Events. No cluster, no broker.
 */
class JobDeciderTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final OperatorConfig CONFIG = OperatorConfig.defaults();
  private static final JobDecider DECIDER =
      new JobDecider(CONFIG, new SpecValidator(CrdRuleEvaluator.forStreamingJob(), CONFIG));

  private static final KafkaSnapshot FOUR =
      new KafkaSnapshot(4, 0L, null, null, null, NOW.minusSeconds(1), List.of());
  private static final KafkaSnapshot DOWN =
      KafkaSnapshot.failed(Reason.KAFKA_UNAVAILABLE, "Kafka at k:9092 did not answer: x", NOW);
  private static final KafkaSnapshot EMPTY =
      new KafkaSnapshot(0, 0L, null, null, null, NOW.minusSeconds(1), List.of());
  private static final KafkaSnapshot NO_OUTPUT =
      new KafkaSnapshot(4, 0L, null, null, null, NOW.minusSeconds(1), List.of("clicks-per-user"));

  /** One row: a name, what was observed, what must follow. */
  record Row(
      String name,
      StreamingJobStatus previous,
      List<Pod> drivers,
      List<Pod> executors,
      KafkaSnapshot kafka,
      Consumer<JobDecision> expect) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> table() {
    return Stream.of(
        new Row(
            "new job before the first Kafka poll: nothing applied, looks again soon",
            null,
            List.of(),
            List.of(),
            null,
            d -> {
              assertThat(d.plan()).isNull();
              assertThat(d.createDriver()).isNull();
              assertThat(d.status().getPhase()).isEqualTo(Phase.PENDING);
              assertThat(d.recheck()).isEqualTo(JobDecider.AWAIT_KAFKA);
            }),
        new Row(
            "new job, Kafka down: no state parallelism from a failed read, no driver",
            null,
            List.of(),
            List.of(),
            DOWN,
            d -> {
              assertThat(d.createDriver()).isNull();
              assertThat(d.status().getStateParallelism()).isNull();
              assertThat(reason(d, ConditionType.DEGRADED)).isEqualTo("KafkaUnavailable");
              assertThat(events(d)).containsExactly(Reason.KAFKA_UNAVAILABLE);
            }),
        new Row(
            "new job, Kafka read but no partition seen: never sized from an empty read",
            null,
            List.of(),
            List.of(),
            EMPTY,
            d -> {
              assertThat(d.createDriver()).isNull();
              assertThat(d.status().getStateParallelism()).isNull();
            }),
        new Row(
            "new job, 4 partitions: attempt 1 recorded (intent) with its pod to create after",
            null,
            List.of(),
            List.of(),
            FOUR,
            d -> {
              assertThat(d.createDriver().getMetadata().getName()).isEqualTo("j-driver-1");
              assertThat(d.createDriver().getMetadata().getLabels())
                  .containsEntry(Labels.ATTEMPT, "1");
              assertThat(d.status().getAttempt()).isEqualTo(1);
              assertThat(d.status().getDriver()).as("not seen yet").isNull();
              assertThat(d.status().getPhase()).isEqualTo(Phase.STARTING);
              assertThat(d.status().getStateParallelism()).isNotNull();
              assertThat(d.status().getLastAppliedSpec()).isNotNull();
              assertThat(d.plan().driverPod()).isEqualTo("j-driver-1");
              assertThat(events(d)).isEmpty();
              assertThat(d.createdEvents())
                  .extracting(DriverLifecycle.JobEvent::reason)
                  .containsExactly(Reason.DRIVER_CREATED);
            }),
        new Row(
            "new job, output topic missing: no driver, OutputTopicNotFound names it",
            null,
            List.of(),
            List.of(),
            NO_OUTPUT,
            d -> {
              assertThat(d.createDriver()).isNull();
              assertThat(reason(d, ConditionType.READY)).isEqualTo("OutputTopicNotFound");
              assertThat(message(d, ConditionType.READY)).contains("clicks-per-user");
              assertThat(reason(d, ConditionType.DEGRADED)).isEqualTo("OutputTopicNotFound");
              assertThat(d.status().getAttempt()).as("no attempt recorded").isNull();
              assertThat(events(d)).containsExactly(Reason.OUTPUT_TOPIC_NOT_FOUND);
            }),
        new Row(
            "attempt 2 recorded, its pod never seen (crash between the writes): same pod again",
            recorded(2, false),
            List.of(),
            List.of(),
            FOUR,
            d -> {
              assertThat(d.createDriver().getMetadata().getName()).isEqualTo("j-driver-2");
              assertThat(d.status().getAttempt()).isEqualTo(2);
              assertThat(d.deletePods()).isEmpty();
            }),
        new Row(
            "attempt 2 runs, a pod of attempt 1 is still there: it is deleted, nothing created",
            recorded(2, true),
            List.of(driver(1, "Running", null), driver(2, "Running", null)),
            List.of(),
            FOUR,
            d -> {
              assertThat(d.createDriver()).isNull();
              assertThat(names(d.deletePods())).containsExactly("j-driver-1");
              assertThat(d.status().getDriver().getPodName()).isEqualTo("j-driver-2");
            }),
        new Row(
            "a pod of a newer attempt than the status records is adopted, never deleted",
            recorded(1, true),
            List.of(driver(2, "Running", null)),
            List.of(),
            FOUR,
            d -> {
              assertThat(d.createDriver()).isNull();
              assertThat(d.deletePods()).isEmpty();
              assertThat(d.status().getAttempt()).isEqualTo(2);
            }),
        new Row(
            "an old attempt's pod terminating past oldPodTimeout: no new driver, the pod named",
            restarting(1),
            List.of(driver(1, "Running", NOW.minus(Duration.ofMinutes(6)).toString())),
            List.of(),
            FOUR,
            d -> {
              assertThat(d.createDriver()).isNull();
              assertThat(reason(d, ConditionType.DEGRADED)).isEqualTo("OldPodStuck");
              assertThat(message(d, ConditionType.DEGRADED))
                  .contains("j-driver-1")
                  .contains("node-a")
                  .contains("--force");
              assertThat(events(d)).contains(Reason.OLD_POD_STUCK);
            }),
        new Row(
            "driver ready with 0 of 1 executors at the first start: Starting, not Rescaling",
            starting(1),
            List.of(ready(driver(1, "Running", null))),
            List.of(),
            new KafkaSnapshot(1, 0L, null, null, null, NOW.minusSeconds(1), List.of()),
            d -> assertThat(d.status().getPhase()).isEqualTo(Phase.STARTING)),
        new Row(
            "an executor short after the job ran: Rescaling",
            withPhase(recorded(1, true), Phase.RUNNING),
            List.of(ready(driver(1, "Running", null))),
            List.of(),
            new KafkaSnapshot(1, 0L, null, null, null, NOW.minusSeconds(1), List.of()),
            d -> assertThat(d.status().getPhase()).isEqualTo(Phase.RESCALING)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decides(Row row) {
    StreamingJob job = job();
    job.setStatus(row.previous());
    Observation o =
        new Observation(
            job,
            row.drivers(),
            row.executors(),
            Map.of(),
            Optional.empty(),
            row.kafka(),
            ExecutorSizer.Memory.EMPTY);
    JobDecision d = DECIDER.decide(o, row.previous(), NOW);
    row.expect().accept(d);
    assertThat(d.status().getObservedGeneration()).isEqualTo(3L);
  }

  private static StreamingJob job() {
    StreamingJob job = TestJobs.load("minimal");
    job.getMetadata().setName("j");
    job.getMetadata().setNamespace("ns");
    job.getMetadata().setUid("0b5e1c5a-1111-2222-3333-444455556666");
    job.getMetadata().setGeneration(3L);
    return job;
  }

  private static StreamingJobStatus recorded(int attempt, boolean seen) {
    StreamingJobStatus s = new StreamingJobStatus();
    s.setPhase(Phase.STARTING);
    s.setAttempt(attempt);
    s.setStateParallelism(16);
    s.setLastAppliedSpec(LastAppliedSpec.serialize(job().getSpec()));
    if (seen) {
      DriverStatus d = new DriverStatus();
      d.setPodName("j-driver-" + attempt);
      s.setDriver(d);
    }
    return s;
  }

  private static StreamingJobStatus starting(int attempt) {
    return recorded(attempt, true);
  }

  private static StreamingJobStatus restarting(int attempt) {
    StreamingJobStatus s = recorded(attempt, false);
    s.setPhase(Phase.RESTARTING);
    s.setConditions(
        List.of(
            new Condition(
                ConditionType.PROGRESSING,
                Condition.TRUE,
                Reason.RESTART_REQUESTED.value(),
                "Restarting: spec.image changed",
                null)));
    return s;
  }

  private static StreamingJobStatus withPhase(StreamingJobStatus s, Phase phase) {
    s.setPhase(phase);
    return s;
  }

  private static Pod driver(int attempt, String phase, String deletionTimestamp) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("j-driver-" + attempt)
        .withNamespace("ns")
        .withDeletionTimestamp(deletionTimestamp)
        .addToLabels(Labels.ATTEMPT, String.valueOf(attempt))
        .addToLabels(Labels.JOB, "j")
        .addToLabels(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .addToAnnotations(Labels.START_EXECUTORS, "1")
        .withCreationTimestamp("2026-11-30T11:00:00Z")
        .endMetadata()
        .withNewSpec()
        .withNodeName("node-a")
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  private static Pod ready(Pod pod) {
    return new PodBuilder(pod)
        .editStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastTransitionTime("2026-11-30T11:59:00Z")
        .endCondition()
        .endStatus()
        .build();
  }

  private static String reason(JobDecision d, ConditionType type) {
    return d.status().condition(type).map(Condition::getReason).orElse(null);
  }

  private static String message(JobDecision d, ConditionType type) {
    return d.status().condition(type).map(Condition::getMessage).orElse(null);
  }

  private static List<Reason> events(JobDecision d) {
    return d.events().stream().map(DriverLifecycle.JobEvent::reason).toList();
  }

  private static List<String> names(List<Pod> pods) {
    List<String> names = new ArrayList<>();
    pods.forEach(p -> names.add(p.getMetadata().getName()));
    return names;
  }
}
