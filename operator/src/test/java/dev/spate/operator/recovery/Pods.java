package dev.spate.operator.recovery;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Driver pods as the API server reports them, built with fabric8's builders. */
final class Pods {

  static final String DRIVER = "spark-kubernetes-driver";
  static final Instant CREATED = Instant.parse("2026-11-21T10:00:00Z");
  static final Instant STARTED = Instant.parse("2026-11-21T10:00:05Z");

  private final PodBuilder pod =
      new PodBuilder()
          .withNewMetadata()
          .withName("job-driver")
          .withCreationTimestamp(CREATED.toString())
          .endMetadata();
  private String phase;
  private String reason;
  private String message;
  private String startTime;
  private ContainerStatus container;
  private final List<PodCondition> conditions = new ArrayList<>();
  private boolean noStatus;

  static Pods pod(String phase) {
    Pods p = new Pods();
    p.phase = phase;
    return p;
  }

  /** A pod as fabric8's CRUD mock stores it: no status at all. */
  static Pods withoutStatus() {
    Pods p = new Pods();
    p.noStatus = true;
    return p;
  }

  Pods reason(String reason, String message) {
    this.reason = reason;
    this.message = message;
    return this;
  }

  Pods started() {
    this.startTime = STARTED.toString();
    return this;
  }

  Pods running(boolean ready) {
    container =
        new ContainerStatusBuilder()
            .withName(DRIVER)
            .withReady(ready)
            .withNewState()
            .withNewRunning()
            .withStartedAt(STARTED.toString())
            .endRunning()
            .endState()
            .build();
    return this;
  }

  Pods waiting(String reason, String message) {
    container =
        new ContainerStatusBuilder()
            .withName(DRIVER)
            .withReady(false)
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .withMessage(message)
            .endWaiting()
            .endState()
            .build();
    return this;
  }

  Pods terminated(int exitCode, String reason, String message, Instant finishedAt) {
    container =
        new ContainerStatusBuilder()
            .withName(DRIVER)
            .withReady(false)
            .withNewState()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(reason)
            .withMessage(message)
            .withFinishedAt(finishedAt == null ? null : finishedAt.toString())
            .endTerminated()
            .endState()
            .build();
    return this;
  }

  Pods condition(String type, String status, String reason, String message) {
    conditions.add(
        new PodConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .build());
    return this;
  }

  Pods deleting(Instant deletionTimestamp, long graceSeconds) {
    pod.editMetadata()
        .withDeletionTimestamp(deletionTimestamp.toString())
        .withDeletionGracePeriodSeconds(graceSeconds)
        .endMetadata();
    return this;
  }

  Pod build() {
    if (!noStatus) {
      pod.withNewStatus()
          .withPhase(phase)
          .withReason(reason)
          .withMessage(message)
          .withStartTime(startTime)
          .withConditions(conditions)
          .withContainerStatuses(container == null ? List.of() : List.of(container))
          .endStatus();
    }
    return pod.build();
  }

  DriverPodState state() {
    return DriverPodState.of(build(), DRIVER);
  }
}
