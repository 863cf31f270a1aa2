package dev.spate.operator.sizing;

import dev.spate.operator.spark.SparkConfKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the driver applied a live resize. The operator writes {@code desiredExecutors} to the
 * job's control ConfigMap; the driver plugin ({@code spark.plugins=}{@value
 * SparkConfKeys#EXECUTOR_SCALING_PLUGIN}) applies it with {@code requestTotalExecutors} / {@code
 * killExecutors} and writes {@code appliedExecutors} and {@code appliedAt} back (docs/CONTRACT.md).
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>The plugin reports the desired count and that many executor pods are Ready → {@link
 *       Confirmed}: phase back to {@code Running}.
 *   <li>The plugin reports the desired count but the Ready executors differ (new pods scheduling
 *       and starting, killed ones terminating) → {@link InProgress}: phase {@code Rescaling}. No
 *       timeout here: the driver did its part, and a restart cannot make pods schedule faster; the
 *       EXECUTORS column shows ready/desired.
 *   <li>Else, before {@code writtenAt + timeout} → {@link Waiting}: phase {@code Rescaling};
 *       reconcile again at {@link Waiting#until()} at the latest.
 *   <li>Else → {@link TimedOut}: restart the driver from the checkpoint with {@code
 *       spark.executor.instances} = desired, with a Warning Event carrying {@link
 *       TimedOut#message()}. A driver started with the count needs no confirmation: drop the
 *       request then.
 * </ol>
 *
 * <p>{@code appliedExecutors} equal to the desired count confirms it whatever {@code appliedAt}
 * says: the count the driver last applied is the count it runs (e.g. a request 4 → 2 → 4 the plugin
 * did not act on leaves it at 4), and {@code appliedAt} comes from the driver's clock, which may be
 * skewed against the operator's. {@code appliedAt} is reported, not compared.
 */
public final class RescaleConfirmation {

  /** Default time the driver has to apply a desired count: 2 min. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  /** Event and condition reason of {@link TimedOut}. */
  public static final String TIMED_OUT_REASON =
      dev.spate.operator.decide.Reason.RESCALE_NOT_CONFIRMED.value();

  private final Duration timeout;

  /**
   * @param timeout how long after writing a desired count the driver has to report it, {@code > 0}
   * @throws IllegalArgumentException when the timeout is zero or negative
   * @throws NullPointerException when the timeout is null
   */
  public RescaleConfirmation(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the rescale timeout must be positive, was " + timeout);
    }
    this.timeout = timeout;
  }

  /**
   * @return a check with {@link #DEFAULT_TIMEOUT}
   */
  public static RescaleConfirmation withDefaults() {
    return new RescaleConfirmation(DEFAULT_TIMEOUT);
  }

  /**
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * A desired count the operator wrote to the control ConfigMap.
   *
   * @param desired executors, {@code >= 0}
   * @param writtenAt when the operator wrote it (operator clock); after an operator start, when it
   *     first saw the unconfirmed count, which gives the driver a fresh timeout
   */
  public record Request(int desired, Instant writtenAt) {
    /**
     * @throws IllegalArgumentException when desired is negative
     * @throws NullPointerException when writtenAt is null
     */
    public Request {
      if (desired < 0) {
        throw new IllegalArgumentException("desired executors must be >= 0, was " + desired);
      }
      Objects.requireNonNull(writtenAt, "writtenAt");
    }
  }

  /**
   * What the driver plugin last reported in the control ConfigMap.
   *
   * @param appliedExecutors {@code appliedExecutors}, or {@code null} when absent or not a whole
   *     number {@code >= 0}
   * @param appliedAt {@code appliedAt} (RFC 3339, driver clock), or {@code null} when absent or not
   *     a time
   */
  public record PluginReport(Integer appliedExecutors, Instant appliedAt) {

    /** No report (no plugin, or it never applied anything). */
    public static final PluginReport NONE = new PluginReport(null, null);

    /**
     * Reads the plugin's keys from the control ConfigMap's data. A malformed value reads as absent,
     * so it never confirms anything and the request times out with the reason given.
     *
     * @param data the ConfigMap's {@code data}, may be null
     * @return the report
     */
    public static PluginReport fromConfigMap(Map<String, String> data) {
      if (data == null) {
        return NONE;
      }
      return new PluginReport(
          count(data.get(SparkConfKeys.CONTROL_APPLIED_EXECUTORS)),
          time(data.get(SparkConfKeys.CONTROL_APPLIED_AT)));
    }

    private static Integer count(String text) {
      if (text == null) {
        return null;
      }
      try {
        int n = Integer.parseInt(text.trim());
        return n >= 0 ? n : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }

    private static Instant time(String text) {
      if (text == null) {
        return null;
      }
      try {
        return OffsetDateTime.parse(text.trim()).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }

    private String describe() {
      return appliedExecutors == null
          ? "the driver has reported no applied count"
          : "the driver last applied "
              + appliedExecutors
              + (appliedAt == null ? "" : " at " + appliedAt);
    }
  }

  /** The state of a live resize. */
  public sealed interface Outcome {
    /**
     * @return human-readable, for the condition message and the log
     */
    String message();
  }

  /**
   * The driver applied the desired count and that many executors are Ready.
   *
   * @param desired the count
   * @param appliedAt when the driver applied it, or null when it did not say
   * @param message e.g. {@code 4/4 executors ready (applied by the driver at ...)}
   */
  public record Confirmed(int desired, Instant appliedAt, String message) implements Outcome {}

  /**
   * The driver applied the desired count; the Ready executors do not match yet. Phase {@code
   * Rescaling}.
   *
   * @param desired the count
   * @param ready executor pods Ready now
   * @param message e.g. {@code The driver applied 4 executors at ...; 2/4 ready}
   */
  public record InProgress(int desired, int ready, String message) implements Outcome {}

  /**
   * The driver has not reported the desired count yet. Phase {@code Rescaling}; check again by
   * {@code until}.
   *
   * @param until when the request times out ({@code writtenAt + timeout})
   * @param message e.g. {@code Waiting until ... for the driver to apply 4 executors ...}
   */
  public record Waiting(Instant until, String message) implements Outcome {}

  /**
   * The driver did not report the desired count in time: restart from the checkpoint with {@code
   * spark.executor.instances} = {@code desired}.
   *
   * @param desired the count the new driver starts with
   * @param message the Event text: why, and what happens
   */
  public record TimedOut(int desired, String message) implements Outcome {
    /**
     * @return {@link #TIMED_OUT_REASON}
     */
    public String reason() {
      return TIMED_OUT_REASON;
    }
  }

  /**
   * Checks a live resize.
   *
   * @param request the count written and when
   * @param report the plugin's report ({@link PluginReport#fromConfigMap})
   * @param readyExecutors executor pods Ready now, {@code >= 0}
   * @param now the time of the check (operator clock)
   * @return confirmed, in progress, waiting or timed out (rules in the class comment)
   * @throws IllegalArgumentException when readyExecutors is negative
   * @throws NullPointerException when request, report or now is null
   */
  public Outcome check(Request request, PluginReport report, int readyExecutors, Instant now) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(now, "now");
    if (readyExecutors < 0) {
      throw new IllegalArgumentException("ready executors must be >= 0, was " + readyExecutors);
    }
    int desired = request.desired();
    String readySummary = readyExecutors + "/" + desired + " executors ready";
    if (report.appliedExecutors() != null && report.appliedExecutors() == desired) {
      String applied =
          "applied by the driver" + (report.appliedAt() == null ? "" : " at " + report.appliedAt());
      return readyExecutors == desired
          ? new Confirmed(desired, report.appliedAt(), readySummary + " (" + applied + ")")
          : new InProgress(
              desired, readyExecutors, "Rescaling: " + readySummary + " (" + applied + ")");
    }
    Instant until = request.writtenAt().plus(timeout);
    if (now.isBefore(until)) {
      return new Waiting(
          until,
          "Waiting until "
              + until
              + " for the driver to apply "
              + desired
              + " executors requested at "
              + request.writtenAt()
              + " ("
              + report.describe()
              + "; "
              + readySummary
              + ")");
    }
    return new TimedOut(
        desired,
        "The driver did not confirm "
            + desired
            + " executors within "
            + ScalingPolicy.human(timeout)
            + " of the request at "
            + request.writtenAt()
            + " ("
            + report.describe()
            + "); restarting from the checkpoint with spark.executor.instances="
            + desired);
  }
}
