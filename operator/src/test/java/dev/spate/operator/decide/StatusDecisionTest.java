package dev.spate.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.operator.decide.StatusDecision.Decision;
import dev.spate.operator.decide.StatusDecision.Observation;
import dev.spate.operator.kafka.KafkaSnapshot;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusDecisionTest {

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-21T10:05:00Z");
  private static final KafkaSnapshot KAFKA_OK = new KafkaSnapshot(8, 10L, 3L, null, null, T0);

  private static Observation obs(
      String invalid,
      boolean suspend,
      DriverState driver,
      int ready,
      int desired,
      KafkaSnapshot kafka) {
    return new Observation(invalid, suspend, driver, null, ready, desired, kafka);
  }

  private static Condition get(Decision d, ConditionType type) {
    return d.conditions().stream().filter(c -> c.is(type)).findFirst().orElseThrow();
  }

  private static String summary(Decision d) {
    return d.phase().value()
        + " "
        + String.join(
            " ",
            d.conditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                .toList());
  }

  @ParameterizedTest(name = "{0} suspend={1} invalid={2} exec={3}/{4} -> {5}")
  @CsvSource(
      delimiter = ';',
      value = {
        "ABSENT;false;false;0;2;Pending Ready=False/DriverStarting Progressing=True/DriverStarting Degraded=False/AsExpected",
        "ABSENT;true;false;0;2;Suspended Ready=False/Suspended Progressing=False/Suspended Degraded=False/AsExpected",
        "ABSENT;false;true;0;2;Pending Ready=False/InvalidSpec Progressing=False/InvalidSpec Degraded=True/InvalidSpec",
        "STARTING;false;false;0;2;Starting Ready=False/DriverStarting Progressing=True/DriverStarting Degraded=False/AsExpected",
        "READY;false;false;2;2;Running Ready=True/Running Progressing=False/Stable Degraded=False/AsExpected",
        "READY;false;false;1;2;Rescaling Ready=True/Running Progressing=True/ExecutorsScaling Degraded=False/AsExpected",
        "READY;false;true;2;2;Running Ready=False/InvalidSpec Progressing=False/Stable Degraded=True/InvalidSpec",
        "READY;true;false;2;2;Suspended Ready=False/Suspending Progressing=True/Suspending Degraded=False/AsExpected",
        "TERMINATING;true;false;0;2;Suspended Ready=False/Suspending Progressing=True/Suspending Degraded=False/AsExpected",
        "TERMINATING;false;false;0;2;Restarting Ready=False/DriverTerminating Progressing=True/DriverTerminating Degraded=False/AsExpected",
        "FAILED;false;false;0;2;Failed Ready=False/DriverFailed Progressing=False/DriverFailed Degraded=True/DriverFailed",
        "SUCCEEDED;false;false;0;2;Failed Ready=False/DriverSucceeded Progressing=False/DriverSucceeded Degraded=True/DriverSucceeded"
      })
  void phaseAndConditionsFollowTheDriver(
      DriverState driver,
      boolean suspend,
      boolean invalid,
      int ready,
      int desired,
      String expected) {
    Decision d =
        StatusDecision.decide(
            obs(invalid ? "spec.x: bad" : null, suspend, driver, ready, desired, KAFKA_OK),
            null,
            T0);
    assertThat(summary(d)).isEqualTo(expected);
  }

  @Test
  void invalidSpecMessageIsTheValidationError() {
    Decision d =
        StatusDecision.decide(
            obs(
                "spec.executor.minExecutors: must be <= max",
                false,
                DriverState.ABSENT,
                0,
                1,
                null),
            null,
            T0);
    assertThat(get(d, ConditionType.READY).getMessage())
        .isEqualTo("spec.executor.minExecutors: must be <= max");
  }

  @Test
  void kafkaProblemDegradesButKeepsTheRunningJobReady() {
    KafkaSnapshot down =
        KafkaSnapshot.failed(Reason.KAFKA_UNAVAILABLE, "Kafka at k:9092 did not answer", T0);
    Decision d = StatusDecision.decide(obs(null, false, DriverState.READY, 2, 2, down), null, T0);
    assertThat(d.phase()).isEqualTo(Phase.RUNNING);
    assertThat(get(d, ConditionType.READY).getStatus()).isEqualTo(Condition.TRUE);
    Condition degraded = get(d, ConditionType.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo(Condition.TRUE);
    assertThat(degraded.getReason()).isEqualTo("KafkaUnavailable");
    assertThat(degraded.getMessage()).contains("k:9092");
  }

  @Test
  void driverFailureMessageIsShown() {
    Decision d =
        StatusDecision.decide(
            new Observation(
                null,
                false,
                DriverState.FAILED,
                "Driver exited with code 1: OutOfMemoryError",
                0,
                2,
                null),
            null,
            T0);
    assertThat(get(d, ConditionType.READY).getMessage())
        .isEqualTo("Driver exited with code 1: OutOfMemoryError");
  }

  @Test
  void lastTransitionTimeIsKeptWhileStatusIsUnchanged() {
    Decision first =
        StatusDecision.decide(obs(null, false, DriverState.STARTING, 0, 2, null), null, T0);
    assertThat(first.conditions())
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-21T10:00:00Z"));

    // Ready stays False (reason changes), Progressing stays True: times kept
    Decision still =
        StatusDecision.decide(
            obs("spec.x: bad", false, DriverState.STARTING, 0, 2, null), first.conditions(), T1);
    assertThat(get(still, ConditionType.READY).getReason()).isEqualTo("InvalidSpec");
    assertThat(get(still, ConditionType.READY).getLastTransitionTime())
        .isEqualTo("2026-11-21T10:00:00Z");
    // Degraded flipped to True: new time
    assertThat(get(still, ConditionType.DEGRADED).getLastTransitionTime())
        .isEqualTo("2026-11-21T10:05:00Z");

    Decision running =
        StatusDecision.decide(
            obs(null, false, DriverState.READY, 2, 2, null), first.conditions(), T1);
    assertThat(get(running, ConditionType.READY).getLastTransitionTime())
        .isEqualTo("2026-11-21T10:05:00Z");
    assertThat(get(running, ConditionType.PROGRESSING).getLastTransitionTime())
        .isEqualTo("2026-11-21T10:05:00Z");
    assertThat(get(running, ConditionType.DEGRADED).getLastTransitionTime())
        .isEqualTo("2026-11-21T10:00:00Z");
  }

  @Test
  void conditionsComeInAFixedOrder() {
    Decision d =
        StatusDecision.decide(obs(null, false, DriverState.READY, 1, 1, null), List.of(), T0);
    assertThat(d.conditions())
        .extracting(Condition::getType)
        .containsExactly("Ready", "Progressing", "Degraded");
  }
}
