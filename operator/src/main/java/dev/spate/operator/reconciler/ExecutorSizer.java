package dev.spate.operator.reconciler;

import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.recovery.ProgressWatch;
import dev.spate.operator.sizing.ExecutorCountDecision;
import dev.spate.operator.sizing.RescaleConfirmation;
import dev.spate.operator.sizing.ScaleDownWindow;
import dev.spate.operator.sizing.ScalingPolicy;
import dev.spate.operator.sizing.SizingSpec;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The executor count of a job and the live resize waiting for the driver's confirmation, as pure
 * functions over a {@link Memory}: {@link ScalingPolicy} on each reconcile that has a Kafka
 * snapshot, {@link RescaleConfirmation} while a written count is not confirmed. The reconciler
 * keeps one {@link Memory} per job in memory and replaces it with the one a recorded decision
 * returns. After an operator start the memory is {@link Memory#EMPTY}: the policy seeds the window
 * with the applied count and no request is pending (a count written by the previous instance is
 * still applied by the driver plugin, but not timed out).
 */
final class ExecutorSizer {

  private final ScalingPolicy policy;
  private final RescaleConfirmation confirmation;

  /**
   * What is remembered of one job between reconciles.
   *
   * @param window the scale-down stabilisation window
   * @param pending the live resize waiting for the driver's report, or null
   * @param progress the progress watch of the running attempt, or null before the first snapshot
   * @param applied the count decided last, or null
   */
  record Memory(
      ScaleDownWindow window,
      RescaleConfirmation.Request pending,
      ProgressWatch progress,
      Integer applied) {

    /** Nothing remembered (a new job, or an operator start). */
    static final Memory EMPTY = new Memory(ScaleDownWindow.EMPTY, null, null, null);

    /**
     * The memory once a new attempt's driver is created: no pending request, a new progress watch.
     *
     * @param now the creation time
     * @return the memory
     */
    Memory started(Instant now) {
      return new Memory(window, null, ProgressWatch.start(now), applied);
    }
  }

  /**
   * One reconcile's sizing.
   *
   * @param desired executors to apply ({@code status.executors.desired}, control ConfigMap)
   * @param rescaled the Event text when the count changed ("Rescaled executors 2 → 4 (input
   *     partitions 4 → 8)"), or empty
   * @param timedOut a resize the driver did not confirm in time, or null
   * @param reviewAt when to reconcile again (a held scale-down, a confirmation deadline), or empty
   * @param memory the memory after this reconcile
   */
  record Resize(
      int desired,
      Optional<String> rescaled,
      RescaleConfirmation.TimedOut timedOut,
      Optional<Instant> reviewAt,
      Memory memory) {}

  /**
   * @param policy the scaling policy (stabilisation window)
   * @param confirmation the confirmation rule (timeout)
   */
  ExecutorSizer(ScalingPolicy policy, RescaleConfirmation confirmation) {
    this.policy = policy;
    this.confirmation = confirmation;
  }

  /**
   * Sizes the job and checks a pending live resize.
   *
   * @param m what was remembered of the job
   * @param applied the count applied so far ({@code status.executors.desired}), or null before the
   *     first sizing; the count remembered last wins (the cached status may lag behind)
   * @param kafka the snapshot, or null
   * @param spec the sizing spec
   * @param driverReady whether the driver is ready (only a ready driver can confirm)
   * @param ready ready executor pods
   * @param controlData the control ConfigMap's data (the plugin's report), empty when absent
   * @param now the time
   * @return the count, the Event text, a timeout, when to look again and the next memory
   */
  Resize resize(
      Memory m,
      Integer applied,
      KafkaSnapshot kafka,
      SizingSpec spec,
      boolean driverReady,
      int ready,
      Map<String, String> controlData,
      Instant now) {
    int desired;
    Optional<ExecutorCountDecision> decision;
    if (kafka == null || !kafka.ok()) {
      desired =
          applied == null || applied < spec.minExecutors() || applied > spec.maxExecutors()
              ? spec.minExecutors()
              : applied;
      decision = Optional.empty();
    } else {
      Integer current = m.applied() != null ? m.applied() : applied;
      ExecutorCountDecision d = policy.decide(current, kafka.partitions(), spec, m.window(), now);
      RescaleConfirmation.Request pending = m.pending();
      if (current != null && d.changed()) {
        pending = new RescaleConfirmation.Request(d.executors(), now);
      }
      m = new Memory(d.window(), pending, m.progress(), d.executors());
      desired = d.executors();
      decision = Optional.of(d);
    }
    Optional<String> rescaled =
        decision.filter(ExecutorCountDecision::changed).map(ExecutorCountDecision::message);
    Optional<Instant> reviewAt = decision.flatMap(ExecutorCountDecision::reviewAt);

    RescaleConfirmation.TimedOut timedOut = null;
    RescaleConfirmation.Request pending = m.pending();
    if (pending != null) {
      if (!driverReady) {
        // only a ready driver can apply a count: its timeout runs from when the driver is ready
        pending = new RescaleConfirmation.Request(pending.desired(), now);
      } else {
        if (pending.desired() != desired) {
          pending = new RescaleConfirmation.Request(desired, now);
        }
        RescaleConfirmation.Outcome outcome =
            confirmation.check(
                pending, RescaleConfirmation.PluginReport.fromConfigMap(controlData), ready, now);
        if (outcome instanceof RescaleConfirmation.Confirmed) {
          pending = null;
        } else if (outcome instanceof RescaleConfirmation.TimedOut t) {
          timedOut = t;
        } else if (outcome instanceof RescaleConfirmation.Waiting w
            && (reviewAt.isEmpty() || w.until().isBefore(reviewAt.get()))) {
          reviewAt = Optional.of(w.until());
        }
      }
      m = new Memory(m.window(), pending, m.progress(), m.applied());
    }
    return new Resize(desired, rescaled, timedOut, reviewAt, m);
  }

  /**
   * The progress watch after a Kafka snapshot.
   *
   * @param m what was remembered of the job
   * @param kafka the snapshot, or null
   * @param now the time (start of a new watch)
   * @return the memory with the next watch
   */
  static Memory progress(Memory m, KafkaSnapshot kafka, Instant now) {
    ProgressWatch watch =
        (m.progress() == null ? ProgressWatch.start(now) : m.progress()).observe(kafka);
    return new Memory(m.window(), m.pending(), watch, m.applied());
  }
}
