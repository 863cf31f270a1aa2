package dev.spate.operator.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link RestartBackoff} decided after a driver ended: start a new driver now, wait, give up,
 * or leave the job ended.
 */
public sealed interface RestartDecision {

  /**
   * Start a new driver from the checkpoint now (after the old driver and its executors are gone).
   *
   * @param restartCount the value of {@code status.restarts.count} once this restart is made (1 =
   *     first restart since the last reset)
   * @param delay the backoff this restart waited for since the failure
   */
  record RestartNow(int restartCount, Duration delay) implements RestartDecision {}

  /**
   * Wait: phase {@code Restarting}; reconcile again at {@code at} (e.g. JOSDK {@code
   * UpdateControl.rescheduleAfter(Duration.between(now, at))}). The time is derived from the
   * failure time in status, so it survives an operator restart.
   *
   * @param at when the new driver may start
   * @param restartCount as in {@link RestartNow}
   * @param delay the whole backoff of this restart
   */
  record WaitUntil(Instant at, int restartCount, Duration delay) implements RestartDecision {
    /**
     * @return a status message such as {@code Restart 3 at 2026-11-21T10:00:40Z (backoff 40s).}
     */
    public String message() {
      return "Restart "
          + restartCount
          + " at "
          + at
          + " (backoff "
          + DriverTermination.human(delay)
          + ").";
    }
  }

  /**
   * Give up: phase {@code Failed}, condition {@code Degraded=True} with {@link #reason()}. No
   * further attempt until the spec or {@code spec.restartNonce} changes.
   *
   * @param reason the condition reason
   * @param message human-readable, names the last failure
   */
  record GiveUp(GiveUpReason reason, String message) implements RestartDecision {
    /**
     * @throws NullPointerException when reason or message is null
     */
    public GiveUp {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * No restart, by the policy's own terms: {@code OnFailure} and the driver exited 0. The job is
   * left ended (phase {@code Failed}, since a streaming job has no successful end, with the
   * failure's reason {@code DriverCompleted}); like {@link GiveUp}, only a spec change starts it
   * again.
   *
   * @param message human-readable
   */
  record NoRestart(String message) implements RestartDecision {}

  /** Why the operator gave up restarting. */
  enum GiveUpReason {
    /** {@code spec.restartPolicy.type: Never}. */
    RESTART_POLICY_NEVER("RestartPolicyNever"),
    /** More restarts since the last reset than {@code spec.restartPolicy.maxRestarts} allows. */
    RESTARTS_EXHAUSTED("RestartsExhausted");

    private final String value;

    GiveUpReason(String value) {
      this.value = value;
    }

    /**
     * @return the CamelCase condition reason
     */
    public String value() {
      return value;
    }

    /**
     * @return the reason of the operator's vocabulary with the same name
     */
    public dev.spate.operator.decide.Reason reason() {
      return dev.spate.operator.decide.Reason.valueOf(name());
    }
  }
}
