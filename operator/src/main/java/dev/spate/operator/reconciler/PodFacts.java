package dev.spate.operator.reconciler;

import dev.spate.operator.decide.DriverState;
import dev.spate.operator.resources.DriverPod;
import dev.spate.operator.resources.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * What the operator reads off a Pod: readiness (phase {@code Running} and condition {@code
 * Ready=True}, as Kubernetes' "Pod Lifecycle" page defines them), the driver's state and end
 * message, and the labels and annotations the operator put on a driver pod.
 */
final class PodFacts {

  private PodFacts() {}

  /** Running, Ready and not being deleted. */
  static boolean isReady(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return "Running".equals(pod.getStatus().getPhase())
        && conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Whether the pod is being deleted ({@code metadata.deletionTimestamp} set). */
  static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** The driver pod's state for {@code StatusDecision}. */
  static DriverState driverState(Pod pod) {
    if (terminating(pod)) {
      return DriverState.TERMINATING;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase)) {
      return DriverState.SUCCEEDED;
    }
    if ("Failed".equals(phase)) {
      return DriverState.FAILED;
    }
    return isReady(pod) ? DriverState.READY : DriverState.STARTING;
  }

  /**
   * One line about how the driver ended or why it waits: the exit code and the first line of the
   * termination message, else the pod's message or reason; null when there is none.
   */
  static String driverMessage(Pod pod) {
    if (pod.getStatus() == null) {
      return null;
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
        if (DriverPod.CONTAINER.equals(cs.getName())
            && cs.getState() != null
            && cs.getState().getTerminated() != null) {
          var t = cs.getState().getTerminated();
          return dev.spate.operator.recovery.ExitDescription.line(
              t.getExitCode(), t.getReason(), t.getMessage());
        }
      }
    }
    return pod.getStatus().getMessage() != null
        ? pod.getStatus().getMessage()
        : pod.getStatus().getReason();
  }

  /** {@code spark.executor.instances} a driver pod started with (its annotation), or -1. */
  static int startExecutors(Pod driver) {
    Map<String, String> a = driver.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(Labels.START_EXECUTORS);
    try {
      return v == null ? -1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The attempt label of a driver pod, else {@code fallback}. */
  static int attempt(Pod driver, int fallback) {
    Map<String, String> labels = driver.getMetadata().getLabels();
    String v = labels == null ? null : labels.get(Labels.ATTEMPT);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** When the driver became Ready (its Ready condition's transition, else its start), or null. */
  static Instant runningSince(Pod driver) {
    if (driver == null || driver.getStatus() == null || !isReady(driver)) {
      return null;
    }
    String at =
        driver.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(PodCondition::getLastTransitionTime)
            .filter(t -> t != null && !t.isBlank())
            .findFirst()
            .orElse(driver.getStatus().getStartTime());
    try {
      return at == null ? null : Instant.parse(at);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
