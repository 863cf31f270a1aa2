package dev.spate.operator.recovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the driver of a StreamingJob has ended without being asked to, and why: a pure function
 * from the observed driver pod, the operator's own intent and the progress watch.
 *
 * <p>Rules, checked in this order (pod phases and reasons as in Kubernetes' "Pod Lifecycle" and
 * "Disruptions" pages, https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/ and
 * .../pods/disruptions/#pod-disruption-conditions):
 *
 * <ol>
 *   <li>The operator asked the driver to stop (suspend, a restart for a spec change, deletion of
 *       the job): no failure, whatever the pod shows.
 *   <li>No pod while one was created for the current attempt: {@link FailureReason#DRIVER_DELETED}.
 *       No pod and none created yet: no failure (nothing has started).
 *   <li>The pod is being deleted ({@code deletionTimestamp} set) and had not ended before (or
 *       carries a {@code DisruptionTarget} condition): by {@code DisruptionTarget} reason, {@code
 *       DeletionByTaintManager} = {@link FailureReason#NODE_LOST}, {@code
 *       EvictionByEvictionAPI}/{@code PreemptionByScheduler}/{@code TerminationByKubelet} = {@link
 *       FailureReason#DRIVER_EVICTED}; otherwise {@link FailureReason#DRIVER_DELETED}.
 *   <li>Phase {@code Failed}: status.reason {@code Evicted} or {@code Terminated}/{@code Shutdown}
 *       (graceful node shutdown) = evicted, {@code NodeLost} = node lost, else {@link
 *       FailureReason#DRIVER_FAILED} with the container's exit code.
 *   <li>Phase {@code Succeeded}, or the driver container terminated with exit 0 in any phase:
 *       {@link FailureReason#DRIVER_COMPLETED}; terminated non-zero in a non-final phase: driver
 *       failed.
 *   <li>Phase {@code Unknown}: {@link FailureReason#NODE_LOST} (the node stopped reporting).
 *   <li>Phase {@code Pending} (or not set yet) for longer than the pending timeout, measured from
 *       the pod's creation: {@link FailureReason#DRIVER_STUCK_PENDING}, the message naming the
 *       container's waiting reason or the scheduler's {@code Unschedulable}.
 *   <li>Phase {@code Running} with lag above 0 and no committed progress for longer than the stall
 *       timeout, measured from the later of the watch's start and the pod's start: {@link
 *       FailureReason#PROGRESS_STALLED}.
 * </ol>
 *
 * <p>The message is the container's termination message (the bundled job writes the exception's
 * class and message there) when present, else the most specific Kubernetes message, else a
 * description. The caller must still wait until the old driver pod and its executors are gone
 * before it starts a new driver: two drivers must never write one checkpoint.
 */
public final class DriverTermination {

  /**
   * Container waiting reasons that mean the image cannot be pulled or the container not created.
   */
  static final Set<String> STUCK_WAITING_REASONS =
      Set.of(
          "ImagePullBackOff",
          "ErrImagePull",
          "ErrImageNeverPull",
          "InvalidImageName",
          "RegistryUnavailable",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError",
          "CrashLoopBackOff");

  /**
   * What the operator knows besides the pod.
   *
   * @param driverCreated whether a driver pod was created for the current attempt (so its absence
   *     means it was deleted)
   * @param stopRequested whether the operator itself asked the driver to stop
   * @param pendingTimeout how long a driver pod may stay Pending; null or zero disables the check
   * @param stallTimeout how long a running query may go without committed progress while lag is
   *     above 0; null or zero disables the check
   * @param progress the progress watch, or null when unknown (no stall verdict then)
   * @param lag the consumer lag in records at the last poll, or null when unknown
   */
  public record Context(
      boolean driverCreated,
      boolean stopRequested,
      Duration pendingTimeout,
      Duration stallTimeout,
      ProgressWatch progress,
      Long lag) {}

  private DriverTermination() {}

  /**
   * Classifies the driver's state.
   *
   * @param pod the observed driver pod, or null when there is none
   * @param context the operator's intent and timeouts
   * @param now the time of the decision
   * @return the failure, or empty when the driver has not ended (or was asked to)
   * @throws NullPointerException when context or now is null
   */
  public static Optional<DriverFailure> classify(DriverPodState pod, Context context, Instant now) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(now, "now");
    if (context.stopRequested()) {
      return Optional.empty();
    }
    if (pod == null) {
      return context.driverCreated()
          ? failure(
              FailureReason.DRIVER_DELETED,
              "The driver pod was deleted; the operator did not ask for it.",
              null,
              now)
          : Optional.empty();
    }
    String phase = pod.phase() == null ? "Pending" : pod.phase();
    DriverPodState.Terminated ended = pod.container() == null ? null : pod.container().terminated();
    boolean finalPhase = "Failed".equals(phase) || "Succeeded".equals(phase);
    if (pod.deletionRequestedAt() != null && (pod.disruption() != null || !finalPhase)) {
      // an ended pod that is deleted afterwards (garbage collection, kubectl) keeps its cause
      return deleting(pod);
    }
    switch (phase) {
      case "Failed" -> {
        return failed(pod, ended, now);
      }
      case "Succeeded" -> {
        return completed(ended, now);
      }
      case "Unknown" -> {
        return failure(
            FailureReason.NODE_LOST,
            orElse(pod.message(), "The driver pod's phase is Unknown: its node stopped reporting."),
            null,
            now);
      }
      default -> {
        // Pending or Running
      }
    }
    if (ended != null) {
      return ended.exitCode() == 0
          ? completed(ended, now)
          : exited(FailureReason.DRIVER_FAILED, ended, null, now);
    }
    if ("Pending".equals(phase)) {
      return stuckPending(pod, context.pendingTimeout(), now);
    }
    return stalled(pod, context, now);
  }

  private static Optional<DriverFailure> deleting(DriverPodState pod) {
    Instant at = pod.deletionRequestedAt();
    String why = pod.disruption() == null ? "" : pod.disruption();
    String detail = pod.disruptionMessage();
    return switch (why) {
      case "DeletionByTaintManager" ->
          failure(
              FailureReason.NODE_LOST,
              orElse(detail, "The driver pod was deleted because its node became unreachable."),
              null,
              at);
      case "EvictionByEvictionAPI", "PreemptionByScheduler", "TerminationByKubelet" ->
          failure(
              FailureReason.DRIVER_EVICTED,
              orElse(detail, "The driver pod was evicted (" + why + ")."),
              null,
              at);
      default ->
          failure(
              FailureReason.DRIVER_DELETED,
              "The driver pod is being deleted; the operator did not ask for it.",
              null,
              at);
    };
  }

  private static Optional<DriverFailure> failed(
      DriverPodState pod, DriverPodState.Terminated ended, Instant now) {
    String reason = pod.reason() == null ? "" : pod.reason();
    Integer exitCode = ended == null ? null : ended.exitCode();
    Instant at = ended != null && ended.finishedAt() != null ? ended.finishedAt() : now;
    return switch (reason) {
      case "Evicted", "Terminated", "Shutdown" ->
          failure(
              FailureReason.DRIVER_EVICTED,
              orElse(pod.message(), "The driver pod was evicted (" + reason + ")."),
              exitCode,
              at);
      case "NodeLost" ->
          failure(
              FailureReason.NODE_LOST,
              orElse(pod.message(), "The driver pod's node was lost."),
              exitCode,
              at);
      default ->
          ended != null
              ? exited(FailureReason.DRIVER_FAILED, ended, pod.message(), now)
              : failure(
                  FailureReason.DRIVER_FAILED,
                  orElse(
                      pod.message(),
                      "The driver pod failed" + (reason.isEmpty() ? "." : " (" + reason + ").")),
                  null,
                  at);
    };
  }

  private static Optional<DriverFailure> completed(DriverPodState.Terminated ended, Instant now) {
    String fallback = "a streaming query must not finish.";
    if (ended == null) {
      return failure(
          FailureReason.DRIVER_COMPLETED, "The driver exited with code 0; " + fallback, 0, now);
    }
    return exited(FailureReason.DRIVER_COMPLETED, ended, fallback, now);
  }

  /**
   * A container end as one line ({@link ExitDescription}): exit code and signal, then the job's
   * termination message, else {@code fallback} (may be null).
   */
  private static Optional<DriverFailure> exited(
      FailureReason reason, DriverPodState.Terminated ended, String fallback, Instant now) {
    String line = ExitDescription.messageLine(ended.message());
    String message =
        ExitDescription.line(ended.exitCode(), ended.reason(), line == null ? fallback : line);
    Instant at = ended.finishedAt() == null ? now : ended.finishedAt();
    return failure(reason, message, ended.exitCode(), at);
  }

  private static Optional<DriverFailure> stuckPending(
      DriverPodState pod, Duration timeout, Instant now) {
    if (!enabled(timeout) || pod.createdAt() == null) {
      return Optional.empty();
    }
    Duration pending = Duration.between(pod.createdAt(), now);
    if (pending.compareTo(timeout) <= 0) {
      return Optional.empty();
    }
    DriverPodState.Container c = pod.container();
    String cause;
    if (c != null
        && c.waitingReason() != null
        && STUCK_WAITING_REASONS.contains(c.waitingReason())) {
      cause = c.waitingReason() + (c.waitingMessage() == null ? "" : ": " + c.waitingMessage());
    } else if (pod.unscheduledReason() != null) {
      cause =
          pod.unscheduledReason()
              + (pod.unscheduledMessage() == null ? "" : ": " + pod.unscheduledMessage());
    } else if (c != null && c.waitingReason() != null) {
      cause = c.waitingReason() + (c.waitingMessage() == null ? "" : ": " + c.waitingMessage());
    } else {
      cause = "no reason reported";
    }
    return failure(
        FailureReason.DRIVER_STUCK_PENDING,
        "The driver pod has been Pending for "
            + human(pending)
            + " (timeout "
            + human(timeout)
            + "): "
            + cause,
        null,
        now);
  }

  private static Optional<DriverFailure> stalled(DriverPodState pod, Context ctx, Instant now) {
    if (!enabled(ctx.stallTimeout())
        || ctx.progress() == null
        || ctx.lag() == null
        || ctx.lag() <= 0) {
      return Optional.empty();
    }
    Instant since = ctx.progress().since();
    if (pod.startedAt() != null && pod.startedAt().isAfter(since)) {
      since = pod.startedAt();
    }
    Duration stalled = Duration.between(since, now);
    if (stalled.compareTo(ctx.stallTimeout()) <= 0) {
      return Optional.empty();
    }
    return failure(
        FailureReason.PROGRESS_STALLED,
        "No committed progress for "
            + human(stalled)
            + " (stall timeout "
            + human(ctx.stallTimeout())
            + ") while "
            + ctx.lag()
            + " records wait to be read.",
        null,
        now);
  }

  private static boolean enabled(Duration timeout) {
    return timeout != null && !timeout.isZero() && !timeout.isNegative();
  }

  private static Optional<DriverFailure> failure(
      FailureReason reason, String message, Integer exitCode, Instant at) {
    return Optional.of(new DriverFailure(reason, message, exitCode, at));
  }

  private static String orElse(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  /** {@code 4m10s}-style text of a duration, to whole seconds. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return (h > 0 ? h + "h" : "") + (m > 0 ? m + "m" : "") + (sec > 0 ? sec + "s" : "");
  }
}
