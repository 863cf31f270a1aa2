package dev.spate.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;

/**
 * The pod statuses the sandbox kubelet writes, shaped like a real kubelet's
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/): {@code Running} with {@code
 * podIP} 127.0.0.1 and the {@code Ready} condition, then {@code Succeeded} (exit code 0) or {@code
 * Failed} with the container's {@code state.terminated} (exit code, reason {@code Completed}/{@code
 * Error}, termination message). The container ID is {@code process://<pid>}. Pure functions of
 * their arguments.
 */
public final class PodStatuses {

  /** Scheme of the container IDs the sandbox reports; the rest is the process id. */
  public static final String CONTAINER_ID_SCHEME = "process://";

  private PodStatuses() {}

  /**
   * @param current the pod's current status (phase, qosClass kept), may be null
   * @param container the container
   * @param pid process id of the container's JVM
   * @param startedAt process start
   * @return the Running status
   */
  public static PodStatus running(
      PodStatus current, Container container, long pid, Instant startedAt) {
    PodStatus s = current == null ? new PodStatus() : current;
    String t = startedAt.toString();
    s.setPhase("Running");
    s.setPodIP(EnvResolver.POD_IP);
    s.setPodIPs(List.of(new PodIPBuilder().withIp(EnvResolver.POD_IP).build()));
    s.setHostIP(EnvResolver.POD_IP);
    s.setStartTime(t);
    s.setConditions(conditions(t, true));
    s.setContainerStatuses(
        List.of(
            new ContainerStatusBuilder()
                .withName(container.getName())
                .withImage(container.getImage())
                .withImageID("")
                .withContainerID(CONTAINER_ID_SCHEME + pid)
                .withReady(true)
                .withStarted(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .withStartedAt(t)
                .endRunning()
                .endState()
                .build()));
    return s;
  }

  /**
   * @param current the pod's current status
   * @param container the container
   * @param pid process id (0 when the process never started)
   * @param startedAt process start (or the failed start attempt)
   * @param finishedAt process end
   * @param exitCode exit code (128 + signal for a signal)
   * @param reason {@code Completed}, {@code Error} or a start failure reason
   * @param message termination message (may be empty)
   * @return the Succeeded (exit code 0) or Failed status
   */
  public static PodStatus terminated(
      PodStatus current,
      Container container,
      long pid,
      Instant startedAt,
      Instant finishedAt,
      int exitCode,
      String reason,
      String message) {
    PodStatus s = current == null ? new PodStatus() : current;
    s.setPhase(exitCode == 0 ? "Succeeded" : "Failed");
    if (s.getStartTime() == null) {
      s.setStartTime(startedAt.toString());
    }
    s.setConditions(conditions(finishedAt.toString(), false));
    ContainerStatus cs =
        new ContainerStatusBuilder()
            .withName(container.getName())
            .withImage(container.getImage())
            .withImageID("")
            .withContainerID(pid > 0 ? CONTAINER_ID_SCHEME + pid : null)
            .withReady(false)
            .withStarted(false)
            .withRestartCount(0)
            .withNewState()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(reason)
            .withMessage(message == null || message.isEmpty() ? null : message)
            .withStartedAt(startedAt.toString())
            .withFinishedAt(finishedAt.toString())
            .withContainerID(pid > 0 ? CONTAINER_ID_SCHEME + pid : null)
            .endTerminated()
            .endState()
            .build();
    s.setContainerStatuses(List.of(cs));
    return s;
  }

  private static List<PodCondition> conditions(String time, boolean ready) {
    String r = ready ? "True" : "False";
    return List.of(
        condition("PodScheduled", "True", time),
        condition("Initialized", "True", time),
        condition("ContainersReady", r, time),
        condition("Ready", r, time));
  }

  private static PodCondition condition(String type, String status, String time) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withLastTransitionTime(time)
        .build();
  }
}
