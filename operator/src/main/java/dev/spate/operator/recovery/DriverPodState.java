package dev.spate.operator.recovery;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * What {@link DriverTermination} needs to know of a driver pod, extracted from a fabric8 {@link
 * Pod} by {@link #of(Pod, String)} (or built directly in tests).
 *
 * <p>Fields follow the Pod API ({@code status.phase}, {@code status.reason}, {@code
 * status.conditions}, {@code status.containerStatuses[].state}); see
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/.
 *
 * @param phase {@code status.phase}: {@code Pending}, {@code Running}, {@code Succeeded}, {@code
 *     Failed} or {@code Unknown}; null when the API server has not set it yet (read as Pending)
 * @param reason {@code status.reason}, e.g. {@code Evicted}, {@code NodeLost}, {@code Terminated}
 *     (graceful node shutdown), {@code OutOfmemory} (admission), or null
 * @param message {@code status.message}, or null
 * @param createdAt {@code metadata.creationTimestamp}, or null
 * @param startedAt {@code status.startTime} (the kubelet accepted the pod), or null
 * @param deletionRequestedAt when deletion was requested: {@code metadata.deletionTimestamp} minus
 *     {@code metadata.deletionGracePeriodSeconds}; null when the pod is not being deleted
 * @param disruption the {@code DisruptionTarget} condition's reason when its status is True ({@code
 *     EvictionByEvictionAPI}, {@code PreemptionByScheduler}, {@code DeletionByTaintManager}, {@code
 *     TerminationByKubelet}, ...), or null
 * @param disruptionMessage that condition's message, or null
 * @param unscheduledReason the {@code PodScheduled} condition's reason when its status is False
 *     (normally {@code Unschedulable}), or null
 * @param unscheduledMessage that condition's message, e.g. {@code 0/3 nodes are available: ...}
 * @param container the driver container's state, or null when the kubelet reported none yet
 */
public record DriverPodState(
    String phase,
    String reason,
    String message,
    Instant createdAt,
    Instant startedAt,
    Instant deletionRequestedAt,
    String disruption,
    String disruptionMessage,
    String unscheduledReason,
    String unscheduledMessage,
    Container container) {

  /** Pod condition type set on pods about to be disrupted (Kubernetes 1.26+). */
  public static final String DISRUPTION_TARGET = "DisruptionTarget";

  /** Pod condition type telling whether the scheduler bound the pod to a node. */
  public static final String POD_SCHEDULED = "PodScheduled";

  /**
   * The driver container's state ({@code status.containerStatuses[]}).
   *
   * @param ready the container's {@code ready}
   * @param waitingReason {@code state.waiting.reason} ({@code ContainerCreating}, {@code
   *     ImagePullBackOff}, {@code ErrImagePull}, {@code CreateContainerConfigError}, ...), or null
   * @param waitingMessage {@code state.waiting.message}, or null
   * @param terminated {@code state.terminated}, or null while the container has not ended
   */
  public record Container(
      boolean ready, String waitingReason, String waitingMessage, Terminated terminated) {}

  /**
   * A container's end ({@code state.terminated}).
   *
   * @param exitCode the exit code; 137 = SIGKILL (also OOMKilled), 143 = SIGTERM
   * @param reason {@code Completed}, {@code Error}, {@code OOMKilled}, ... or null
   * @param message the termination message (file at {@code terminationMessagePath}, or the log tail
   *     with {@code FallbackToLogsOnError}), or null
   * @param finishedAt when it ended, or null
   */
  public record Terminated(int exitCode, String reason, String message, Instant finishedAt) {}

  /**
   * Extracts the state of a driver pod.
   *
   * @param pod the pod as read from the API server (status may be null, as the fabric8 mock returns
   *     it); null is not allowed: an absent pod is classified by {@link DriverTermination} itself
   * @param containerName the driver container's name ({@code spark-kubernetes-driver}); when no
   *     status has that name the first container status is used
   * @return the state
   * @throws NullPointerException when pod is null
   */
  public static DriverPodState of(Pod pod, String containerName) {
    PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    var meta = pod.getMetadata();
    Instant created = meta == null ? null : instant(meta.getCreationTimestamp());
    Instant deletion = meta == null ? null : instant(meta.getDeletionTimestamp());
    if (deletion != null && meta.getDeletionGracePeriodSeconds() != null) {
      deletion = deletion.minusSeconds(meta.getDeletionGracePeriodSeconds());
    }
    Optional<PodCondition> disruption = condition(status, DISRUPTION_TARGET, "True");
    Optional<PodCondition> unscheduled = condition(status, POD_SCHEDULED, "False");
    return new DriverPodState(
        status.getPhase(),
        status.getReason(),
        status.getMessage(),
        created,
        instant(status.getStartTime()),
        deletion,
        disruption.map(PodCondition::getReason).orElse(null),
        disruption.map(PodCondition::getMessage).orElse(null),
        unscheduled.map(c -> c.getReason() == null ? "Unschedulable" : c.getReason()).orElse(null),
        unscheduled.map(PodCondition::getMessage).orElse(null),
        container(status.getContainerStatuses(), containerName));
  }

  private static Optional<PodCondition> condition(PodStatus status, String type, String value) {
    List<PodCondition> conditions = status.getConditions();
    return conditions == null
        ? Optional.empty()
        : conditions.stream()
            .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
            .findFirst();
  }

  private static Container container(List<ContainerStatus> statuses, String name) {
    if (statuses == null || statuses.isEmpty()) {
      return null;
    }
    ContainerStatus cs =
        statuses.stream().filter(s -> name.equals(s.getName())).findFirst().orElse(statuses.get(0));
    ContainerStateWaiting waiting = cs.getState() == null ? null : cs.getState().getWaiting();
    ContainerStateTerminated ended = cs.getState() == null ? null : cs.getState().getTerminated();
    Terminated terminated =
        ended == null
            ? null
            : new Terminated(
                ended.getExitCode() == null ? -1 : ended.getExitCode(),
                ended.getReason(),
                ended.getMessage(),
                instant(ended.getFinishedAt()));
    return new Container(
        Boolean.TRUE.equals(cs.getReady()),
        waiting == null ? null : waiting.getReason(),
        waiting == null ? null : waiting.getMessage(),
        terminated);
  }

  /** RFC 3339 as the API server writes it; an unreadable or absent time is null. */
  private static Instant instant(String rfc3339) {
    if (rfc3339 == null || rfc3339.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
