package dev.spate.operator.recovery;

import dev.spate.api.v1alpha1.BackoffSpec;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.RestartPolicySpec;
import dev.spate.api.v1alpha1.RestartPolicyType;
import dev.spate.operator.config.OperatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whether and when a new driver starts after the previous one ended without being asked to.
 *
 * <p>Rules ({@code spec.restartPolicy}, defaults in {@link Defaults}):
 *
 * <ul>
 *   <li>{@code type}: {@code Always} restarts after any end; {@code OnFailure} restarts after every
 *       end except a clean exit 0 ({@link FailureReason#DRIVER_COMPLETED}), as Kubernetes' pod
 *       {@code restartPolicy: OnFailure} restarts a container only on a non-zero exit
 *       (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy);
 *       deletion, eviction, node loss, stuck Pending and stalled progress are failures; {@code
 *       Never} gives up at the first end.
 *   <li>The n-th restart since the last reset (n from 1) waits {@code min(initial ×
 *       multiplier^(n−1), max)} after the failure time: 10 s, 20 s, 40 s, ... 5 min by default.
 *   <li>A driver that ran at least {@code resetAfter} (default 10 min) before it ended resets the
 *       count, so its failure is restart 1 again with the initial delay.
 *   <li>When n would exceed {@code maxRestarts} (default 10; 0 = no restart) the operator gives up.
 * </ul>
 *
 * <p>Every input comes from the spec and {@code status.restarts} (count, last failure time), so a
 * decision is the same after an operator restart.
 */
public final class RestartBackoff {

  private static final Pattern ZERO = Pattern.compile("0+(ms|s|m|h)");

  /**
   * A restart policy with its defaults applied and its durations parsed.
   *
   * @param type when to restart
   * @param maxRestarts restarts allowed since the last reset, {@code >= 0}
   * @param initial delay before the first restart, {@code >= 0}
   * @param max longest delay, {@code >= 0}
   * @param multiplier factor between consecutive delays, {@code >= 1}
   * @param resetAfter running this long resets the count, {@code >= 0}
   */
  public record Policy(
      RestartPolicyType type,
      int maxRestarts,
      Duration initial,
      Duration max,
      double multiplier,
      Duration resetAfter) {

    /**
     * @throws IllegalArgumentException when a bound is out of range
     * @throws NullPointerException when type or a duration is null
     */
    public Policy {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(resetAfter, "resetAfter");
      if (maxRestarts < 0) {
        throw new IllegalArgumentException(
            "restartPolicy.maxRestarts must be >= 0, was " + maxRestarts);
      }
      if (!(multiplier >= 1)) {
        throw new IllegalArgumentException(
            "restartPolicy.backoff.multiplier must be >= 1, was " + multiplier);
      }
      if (initial.isNegative() || max.isNegative() || resetAfter.isNegative()) {
        throw new IllegalArgumentException("restartPolicy durations must not be negative");
      }
    }

    /**
     * The policy of a spec, defaults applied to every absent field.
     *
     * @param spec {@code spec.restartPolicy}, or null for all defaults
     * @return the policy
     * @throws IllegalArgumentException when a duration is not a duration ({@code 500ms}, {@code
     *     10s}, {@code 5m}, {@code 1h}, or ISO-8601 {@code PT10S}) or a bound is out of range; the
     *     message names the field
     */
    public static Policy of(RestartPolicySpec spec) {
      RestartPolicySpec p = spec == null ? new RestartPolicySpec() : spec;
      BackoffSpec b = p.getBackoff() == null ? new BackoffSpec() : p.getBackoff();
      return new Policy(
          p.getType() == null ? RestartPolicyType.ALWAYS : p.getType(),
          p.getMaxRestarts() == null ? Defaults.MAX_RESTARTS : p.getMaxRestarts(),
          duration("restartPolicy.backoff.initial", b.getInitial(), Defaults.BACKOFF_INITIAL),
          duration("restartPolicy.backoff.max", b.getMax(), Defaults.BACKOFF_MAX),
          b.getMultiplier() == null ? Defaults.BACKOFF_MULTIPLIER : b.getMultiplier(),
          duration("restartPolicy.resetAfter", p.getResetAfter(), Defaults.RESET_AFTER));
    }
  }

  private RestartBackoff() {}

  /**
   * The delay before the n-th restart since the last reset.
   *
   * @param policy the policy
   * @param n the restart number, from 1
   * @return {@code min(initial × multiplier^(n−1), max)}, to whole milliseconds
   * @throws IllegalArgumentException when n is below 1
   */
  public static Duration delay(Policy policy, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("restart number must be >= 1, was " + n);
    }
    double millis = policy.initial().toMillis() * Math.pow(policy.multiplier(), n - 1.0);
    long cap = policy.max().toMillis();
    if (Double.isNaN(millis) || millis >= cap) {
      return policy.max();
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /**
   * The restart count after a driver has run since {@code runningSince}: 0 once it ran at least
   * {@code resetAfter}, else unchanged. Use it for {@code status.restarts.count} while the job runs
   * and before {@link #decide} when it ends.
   *
   * @param policy the policy
   * @param count restarts so far ({@code status.restarts.count}, null = 0)
   * @param runningSince when the current driver became ready, or null when it never did
   * @param until now, or the time the driver ended
   * @return the count, {@code >= 0}
   */
  public static int countAfterRun(
      Policy policy, Integer count, Instant runningSince, Instant until) {
    int c = count == null ? 0 : Math.max(0, count);
    if (runningSince != null
        && until != null
        && Duration.between(runningSince, until).compareTo(policy.resetAfter()) >= 0) {
      return 0;
    }
    return c;
  }

  /**
   * Decides what follows a driver's end.
   *
   * @param policy the restart policy
   * @param failure why and when the driver ended (from {@link DriverTermination})
   * @param count restarts so far since the last reset ({@code status.restarts.count}), null = 0
   * @param runningSince when the ended driver became ready, or null when it never did (then the
   *     count is not reset)
   * @param now the time of the decision
   * @return restart now, wait until an instant, give up, or no restart
   * @throws NullPointerException when policy, failure or now is null
   */
  public static RestartDecision decide(
      Policy policy, DriverFailure failure, Integer count, Instant runningSince, Instant now) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(now, "now");
    String cause = failure.reason().value() + ": " + failure.message();
    if (policy.type() == RestartPolicyType.NEVER) {
      return new RestartDecision.GiveUp(
          RestartDecision.GiveUpReason.RESTART_POLICY_NEVER,
          "restartPolicy.type is Never; the driver ended (" + cause + ")");
    }
    if (policy.type() == RestartPolicyType.ON_FAILURE && !failure.reason().isFailure()) {
      return new RestartDecision.NoRestart(
          "restartPolicy.type is OnFailure and the driver exited with code 0; it is left ended ("
              + cause
              + ")");
    }
    int n = countAfterRun(policy, count, runningSince, failure.time()) + 1;
    if (n > policy.maxRestarts()) {
      return new RestartDecision.GiveUp(
          RestartDecision.GiveUpReason.RESTARTS_EXHAUSTED,
          "Gave up after "
              + (n - 1)
              + " restarts (restartPolicy.maxRestarts="
              + policy.maxRestarts()
              + "); last failure "
              + cause);
    }
    Duration delay = delay(policy, n);
    Instant at = failure.time().plus(delay);
    return now.isBefore(at)
        ? new RestartDecision.WaitUntil(at, n, delay)
        : new RestartDecision.RestartNow(n, delay);
  }

  /**
   * Parses a spec duration: {@code 0s}-style zero is allowed here (the schema admits it), other
   * values go through {@link OperatorConfig#parseDuration}.
   */
  static Duration duration(String field, String value, String fallback) {
    String v = value == null ? fallback : value.trim();
    if (ZERO.matcher(v).matches()) {
      return Duration.ZERO;
    }
    try {
      return OperatorConfig.parseDuration(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          field + " '" + value + "' must be a duration such as 500ms, 10s, 5m, 1h", e);
    }
  }
}
