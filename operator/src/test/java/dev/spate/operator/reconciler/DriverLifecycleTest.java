package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.DriverStatus;
import dev.spate.api.v1alpha1.FailureStatus;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.RestartsStatus;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.TestJobs;
import dev.spate.operator.decide.Reason;
import dev.spate.operator.recovery.LastAppliedSpec;
import dev.spate.operator.recovery.RestartBackoff;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.sizing.RescaleConfirmation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link DriverLifecycle#decide}: the rules in its class comment, one case each, no cluster. */
class DriverLifecycleTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final RestartBackoff.Policy POLICY =
      RestartBackoff.Policy.of(null); // 10 s ×2, 10 restarts

  private static StreamingJobSpec spec() {
    return TestJobs.load("minimal").getSpec();
  }

  private static Pod driver(int attempt, String phase) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("j-driver")
        .addToLabels(Labels.ATTEMPT, String.valueOf(attempt))
        .withCreationTimestamp("2026-11-21T11:59:00Z")
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }

  private static StreamingJobStatus running(int attempt) {
    StreamingJobStatus s = new StreamingJobStatus();
    s.setPhase(Phase.RUNNING);
    s.setAttempt(attempt);
    DriverStatus d = new DriverStatus();
    d.setPodName("j-driver");
    s.setDriver(d);
    s.setLastAppliedSpec(LastAppliedSpec.serialize(spec()));
    return s;
  }

  private static StreamingJobStatus restarting(
      String marker, int attempt, int count, Instant failedAt) {
    StreamingJobStatus s = running(attempt);
    s.setPhase(marker.equals("RestartsExhausted") ? Phase.FAILED : Phase.RESTARTING);
    s.setDriver(null);
    s.setConditions(
        List.of(new Condition(ConditionType.PROGRESSING, Condition.TRUE, marker, "m", null)));
    RestartsStatus r = new RestartsStatus();
    r.setCount(count);
    FailureStatus f = new FailureStatus();
    f.setReason("DriverFailed");
    f.setTime(failedAt.toString());
    r.setLastFailure(f);
    s.setRestarts(r);
    return s;
  }

  private static DriverLifecycle.Step decide(
      StreamingJobSpec spec,
      StreamingJobStatus previous,
      Pod driver,
      int executors,
      RescaleConfirmation.TimedOut timedOut) {
    StreamingJobSpec applied =
        previous == null ? null : LastAppliedSpec.parse(previous.getLastAppliedSpec()).orElse(null);
    return DriverLifecycle.decide(
        new DriverLifecycle.Facts(
            spec,
            applied,
            driver,
            previous != null && previous.getDriver() != null,
            executors,
            previous,
            POLICY,
            Duration.ofMinutes(10),
            Duration.ofMinutes(15),
            null,
            null,
            timedOut,
            NOW));
  }

  private static List<String> reasons(DriverLifecycle.Step step) {
    return step.events().stream().map(e -> e.reason().value()).toList();
  }

  @Test
  void firstStartCreatesAttemptOneAndRecordsTheSpec() {
    DriverLifecycle.Step step = decide(spec(), null, null, 0, null);
    assertThat(step.creating()).isTrue();
    assertThat(step.attempt()).isEqualTo(1);
    assertThat(step.recordApplied()).isTrue();
  }

  @Test
  void aLiveDriverOfAnOlderOperatorIsAdopted() {
    DriverLifecycle.Step step = decide(spec(), null, driver(3, "Running"), 2, null);
    assertThat(step.creating()).isFalse();
    assertThat(step.driverWanted()).isTrue();
    assertThat(step.attempt()).isEqualTo(3);
  }

  @Test
  void aFailedDriverIsStoppedAndARestartScheduled() {
    Pod failed =
        new PodBuilder(driver(1, "Failed"))
            .editStatus()
            .addNewContainerStatus()
            .withName("spark-kubernetes-driver")
            .withNewState()
            .withNewTerminated()
            .withExitCode(1)
            .withMessage("boom")
            .withFinishedAt("2026-11-21T11:59:58Z")
            .endTerminated()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();
    DriverLifecycle.Step step = decide(spec(), running(1), failed, 1, null);
    assertThat(step.driverWanted()).isFalse();
    assertThat(step.deleteExecutors()).isTrue();
    assertThat(step.phase()).isEqualTo(Phase.RESTARTING);
    assertThat(step.restarts().getCount()).isEqualTo(1);
    assertThat(step.restarts().getLastFailure().getMessage()).isEqualTo("Exit code 1: boom");
    assertThat(step.recheckAfter())
        .as("failed 2 s ago, 10 s backoff")
        .isEqualTo(Duration.ofSeconds(8));
    assertThat(reasons(step)).containsExactly("DriverFailed");
    assertThat(step.verdicts())
        .anySatisfy(
            v -> {
              assertThat(v.type()).isEqualTo(ConditionType.PROGRESSING);
              assertThat(v.reason().value()).isEqualTo(Reason.RESTART_BACKOFF.value());
              assertThat(v.message()).contains("Restart 1 at 2026-11-21T12:00:08Z");
            });
  }

  @Test
  void aRestartWaitsForTheBackoffAndForEveryOldPod() {
    StreamingJobStatus waiting =
        restarting(Reason.RESTART_BACKOFF.value(), 1, 1, NOW.minusSeconds(4));
    DriverLifecycle.Step early = decide(spec(), waiting, null, 0, null);
    assertThat(early.creating()).isFalse();
    assertThat(early.recheckAfter()).isEqualTo(Duration.ofSeconds(6));

    StreamingJobStatus due = restarting(Reason.RESTART_BACKOFF.value(), 1, 1, NOW.minusSeconds(11));
    DriverLifecycle.Step executorsLeft = decide(spec(), due, null, 1, null);
    assertThat(executorsLeft.creating()).as("an executor of attempt 1 still exists").isFalse();
    assertThat(executorsLeft.deleteExecutors()).isTrue();

    DriverLifecycle.Step now = decide(spec(), due, null, 0, null);
    assertThat(now.creating()).isTrue();
    assertThat(now.attempt()).isEqualTo(2);
    assertThat(now.restarts().getLastRestartTime()).isEqualTo("2026-11-21T12:00:00Z");
    assertThat(reasons(now)).containsExactly("Restarted");
  }

  @Test
  void aJobGivenUpStaysEndedUntilTheSpecChanges() {
    StreamingJobStatus gaveUp = restarting("RestartsExhausted", 11, 10, NOW.minusSeconds(60));
    DriverLifecycle.Step same = decide(spec(), gaveUp, null, 0, null);
    assertThat(same.creating()).isFalse();
    assertThat(same.phase()).isEqualTo(Phase.FAILED);

    StreamingJobSpec nonce = spec();
    nonce.setRestartNonce(7L);
    DriverLifecycle.Step again = decide(nonce, gaveUp, null, 0, null);
    assertThat(again.creating()).isTrue();
    assertThat(again.attempt()).isEqualTo(12);
    assertThat(again.restarts().getCount()).isZero();
  }

  @Test
  void anIncompatibleEditKeepsTheDriverAndRunsTheAppliedSpec() {
    StreamingJobSpec topics = spec();
    topics.getKafka().setInputTopics(List.of("other"));
    DriverLifecycle.Step step = decide(topics, running(1), driver(1, "Running"), 1, null);
    assertThat(step.useApplied()).isTrue();
    assertThat(step.driverWanted()).isTrue();
    assertThat(step.creating()).isFalse();
    assertThat(step.recordApplied()).isFalse();
    assertThat(reasons(step)).containsExactly(Reason.CHECKPOINT_INCOMPATIBLE.value());
    DriverLifecycle.Verdict ready = step.verdicts().get(0);
    assertThat(ready.reason().value()).isEqualTo(Reason.CHECKPOINT_INCOMPATIBLE.value());
    assertThat(ready.message()).contains("checkpoint.location");

    StreamingJobStatus reported = running(1);
    reported.setConditions(
        List.of(
            new Condition(
                ConditionType.READY,
                Condition.FALSE,
                ready.reason().value(),
                ready.message(),
                null)));
    assertThat(decide(topics, reported, driver(1, "Running"), 1, null).events())
        .as("one Event per transition")
        .isEmpty();
  }

  @Test
  void aRestartEditStopsGracefullyThenStartsTheNextAttempt() {
    StreamingJobSpec conf = spec();
    conf.setSparkConf(Map.of("spark.sql.adaptive.enabled", "false"));
    DriverLifecycle.Step stop = decide(conf, running(1), driver(1, "Running"), 1, null);
    assertThat(stop.driverWanted()).isFalse();
    assertThat(stop.phase()).isEqualTo(Phase.RESTARTING);
    assertThat(reasons(stop)).containsExactly("Restarting");
    assertThat(stop.restarts().getCount()).as("not a failure").isZero();

    DriverLifecycle.Step start = decide(conf, running(1), null, 0, null);
    assertThat(start.creating()).isTrue();
    assertThat(start.attempt()).isEqualTo(2);
    assertThat(start.recordApplied()).isTrue();
  }

  @Test
  void executorCoresAreARestartThatSaysSo() {
    StreamingJobSpec cores = spec();
    dev.spate.api.v1alpha1.ExecutorSpec executor = new dev.spate.api.v1alpha1.ExecutorSpec();
    executor.setCores(4);
    cores.setExecutor(executor);
    DriverLifecycle.Step stop = decide(cores, running(1), driver(1, "Running"), 1, null);
    assertThat(stop.driverWanted()).isFalse();
    assertThat(stop.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.RESTARTING);
              assertThat(e.message())
                  .contains("restart from checkpoint")
                  .contains("executor.cores");
            });
  }

  @Test
  void suspendStopsAndResumeStarts() {
    StreamingJobSpec suspended = spec();
    suspended.setSuspend(true);
    DriverLifecycle.Step stop = decide(suspended, running(1), driver(1, "Running"), 1, null);
    assertThat(stop.driverWanted()).isFalse();
    assertThat(stop.recordApplied()).isTrue();
    assertThat(reasons(stop)).containsExactly("Suspended");

    StreamingJobStatus wasSuspended = running(1);
    wasSuspended.setDriver(null);
    wasSuspended.setLastAppliedSpec(LastAppliedSpec.serialize(suspended));
    assertThat(decide(suspended, wasSuspended, null, 0, null).driverWanted()).isFalse();
    DriverLifecycle.Step resume = decide(spec(), wasSuspended, null, 0, null);
    assertThat(resume.creating()).isTrue();
    assertThat(resume.attempt()).isEqualTo(2);
    assertThat(reasons(resume)).containsExactly("Resumed");
  }

  @Test
  void anUnconfirmedResizeIsARequestedRestart() {
    Pod ready =
        new PodBuilder(driver(1, "Running"))
            .editStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    DriverLifecycle.Step step =
        decide(spec(), running(1), ready, 2, new RescaleConfirmation.TimedOut(4, "not confirmed"));
    assertThat(step.driverWanted()).isFalse();
    assertThat(step.restarts().getCount()).isZero();
    assertThat(reasons(step)).containsExactly(RescaleConfirmation.TIMED_OUT_REASON);
  }
}
