package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.FailureStatus;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.RestartsStatus;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.decide.Reason;
import dev.spate.operator.recovery.DriverFailure;
import dev.spate.operator.recovery.DriverPodState;
import dev.spate.operator.recovery.DriverTermination;
import dev.spate.operator.recovery.ProgressWatch;
import dev.spate.operator.recovery.RestartBackoff;
import dev.spate.operator.recovery.RestartDecision;
import dev.spate.operator.recovery.SpecChange;
import dev.spate.operator.recovery.SpecChanges;
import dev.spate.operator.resources.DriverPod;
import dev.spate.operator.sizing.RescaleConfirmation;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What happens to a job's driver in this reconcile: a pure function from the spec, the last applied
 * spec, the observed driver and executor pods and the previous status. It decides whether a driver
 * pod should exist, which attempt it is, the restart bookkeeping ({@code status.restarts}) and the
 * phase/conditions that override {@link dev.spate.operator.decide.StatusDecision}'s.
 *
 * <p>State lives in the status only (so an operator restart continues where it stopped): a restart
 * underway is phase {@code Restarting} with the {@code Progressing} reason {@link
 * Reason#RESTART_REQUESTED}, {@link Reason#RESCALE_NOT_CONFIRMED} or {@link
 * Reason#RESTART_BACKOFF}; a job given up is phase {@code Failed} with a give-up reason. Order of
 * the rules:
 *
 * <ol>
 *   <li>No last applied spec (first start, or a job from an operator that did not record it): the
 *       spec becomes the applied one; a live driver is adopted, else the first attempt starts.
 *   <li>{@link SpecChanges#classify}: INCOMPATIBLE keeps running the applied spec with {@code
 *       Ready=False CheckpointIncompatible}; SUSPEND stops the driver; RESUME and RESTART start a
 *       new attempt once the old driver and executors are gone (a graceful stop: the pod is deleted
 *       with its grace period); LIVE is recorded as applied. A job given up starts again on any
 *       change.
 *   <li>A restart underway deletes what is left of the old attempt; after a failure it waits for
 *       the backoff ({@code lastFailure.time + delay(count)}), then starts the next attempt.
 *   <li>A live resize the driver did not confirm in time is a requested restart.
 *   <li>{@link DriverTermination#classify}: a driver that ended unasked is a failure; {@link
 *       RestartBackoff#decide} chooses restart (after the backoff), give up or no restart.
 * </ol>
 *
 * <p>Never two drivers for one checkpoint: a new attempt is only created when no driver pod (of any
 * attempt) and no executor pod of the job is left. Each attempt has its own pod name ({@code
 * <job>-driver-<attempt>}), and the attempt is recorded in the status before its pod is created
 * (intent before action): an attempt recorded but not yet seen is created again under the same
 * name, so a crash between the two writes never leaves a second driver or deletes the new one; a
 * pod of a newer attempt than the status records is adopted.
 */
final class DriverLifecycle {

  private static final Set<Reason> RESTARTING =
      Set.of(Reason.RESTART_REQUESTED, Reason.RESTART_BACKOFF, Reason.RESCALE_NOT_CONFIRMED);
  private static final Set<Reason> ENDED =
      Set.of(Reason.RESTART_POLICY_NEVER, Reason.RESTARTS_EXHAUSTED, Reason.NOT_RESTARTED);

  /** How soon to look again while old pods are going away. */
  static final Duration POLL = Duration.ofSeconds(1);

  private DriverLifecycle() {}

  /**
   * What the lifecycle looks at.
   *
   * @param spec the spec now
   * @param applied the last applied spec ({@code status.lastAppliedSpec}), or null
   * @param driver the driver pod of the current attempt (or of a newer one, adopted), or null
   * @param driverObserved whether an earlier reconcile saw the current attempt's driver pod ({@code
   *     status.driver.podName}); false while the attempt is recorded but its pod not yet seen
   * @param leftoverPods executor pods of the job and driver pods of earlier attempts (any phase)
   * @param previous the status before this reconcile, or null
   * @param policy the restart policy of the spec
   * @param pendingTimeout driver Pending limit (zero = none)
   * @param stallTimeout progress stall limit (zero = none)
   * @param progress the progress watch of the job, or null
   * @param lag the consumer lag at the last poll, or null
   * @param rescaleTimedOut a live resize the driver did not confirm in time, or null
   * @param now the time of the decision
   */
  record Facts(
      StreamingJobSpec spec,
      StreamingJobSpec applied,
      Pod driver,
      boolean driverObserved,
      int leftoverPods,
      StreamingJobStatus previous,
      RestartBackoff.Policy policy,
      Duration pendingTimeout,
      Duration stallTimeout,
      ProgressWatch progress,
      Long lag,
      RescaleConfirmation.TimedOut rescaleTimedOut,
      Instant now) {}

  /** A condition this step sets, replacing the one {@code StatusDecision} chose. */
  record Verdict(ConditionType type, boolean status, Reason reason, String message) {}

  /** An Event to record. */
  record JobEvent(JobEvents.Type type, Reason reason, String message) {}

  /**
   * The decision.
   *
   * @param useApplied run the last applied spec, not the current one (an incompatible edit)
   * @param driverWanted whether the driver pod should exist after this reconcile
   * @param deleteExecutors whether to delete the job's executor pods
   * @param attempt the attempt of the driver that exists or is created now
   * @param creating whether a new attempt's driver is created in this reconcile
   * @param recordApplied whether {@code status.lastAppliedSpec} becomes the current spec
   * @param freshCheckpoint whether the new attempt starts on a new checkpoint location
   * @param restarts the next {@code status.restarts}
   * @param phase the phase to show, or null to keep StatusDecision's
   * @param verdicts conditions replacing StatusDecision's
   * @param events Events to record
   * @param recheckAfter reconcile again after this, or null
   */
  record Step(
      boolean useApplied,
      boolean driverWanted,
      boolean deleteExecutors,
      int attempt,
      boolean creating,
      boolean recordApplied,
      boolean freshCheckpoint,
      RestartsStatus restarts,
      Phase phase,
      List<Verdict> verdicts,
      List<JobEvent> events,
      Duration recheckAfter) {}

  /** Mutable collector for one decision. */
  private static final class Builder {
    boolean useApplied;
    boolean driverWanted = true;
    boolean deleteExecutors;
    int attempt;
    boolean creating;
    boolean recordApplied;
    boolean freshCheckpoint;
    RestartsStatus restarts;
    Phase phase;
    final List<Verdict> verdicts = new ArrayList<>();
    final List<JobEvent> events = new ArrayList<>();
    Duration recheckAfter;

    Step build() {
      return new Step(
          useApplied,
          driverWanted,
          deleteExecutors,
          attempt,
          creating,
          recordApplied,
          freshCheckpoint,
          restarts,
          phase,
          List.copyOf(verdicts),
          List.copyOf(events),
          recheckAfter);
    }

    /** Records attempt {@code nextAttempt} (phase Starting); its driver pod is created after. */
    Step create(int nextAttempt) {
      driverWanted = true;
      creating = true;
      attempt = nextAttempt;
      phase = Phase.STARTING;
      return build();
    }

    Step stop() {
      driverWanted = false;
      deleteExecutors = true;
      return build();
    }

    /** Phase Restarting with a marker reason while old pods go and the backoff runs. */
    Step restarting(Reason marker, String message, Duration after) {
      phase = Phase.RESTARTING;
      verdicts.add(new Verdict(ConditionType.READY, false, marker, message));
      verdicts.add(new Verdict(ConditionType.PROGRESSING, true, marker, message));
      recheckAfter = after;
      return stop();
    }

    /** Phase Failed, no more attempts until the spec changes. */
    Step ended(Reason reason, String message) {
      phase = Phase.FAILED;
      verdicts.add(new Verdict(ConditionType.READY, false, reason, message));
      verdicts.add(new Verdict(ConditionType.PROGRESSING, false, reason, message));
      verdicts.add(new Verdict(ConditionType.DEGRADED, true, reason, message));
      return stop();
    }

    void event(JobEvents.Type type, Reason reason, String message) {
      events.add(new JobEvent(type, reason, message));
    }
  }

  /**
   * Decides.
   *
   * @param f what was observed
   * @return the step
   */
  static Step decide(Facts f) {
    StreamingJobStatus prev = f.previous();
    Builder b = new Builder();
    int attempt = prev != null && prev.getAttempt() != null ? prev.getAttempt() : 0;
    b.attempt = f.driver() == null ? attempt : PodFacts.attempt(f.driver(), Math.max(attempt, 1));
    b.restarts = copy(prev == null ? null : prev.getRestarts());
    boolean gone = f.driver() == null && f.leftoverPods() == 0;
    Reason marker =
        prev == null
            ? null
            : prev.condition(ConditionType.PROGRESSING)
                .map(Condition::getReason)
                .flatMap(Reason::of)
                .orElse(null);
    String markerMessage =
        prev == null
            ? null
            : prev.condition(ConditionType.PROGRESSING).map(Condition::getMessage).orElse(null);
    Phase prevPhase = prev == null ? null : prev.getPhase();

    if (f.applied() == null) {
      b.recordApplied = true;
      if (f.driver() != null) {
        return b.build();
      }
      if (Boolean.TRUE.equals(f.spec().getSuspend())) {
        return b.stop();
      }
      return b.create(attempt + 1);
    }

    SpecChange change = SpecChanges.classify(f.applied(), f.spec());
    SpecChange.Outcome outcome = change.outcome();
    if (outcome == SpecChange.Outcome.INCOMPATIBLE) {
      b.useApplied = true;
      b.verdicts.add(
          new Verdict(
              ConditionType.READY, false, Reason.CHECKPOINT_INCOMPATIBLE, change.message()));
      boolean reported =
          prev != null
              && prev.condition(ConditionType.READY)
                  .filter(
                      c ->
                          Reason.CHECKPOINT_INCOMPATIBLE.value().equals(c.getReason())
                              && change.message().equals(c.getMessage()))
                  .isPresent();
      if (!reported) {
        b.event(JobEvents.Type.Warning, Reason.CHECKPOINT_INCOMPATIBLE, change.message());
      }
      outcome = SpecChange.Outcome.NONE;
    }
    StreamingJobSpec effective = b.useApplied ? f.applied() : f.spec();

    boolean ended = prevPhase == Phase.FAILED && ENDED.contains(marker);
    if (ended) {
      if (outcome == SpecChange.Outcome.NONE) {
        return b.ended(marker, markerMessage);
      }
      b.restarts.setCount(0);
      if (outcome == SpecChange.Outcome.LIVE) {
        outcome = SpecChange.Outcome.RESTART;
      }
    }

    switch (outcome) {
      case SUSPEND -> {
        b.recordApplied = true;
        b.event(
            JobEvents.Type.Normal,
            Reason.SUSPENDED,
            "Stopping driver attempt " + attempt + " (" + change.message() + ")");
        return b.stop();
      }
      case RESUME, RESTART -> {
        boolean resume = outcome == SpecChange.Outcome.RESUME;
        if (!gone) {
          if (marker != Reason.RESTART_REQUESTED && f.driver() != null) {
            b.event(
                JobEvents.Type.Normal,
                Reason.RESTARTING,
                "Stopping driver attempt "
                    + attempt
                    + " gracefully to restart: "
                    + change.message());
          }
          return b.restarting(
              Reason.RESTART_REQUESTED,
              "Restarting: "
                  + change.message()
                  + "; waiting for the old driver and executors to stop.",
              POLL);
        }
        b.recordApplied = true;
        b.freshCheckpoint = change.freshCheckpoint();
        b.event(
            JobEvents.Type.Normal,
            resume ? Reason.RESUMED : Reason.RESTARTED,
            "Starting driver attempt " + (attempt + 1) + " (" + change.message() + ")");
        return b.create(attempt + 1);
      }
      case LIVE -> {
        b.recordApplied = true;
        b.event(JobEvents.Type.Normal, Reason.SPEC_APPLIED, change.message());
      }
      default -> {
        // NONE
      }
    }

    if (Boolean.TRUE.equals(effective.getSuspend())) {
      return b.stop();
    }

    if (prevPhase == Phase.RESTARTING && RESTARTING.contains(marker)) {
      if (!gone) {
        return b.restarting(marker, markerMessage, POLL);
      }
      if (marker == Reason.RESTART_BACKOFF) {
        Instant at = backoffEnd(f, b.restarts);
        if (at != null && f.now().isBefore(at)) {
          return b.restarting(marker, markerMessage, Duration.between(f.now(), at));
        }
        b.restarts.setLastRestartTime(f.now().truncatedTo(ChronoUnit.SECONDS).toString());
      }
      b.event(
          JobEvents.Type.Normal,
          Reason.RESTARTED,
          "Starting driver attempt "
              + (attempt + 1)
              + " from the checkpoint ("
              + marker.value()
              + ")");
      return b.create(attempt + 1);
    }

    if (f.rescaleTimedOut() != null && f.driver() != null) {
      b.event(JobEvents.Type.Warning, Reason.RESCALE_NOT_CONFIRMED, f.rescaleTimedOut().message());
      return b.restarting(Reason.RESCALE_NOT_CONFIRMED, f.rescaleTimedOut().message(), POLL);
    }

    boolean created = f.driverObserved();
    Optional<DriverFailure> failure =
        DriverTermination.classify(
            f.driver() == null ? null : DriverPodState.of(f.driver(), DriverPod.CONTAINER),
            new DriverTermination.Context(
                created, false, f.pendingTimeout(), f.stallTimeout(), f.progress(), f.lag()),
            f.now());
    if (failure.isPresent()) {
      return failed(f, b, attempt, failure.get());
    }

    if (f.driver() == null) {
      if (!gone) {
        return b.restarting(
            Reason.RESTART_REQUESTED,
            "Waiting for the pods of the last driver attempt to stop.",
            POLL);
      }
      // an attempt recorded (intent) whose pod no reconcile has seen yet: create that same
      // attempt's pod (its name holds the attempt, so a pod created before a crash is found again)
      return b.create(attempt >= 1 && !created ? attempt : attempt + 1);
    }
    b.restarts.setCount(
        RestartBackoff.countAfterRun(
            f.policy(), b.restarts.getCount(), PodFacts.runningSince(f.driver()), f.now()));
    return b.build();
  }

  private static Step failed(Facts f, Builder b, int attempt, DriverFailure failure) {
    b.restarts.setLastFailure(failure.toStatus());
    RestartDecision d =
        RestartBackoff.decide(
            f.policy(), failure, b.restarts.getCount(), PodFacts.runningSince(f.driver()), f.now());
    String ended =
        "Driver attempt "
            + attempt
            + " ended ("
            + failure.reason().value()
            + "): "
            + failure.message();
    if (d instanceof RestartDecision.RestartNow now) {
      b.restarts.setCount(now.restartCount());
      b.event(
          JobEvents.Type.Warning,
          failure.reason().reason(),
          ended + " Restart " + now.restartCount() + " now.");
      return b.restarting(
          Reason.RESTART_BACKOFF, ended + " Restart " + now.restartCount() + " now.", POLL);
    }
    if (d instanceof RestartDecision.WaitUntil wait) {
      b.restarts.setCount(wait.restartCount());
      b.event(JobEvents.Type.Warning, failure.reason().reason(), ended + " " + wait.message());
      Duration after = Duration.between(f.now(), wait.at());
      return b.restarting(
          Reason.RESTART_BACKOFF,
          ended + " " + wait.message(),
          after.compareTo(POLL) < 0 ? POLL : after);
    }
    b.event(JobEvents.Type.Warning, failure.reason().reason(), ended);
    if (d instanceof RestartDecision.GiveUp giveUp) {
      b.event(JobEvents.Type.Warning, giveUp.reason().reason(), giveUp.message());
      return b.ended(giveUp.reason().reason(), giveUp.message());
    }
    return b.ended(Reason.NOT_RESTARTED, ((RestartDecision.NoRestart) d).message());
  }

  /** End of the backoff of the restart underway: last failure time + delay(count). */
  private static Instant backoffEnd(Facts f, RestartsStatus restarts) {
    FailureStatus last = restarts.getLastFailure();
    if (last == null
        || last.getTime() == null
        || restarts.getCount() == null
        || restarts.getCount() < 1) {
      return null;
    }
    try {
      return Instant.parse(last.getTime())
          .plus(RestartBackoff.delay(f.policy(), restarts.getCount()));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static RestartsStatus copy(RestartsStatus r) {
    RestartsStatus c = new RestartsStatus();
    c.setCount(r == null || r.getCount() == null ? 0 : r.getCount());
    if (r != null) {
      c.setLastRestartTime(r.getLastRestartTime());
      c.setLastFailure(r.getLastFailure());
    }
    return c;
  }
}
