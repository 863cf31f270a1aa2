package dev.spate.operator.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.api.v1alpha1.BackoffSpec;
import dev.spate.api.v1alpha1.RestartPolicySpec;
import dev.spate.api.v1alpha1.RestartPolicyType;
import dev.spate.operator.recovery.RestartBackoff.Policy;
import dev.spate.operator.recovery.RestartDecision.GiveUp;
import dev.spate.operator.recovery.RestartDecision.GiveUpReason;
import dev.spate.operator.recovery.RestartDecision.NoRestart;
import dev.spate.operator.recovery.RestartDecision.RestartNow;
import dev.spate.operator.recovery.RestartDecision.WaitUntil;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartBackoffTest {

  private static final Instant FAILED_AT = Instant.parse("2026-11-21T10:00:00Z");
  private static final Policy DEFAULTS = Policy.of(null);

  private static DriverFailure failure(FailureReason reason) {
    return new DriverFailure(reason, "boom", reason.isFailure() ? 1 : 0, FAILED_AT);
  }

  private static Policy policy(RestartPolicyType type, Integer maxRestarts) {
    RestartPolicySpec spec = new RestartPolicySpec();
    spec.setType(type);
    spec.setMaxRestarts(maxRestarts);
    return Policy.of(spec);
  }

  @Test
  void defaultsAreAlwaysTenRestartsTenSecondsDoublingToFiveMinutesResetAfterTen() {
    assertThat(DEFAULTS)
        .isEqualTo(
            new Policy(
                RestartPolicyType.ALWAYS,
                10,
                Duration.ofSeconds(10),
                Duration.ofMinutes(5),
                2.0,
                Duration.ofMinutes(10)));
  }

  @ParameterizedTest(name = "restart {0} waits {1}")
  @CsvSource({
    "1,PT10S",
    "2,PT20S",
    "3,PT40S",
    "4,PT1M20S",
    "5,PT2M40S",
    "6,PT5M",
    "7,PT5M",
    "10,PT5M",
    "1000,PT5M",
    "2147483647,PT5M"
  })
  void defaultScheduleDoublesUpToTheMax(int n, Duration expected) {
    assertThat(RestartBackoff.delay(DEFAULTS, n)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "initial={0} max={1} x{2}: restart {3} waits {4}")
  @CsvSource({
    "1s, 1m, 3.0, 1, PT1S",
    "1s, 1m, 3.0, 3, PT9S",
    "1s, 1m, 3.0, 4, PT27S",
    "1s, 1m, 3.0, 5, PT1M",
    "500ms, 1h, 1.5, 3, PT1.125S",
    "30s, 30s, 1.0, 9, PT30S",
    "0s, 5m, 2.0, 4, PT0S",
    "PT15S, 2m, 2.0, 2, PT30S"
  })
  void customSchedules(String initial, String max, double multiplier, int n, Duration expected) {
    BackoffSpec backoff = new BackoffSpec();
    backoff.setInitial(initial);
    backoff.setMax(max);
    backoff.setMultiplier(multiplier);
    RestartPolicySpec spec = new RestartPolicySpec();
    spec.setBackoff(backoff);

    assertThat(RestartBackoff.delay(Policy.of(spec), n)).isEqualTo(expected);
  }

  @Test
  void firstFailureWaitsTheInitialDelayFromTheFailureTime() {
    RestartDecision d =
        RestartBackoff.decide(
            DEFAULTS, failure(FailureReason.DRIVER_FAILED), 0, null, FAILED_AT.plusSeconds(3));

    assertThat(d).isEqualTo(new WaitUntil(FAILED_AT.plusSeconds(10), 1, Duration.ofSeconds(10)));
    assertThat(((WaitUntil) d).message())
        .isEqualTo("Restart 1 at 2026-11-21T10:00:10Z (backoff 10s).");
  }

  @Test
  void restartsOnceTheBackoffHasPassedAlsoAfterAnOperatorRestart() {
    // the operator was down for a minute: the wait is over, restart at once
    RestartDecision d =
        RestartBackoff.decide(
            DEFAULTS, failure(FailureReason.DRIVER_FAILED), 2, null, FAILED_AT.plusSeconds(60));

    assertThat(d).isEqualTo(new RestartNow(3, Duration.ofSeconds(40)));
    assertThat(
            RestartBackoff.decide(
                DEFAULTS, failure(FailureReason.DRIVER_FAILED), 2, null, FAILED_AT.plusSeconds(40)))
        .isInstanceOf(RestartNow.class);
    assertThat(
            RestartBackoff.decide(
                DEFAULTS, failure(FailureReason.DRIVER_FAILED), 2, null, FAILED_AT.plusSeconds(39)))
        .isInstanceOf(WaitUntil.class);
  }

  @Test
  void theLastRestartOfTheBudgetIsMadeAndTheNextGivesUp() {
    RestartDecision last =
        RestartBackoff.decide(DEFAULTS, failure(FailureReason.DRIVER_EVICTED), 9, null, FAILED_AT);
    RestartDecision over =
        RestartBackoff.decide(DEFAULTS, failure(FailureReason.DRIVER_EVICTED), 10, null, FAILED_AT);

    assertThat(last)
        .isEqualTo(new WaitUntil(FAILED_AT.plus(Duration.ofMinutes(5)), 10, Duration.ofMinutes(5)));
    assertThat(over).isInstanceOf(GiveUp.class);
    GiveUp giveUp = (GiveUp) over;
    assertThat(giveUp.reason()).isEqualTo(GiveUpReason.RESTARTS_EXHAUSTED);
    assertThat(giveUp.reason().value()).isEqualTo("RestartsExhausted");
    assertThat(giveUp.message())
        .isEqualTo(
            "Gave up after 10 restarts (restartPolicy.maxRestarts=10); last failure"
                + " DriverEvicted: boom");
  }

  @Test
  void aDriverThatRanStablyResetsTheCountAndTheDelay() {
    Instant runningSince = FAILED_AT.minus(Duration.ofMinutes(10));

    RestartDecision d =
        RestartBackoff.decide(
            DEFAULTS, failure(FailureReason.DRIVER_FAILED), 10, runningSince, FAILED_AT);

    assertThat(d).isEqualTo(new WaitUntil(FAILED_AT.plusSeconds(10), 1, Duration.ofSeconds(10)));
  }

  @Test
  void aDriverThatRanLessThanResetAfterKeepsTheCount() {
    Instant runningSince = FAILED_AT.minus(Duration.ofMinutes(10)).plusSeconds(1);

    RestartDecision d =
        RestartBackoff.decide(
            DEFAULTS, failure(FailureReason.DRIVER_FAILED), 4, runningSince, FAILED_AT);

    assertThat(d).isEqualTo(new WaitUntil(FAILED_AT.plusSeconds(160), 5, Duration.ofSeconds(160)));
  }

  @ParameterizedTest(name = "{0} after {1} -> {2}")
  @CsvSource({
    "ALWAYS, DRIVER_COMPLETED, WaitUntil",
    "ALWAYS, DRIVER_FAILED, WaitUntil",
    "ALWAYS, DRIVER_DELETED, WaitUntil",
    "ON_FAILURE, DRIVER_COMPLETED, NoRestart",
    "ON_FAILURE, DRIVER_FAILED, WaitUntil",
    "ON_FAILURE, DRIVER_EVICTED, WaitUntil",
    "ON_FAILURE, DRIVER_DELETED, WaitUntil",
    "ON_FAILURE, NODE_LOST, WaitUntil",
    "ON_FAILURE, DRIVER_STUCK_PENDING, WaitUntil",
    "ON_FAILURE, PROGRESS_STALLED, WaitUntil",
    "NEVER, DRIVER_FAILED, GiveUp",
    "NEVER, DRIVER_COMPLETED, GiveUp"
  })
  void policyTypeDecidesWhichEndsRestart(
      RestartPolicyType type, FailureReason reason, String expected) {
    RestartDecision d =
        RestartBackoff.decide(policy(type, null), failure(reason), 0, null, FAILED_AT);

    assertThat(d.getClass().getSimpleName()).isEqualTo(expected);
  }

  @Test
  void neverAndOnFailureSayWhy() {
    assertThat(
            RestartBackoff.decide(
                policy(RestartPolicyType.NEVER, null),
                failure(FailureReason.NODE_LOST),
                0,
                null,
                FAILED_AT))
        .isEqualTo(
            new GiveUp(
                GiveUpReason.RESTART_POLICY_NEVER,
                "restartPolicy.type is Never; the driver ended (NodeLost: boom)"));
    assertThat(
            RestartBackoff.decide(
                policy(RestartPolicyType.ON_FAILURE, null),
                failure(FailureReason.DRIVER_COMPLETED),
                0,
                null,
                FAILED_AT))
        .isEqualTo(
            new NoRestart(
                "restartPolicy.type is OnFailure and the driver exited with"
                    + " code 0; it is left ended (DriverCompleted: boom)"));
  }

  @Test
  void aBudgetOfZeroGivesUpAtTheFirstEnd() {
    assertThat(
            RestartBackoff.decide(
                policy(RestartPolicyType.ALWAYS, 0),
                failure(FailureReason.DRIVER_FAILED),
                null,
                null,
                FAILED_AT))
        .isInstanceOf(GiveUp.class);
  }

  @Test
  void aZeroInitialDelayRestartsAtOnce() {
    BackoffSpec backoff = new BackoffSpec();
    backoff.setInitial("0s");
    RestartPolicySpec spec = new RestartPolicySpec();
    spec.setBackoff(backoff);

    assertThat(
            RestartBackoff.decide(
                Policy.of(spec), failure(FailureReason.DRIVER_FAILED), 0, null, FAILED_AT))
        .isEqualTo(new RestartNow(1, Duration.ZERO));
  }

  @ParameterizedTest(name = "count {0}, ran {1} -> {2}")
  @CsvSource({"3, PT10M, 0", "3, PT9M59S, 3", "0, PT1H, 0", ", PT1M, 0", "-2, PT1M, 0"})
  void countResetsAfterAStableRun(Integer count, Duration ran, int expected) {
    Instant since = FAILED_AT.minus(ran);

    assertThat(RestartBackoff.countAfterRun(DEFAULTS, count, since, FAILED_AT)).isEqualTo(expected);
  }

  @Test
  void aDriverThatNeverRanDoesNotResetTheCount() {
    assertThat(RestartBackoff.countAfterRun(DEFAULTS, 4, null, FAILED_AT)).isEqualTo(4);
  }

  @Test
  void badDurationsNameTheField() {
    RestartPolicySpec spec = new RestartPolicySpec();
    spec.setResetAfter("ten minutes");

    assertThatThrownBy(() -> Policy.of(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "restartPolicy.resetAfter 'ten minutes' must be a duration such as 500ms,"
                + " 10s, 5m, 1h");
  }

  @Test
  void outOfRangeBoundsAreRejected() {
    RestartPolicySpec negative = new RestartPolicySpec();
    negative.setMaxRestarts(-1);
    BackoffSpec shrinking = new BackoffSpec();
    shrinking.setMultiplier(0.5);
    RestartPolicySpec shrinkingSpec = new RestartPolicySpec();
    shrinkingSpec.setBackoff(shrinking);

    assertThatThrownBy(() -> Policy.of(negative))
        .hasMessage("restartPolicy.maxRestarts must be >= 0, was -1");
    assertThatThrownBy(() -> Policy.of(shrinkingSpec))
        .hasMessage("restartPolicy.backoff.multiplier must be >= 1, was 0.5");
    assertThatThrownBy(() -> RestartBackoff.delay(DEFAULTS, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
