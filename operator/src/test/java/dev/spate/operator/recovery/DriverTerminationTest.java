package dev.spate.operator.recovery;

import static dev.spate.operator.recovery.Pods.CREATED;
import static dev.spate.operator.recovery.Pods.STARTED;
import static dev.spate.operator.recovery.Pods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.FailureStatus;
import dev.spate.operator.recovery.DriverTermination.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DriverTerminationTest {

  private static final Instant NOW = CREATED.plus(Duration.ofMinutes(30));
  private static final Instant FINISHED = Instant.parse("2026-11-21T10:20:00Z");
  private static final Duration PENDING_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STALL_TIMEOUT = Duration.ofMinutes(10);
  private static final Context RUNNING =
      new Context(true, false, PENDING_TIMEOUT, STALL_TIMEOUT, null, null);
  private static final Context STOP_REQUESTED =
      new Context(true, true, PENDING_TIMEOUT, STALL_TIMEOUT, null, null);

  /** A created driver, default timeouts, with the job's commit progress and lag (null: unknown). */
  static Context progress(ProgressWatch watch, Long lag) {
    return new Context(true, false, PENDING_TIMEOUT, STALL_TIMEOUT, watch, lag);
  }

  /** A driver pod that started and is Running and Ready. */
  static DriverPodState runningAndReady() {
    return pod("Running").started().running(true).state();
  }

  /** Expected classification: reason (null = none), exit code, message fragment, time. */
  record Expect(FailureReason reason, Integer exitCode, String message, Instant time) {}

  static Expect none() {
    return new Expect(null, null, null, null);
  }

  static Expect is(FailureReason reason, Integer exitCode, String message, Instant time) {
    return new Expect(reason, exitCode, message, time);
  }

  static Stream<Arguments> pods() {
    return Stream.of(
        Arguments.of("running and ready", runningAndReady(), RUNNING, none()),
        Arguments.of(
            "running, not ready yet",
            pod("Running").started().running(false).state(),
            RUNNING,
            none()),
        Arguments.of(
            "failed with the job's termination message",
            pod("Failed")
                .terminated(
                    1, "Error", "java.lang.IllegalStateException: state store corrupt\n", FINISHED)
                .state(),
            RUNNING,
            is(
                FailureReason.DRIVER_FAILED,
                1,
                "java.lang.IllegalStateException: state store corrupt",
                FINISHED)),
        Arguments.of(
            "OOMKilled without a message names the container reason",
            pod("Failed").terminated(137, "OOMKilled", null, FINISHED).state(),
            RUNNING,
            is(FailureReason.DRIVER_FAILED, 137, "Exit code 137 (SIGKILL, OOMKilled)", FINISHED)),
        Arguments.of(
            "failed pod without container status",
            pod("Failed").reason("UnexpectedAdmissionError", "Allocate failed").state(),
            RUNNING,
            is(FailureReason.DRIVER_FAILED, null, "Allocate failed", NOW)),
        Arguments.of(
            "node-pressure eviction (status.reason Evicted)",
            pod("Failed")
                .reason("Evicted", "The node was low on resource: memory.")
                .terminated(137, "Error", null, FINISHED)
                .state(),
            RUNNING,
            is(
                FailureReason.DRIVER_EVICTED,
                137,
                "The node was low on resource: memory.",
                FINISHED)),
        Arguments.of(
            "graceful node shutdown (status.reason Terminated)",
            pod("Failed")
                .reason("Terminated", "Pod was terminated in response to imminent node shutdown.")
                .state(),
            RUNNING,
            is(FailureReason.DRIVER_EVICTED, null, "imminent node shutdown", NOW)),
        Arguments.of(
            "status.reason NodeLost",
            pod("Failed").reason("NodeLost", null).state(),
            RUNNING,
            is(FailureReason.NODE_LOST, null, "node was lost", NOW)),
        Arguments.of(
            "succeeded: a streaming job must not end",
            pod("Succeeded").terminated(0, "Completed", null, FINISHED).state(),
            RUNNING,
            is(FailureReason.DRIVER_COMPLETED, 0, "Exit code 0", FINISHED)),
        Arguments.of(
            "succeeded with a termination message keeps the message",
            pod("Succeeded")
                .terminated(0, "Completed", "query stopped: no input", FINISHED)
                .state(),
            RUNNING,
            is(FailureReason.DRIVER_COMPLETED, 0, "query stopped: no input", FINISHED)),
        Arguments.of(
            "succeeded without container status",
            pod("Succeeded").state(),
            RUNNING,
            is(FailureReason.DRIVER_COMPLETED, 0, "must not finish", NOW)),
        Arguments.of(
            "container exited 0 while the pod is still Running",
            pod("Running").terminated(0, "Completed", null, FINISHED).state(),
            RUNNING,
            is(FailureReason.DRIVER_COMPLETED, 0, "Exit code 0", FINISHED)),
        Arguments.of(
            "container exited non-zero while the pod is still Running",
            pod("Running").terminated(2, "Error", null, FINISHED).state(),
            RUNNING,
            is(FailureReason.DRIVER_FAILED, 2, "Exit code 2", FINISHED)),
        Arguments.of(
            "phase Unknown: node lost",
            pod("Unknown").state(),
            RUNNING,
            is(FailureReason.NODE_LOST, null, "phase is Unknown", NOW)),
        Arguments.of(
            "deleted by a user (kubectl delete pod)",
            pod("Running").running(true).deleting(FINISHED.plusSeconds(30), 30).state(),
            RUNNING,
            is(FailureReason.DRIVER_DELETED, null, "being deleted", FINISHED)),
        Arguments.of(
            "evicted through the Eviction API (node drain)",
            pod("Running")
                .running(true)
                .condition(
                    "DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting")
                .deleting(FINISHED.plusSeconds(30), 30)
                .state(),
            RUNNING,
            is(FailureReason.DRIVER_EVICTED, null, "Eviction API: evicting", FINISHED)),
        Arguments.of(
            "preempted by the scheduler",
            pod("Running")
                .running(true)
                .condition("DisruptionTarget", "True", "PreemptionByScheduler", null)
                .deleting(FINISHED, 0)
                .state(),
            RUNNING,
            is(FailureReason.DRIVER_EVICTED, null, "PreemptionByScheduler", FINISHED)),
        Arguments.of(
            "deleted by the taint manager: node unreachable",
            pod("Running")
                .running(true)
                .condition(
                    "DisruptionTarget",
                    "True",
                    "DeletionByTaintManager",
                    "Taint manager: deleting due to NoExecute taint")
                .deleting(FINISHED, 0)
                .state(),
            RUNNING,
            is(FailureReason.NODE_LOST, null, "NoExecute taint", FINISHED)),
        Arguments.of(
            "a failed pod being garbage-collected keeps its cause",
            pod("Failed").terminated(1, "Error", "boom", FINISHED).deleting(NOW, 0).state(),
            RUNNING,
            is(FailureReason.DRIVER_FAILED, 1, "boom", FINISHED)),
        Arguments.of(
            "pod gone after it was created",
            null,
            RUNNING,
            is(FailureReason.DRIVER_DELETED, null, "was deleted", NOW)),
        Arguments.of(
            "no pod and none created yet",
            null,
            new Context(false, false, PENDING_TIMEOUT, STALL_TIMEOUT, null, null),
            none()),
        Arguments.of(
            "stop requested: a failed pod is not a failure",
            pod("Failed").terminated(143, "Error", null, FINISHED).state(),
            STOP_REQUESTED,
            none()),
        Arguments.of(
            "stop requested: a missing pod is not a failure", null, STOP_REQUESTED, none()),
        Arguments.of(
            "pending within the timeout",
            pod("Pending").waiting("ContainerCreating", null).state(),
            new Context(true, false, Duration.ofHours(1), STALL_TIMEOUT, null, null),
            none()),
        Arguments.of(
            "pending past the timeout: image pull back-off",
            pod("Pending")
                .waiting("ImagePullBackOff", "Back-off pulling image \"spate:nope\"")
                .state(),
            RUNNING,
            is(
                FailureReason.DRIVER_STUCK_PENDING,
                null,
                "Pending for 30m (timeout 5m): ImagePullBackOff: Back-off pulling image \"spate:nope\"",
                NOW)),
        Arguments.of(
            "pending past the timeout: ErrImagePull",
            pod("Pending").waiting("ErrImagePull", "manifest unknown").state(),
            RUNNING,
            is(FailureReason.DRIVER_STUCK_PENDING, null, "ErrImagePull: manifest unknown", NOW)),
        Arguments.of(
            "pending past the timeout: missing Secret",
            pod("Pending")
                .waiting("CreateContainerConfigError", "secret \"kafka-client\" not found")
                .state(),
            RUNNING,
            is(
                FailureReason.DRIVER_STUCK_PENDING,
                null,
                "CreateContainerConfigError: secret \"kafka-client\" not found",
                NOW)),
        Arguments.of(
            "pending past the timeout: unschedulable",
            pod("Pending")
                .condition(
                    "PodScheduled",
                    "False",
                    "Unschedulable",
                    "0/3 nodes are available: 3 Insufficient memory.")
                .state(),
            RUNNING,
            is(
                FailureReason.DRIVER_STUCK_PENDING,
                null,
                "Unschedulable: 0/3 nodes are available: 3 Insufficient memory.",
                NOW)),
        Arguments.of(
            "pending past the timeout, nothing reported",
            pod("Pending").state(),
            RUNNING,
            is(FailureReason.DRIVER_STUCK_PENDING, null, "no reason reported", NOW)),
        Arguments.of(
            "no status yet (as the fabric8 mock stores a new pod) reads as Pending",
            Pods.withoutStatus().state(),
            RUNNING,
            is(FailureReason.DRIVER_STUCK_PENDING, null, "Pending for 30m", NOW)),
        Arguments.of(
            "pending check disabled",
            pod("Pending").waiting("ImagePullBackOff", null).state(),
            new Context(true, false, null, STALL_TIMEOUT, null, null),
            none()),
        Arguments.of(
            "running, lag > 0, no commit for longer than the stall timeout",
            runningAndReady(),
            progress(new ProgressWatch(42L, CREATED.plus(Duration.ofMinutes(15))), 5000L),
            is(
                FailureReason.PROGRESS_STALLED,
                null,
                "No committed progress for 15m (stall timeout 10m) while 5000 records wait",
                NOW)),
        Arguments.of(
            "running, lag > 0, stalled less than the timeout",
            runningAndReady(),
            progress(new ProgressWatch(42L, CREATED.plus(Duration.ofMinutes(25))), 5000L),
            none()),
        Arguments.of(
            "running, lag 0: idle, not stalled",
            runningAndReady(),
            progress(new ProgressWatch(42L, CREATED), 0L),
            none()),
        Arguments.of(
            "running, lag unknown (Kafka unreadable): no verdict",
            runningAndReady(),
            progress(new ProgressWatch(42L, CREATED), null),
            none()),
        Arguments.of(
            "stall check disabled",
            runningAndReady(),
            new Context(
                true,
                false,
                PENDING_TIMEOUT,
                Duration.ZERO,
                new ProgressWatch(42L, CREATED),
                5000L),
            none()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pods")
  void classifiesTheDriversEnd(String name, DriverPodState pod, Context context, Expect expect) {
    Optional<DriverFailure> failure = DriverTermination.classify(pod, context, NOW);

    if (expect.reason() == null) {
      assertThat(failure).isEmpty();
      return;
    }
    assertThat(failure).isPresent();
    DriverFailure f = failure.orElseThrow();
    assertThat(f.reason()).isEqualTo(expect.reason());
    assertThat(f.exitCode()).isEqualTo(expect.exitCode());
    assertThat(f.message()).contains(expect.message());
    assertThat(f.time()).isEqualTo(expect.time());
  }

  @Test
  void stallIsMeasuredFromThePodsStartWhenTheWatchIsOlder() {
    // the watch survived from an earlier driver; the new pod started at STARTED
    Context ctx = progress(new ProgressWatch(7L, CREATED.minus(Duration.ofHours(1))), 100L);
    DriverPodState pod = runningAndReady();

    assertThat(DriverTermination.classify(pod, ctx, STARTED.plus(Duration.ofMinutes(9)))).isEmpty();
    assertThat(DriverTermination.classify(pod, ctx, STARTED.plus(Duration.ofMinutes(11))))
        .map(DriverFailure::reason)
        .contains(FailureReason.PROGRESS_STALLED);
  }

  @Test
  void extractsTheDriverContainerByName() {
    var pod = pod("Failed").terminated(3, "Error", "driver said why", FINISHED).build();
    pod.getStatus()
        .getContainerStatuses()
        .add(
            0,
            new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                .withName("sidecar")
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .endTerminated()
                .endState()
                .build());

    DriverPodState state = DriverPodState.of(pod, Pods.DRIVER);

    assertThat(state.container().terminated().exitCode()).isEqualTo(3);
    assertThat(state.container().terminated().message()).isEqualTo("driver said why");
  }

  @Test
  void deletionTimeIsTheRequestNotTheEndOfTheGracePeriod() {
    DriverPodState state = pod("Running").deleting(FINISHED.plusSeconds(30), 30).state();

    assertThat(state.deletionRequestedAt()).isEqualTo(FINISHED);
  }

  @Test
  void failureBecomesTheStatusWithAnRfc3339Time() {
    DriverFailure f =
        new DriverFailure(
            FailureReason.DRIVER_EVICTED,
            "drained",
            137,
            Instant.parse("2026-11-21T10:20:00.734Z"));

    FailureStatus status = f.toStatus();

    assertThat(status.getReason()).isEqualTo("DriverEvicted");
    assertThat(status.getMessage()).isEqualTo("drained");
    assertThat(status.getExitCode()).isEqualTo(137);
    assertThat(status.getTime()).isEqualTo("2026-11-21T10:20:00Z");
  }

  @Test
  void longMessagesAreCutToTheTerminationMessageLimit() {
    DriverFailure f = new DriverFailure(FailureReason.DRIVER_FAILED, "x".repeat(10_000), 1, NOW);

    assertThat(f.message()).hasSize(DriverFailure.MAX_MESSAGE_CHARS);
  }

  @Test
  void onlyACleanExitIsNotAFailure() {
    assertThat(Stream.of(FailureReason.values()).filter(r -> !r.isFailure()))
        .containsExactly(FailureReason.DRIVER_COMPLETED);
  }
}
