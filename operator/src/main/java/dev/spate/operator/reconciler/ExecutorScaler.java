package dev.spate.operator.reconciler;

import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.recovery.ProgressWatch;
import dev.spate.operator.sizing.RescaleConfirmation;
import dev.spate.operator.sizing.ScaleDownWindow;
import dev.spate.operator.sizing.ScalingDecision;
import dev.spate.operator.sizing.ScalingPolicy;
import dev.spate.operator.sizing.SizingSpec;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The executor count of each job and the live resizes waiting for the driver's confirmation: {@link
 * ScalingPolicy} on each reconcile that has a Kafka snapshot, {@link RescaleConfirmation} while a
 * written count is not confirmed. Keeps per job, in memory, the scale-down window, the pending
 * request and the progress watch. After an operator start the window is empty (the policy seeds it
 * with the applied count) and no request is pending: a count written by the previous instance is
 * still applied by the driver plugin, but not timed out.
 */
final class ExecutorScaler {

  private final ScalingPolicy policy;
  private final RescaleConfirmation confirmation;
  private static final Memory EMPTY = new Memory(ScaleDownWindow.EMPTY, null, null, null);

  private final Map<ResourceID, Memory> memory = new ConcurrentHashMap<>();

  /** What is remembered of one job. */
  private record Memory(
      ScaleDownWindow window,
      RescaleConfirmation.Request pending,
      ProgressWatch progress,
      Integer applied) {}

  /**
   * The count decided for now.
   *
   * @param desired executors to apply ({@code status.executors.desired}, control ConfigMap)
   * @param decision the policy's decision, or empty when Kafka gave no partition count
   */
  record Sizing(int desired, Optional<ScalingDecision> decision) {}

  /**
   * @param policy the scaling policy (stabilisation window)
   * @param confirmation the confirmation rule (timeout)
   */
  ExecutorScaler(ScalingPolicy policy, RescaleConfirmation confirmation) {
    this.policy = policy;
    this.confirmation = confirmation;
  }

  /**
   * Decides the executor count.
   *
   * @param id the job
   * @param applied the count applied so far ({@code status.executors.desired}), or null; the count
   *     this instance decided last wins (the status of the primary in the cache may lag behind)
   * @param kafka the snapshot, or null
   * @param spec the sizing spec
   * @param now the time
   * @return the count; a changed count is remembered as a request waiting for the driver
   */
  Sizing size(ResourceID id, Integer applied, KafkaSnapshot kafka, SizingSpec spec, Instant now) {
    Memory m = memory.getOrDefault(id, EMPTY);
    if (kafka == null || !kafka.ok()) {
      int keep =
          applied == null || applied < spec.minExecutors() || applied > spec.maxExecutors()
              ? spec.minExecutors()
              : applied;
      return new Sizing(keep, Optional.empty());
    }
    Integer current = m.applied() != null ? m.applied() : applied;
    ScalingDecision d = policy.decide(current, kafka.partitions(), spec, m.window(), now);
    RescaleConfirmation.Request pending = m.pending();
    if (current != null && d.changed()) {
      pending = new RescaleConfirmation.Request(d.executors(), now);
    }
    memory.put(id, new Memory(d.window(), pending, m.progress(), d.executors()));
    return new Sizing(d.executors(), Optional.of(d));
  }

  /**
   * Checks the live resize waiting for the driver, if any.
   *
   * @param id the job
   * @param desired the count applied now
   * @param controlData reads the control ConfigMap's data (plugin report; may return null), only
   *     when a request waits
   * @param ready ready executor pods
   * @param now the time
   * @return the outcome, or empty when nothing waits for confirmation
   */
  Optional<RescaleConfirmation.Outcome> confirm(
      ResourceID id,
      int desired,
      Supplier<Map<String, String>> controlData,
      int ready,
      Instant now) {
    Memory m = memory.getOrDefault(id, EMPTY);
    RescaleConfirmation.Request pending = m.pending();
    if (pending == null) {
      return Optional.empty();
    }
    if (pending.desired() != desired) {
      pending = new RescaleConfirmation.Request(desired, now);
    }
    RescaleConfirmation.Outcome outcome =
        confirmation.check(
            pending, RescaleConfirmation.PluginReport.fromConfigMap(controlData.get()), ready, now);
    RescaleConfirmation.Request keep =
        outcome instanceof RescaleConfirmation.Confirmed ? null : pending;
    memory.put(id, new Memory(m.window(), keep, m.progress(), m.applied()));
    return Optional.of(outcome);
  }

  /**
   * One reconcile's sizing: the count ({@link #size}) and, while the driver is ready, the check of
   * a live resize waiting for it ({@link #confirm}).
   *
   * @param desired the executor count to apply now
   * @param rescaled the Event text when the count changed ("Rescaled executors 2 → 4 (input
   *     partitions 4 → 8)"), or empty
   * @param timedOut a resize the driver did not confirm in time, or null
   * @param reviewAt when to reconcile again (a held scale-down, a confirmation deadline), or empty
   */
  record Resize(
      int desired,
      Optional<String> rescaled,
      RescaleConfirmation.TimedOut timedOut,
      Optional<Instant> reviewAt) {}

  /**
   * Sizes the job and checks a pending live resize.
   *
   * @param id the job
   * @param applied the count applied so far, or null before the first sizing
   * @param kafka the snapshot, or null
   * @param spec the sizing spec
   * @param driverReady whether the driver is ready (only a ready driver can confirm)
   * @param ready ready executor pods
   * @param controlData reads the control ConfigMap's data when a request waits
   * @param now the time
   * @return the count, the Event text, a timeout and when to look again
   */
  Resize resize(
      ResourceID id,
      Integer applied,
      KafkaSnapshot kafka,
      SizingSpec spec,
      boolean driverReady,
      int ready,
      Supplier<Map<String, String>> controlData,
      Instant now) {
    Sizing size = size(id, applied, kafka, spec, now);
    Optional<String> rescaled =
        size.decision().filter(ScalingDecision::changed).map(ScalingDecision::message);
    Optional<Instant> reviewAt = size.decision().flatMap(ScalingDecision::reviewAt);
    Optional<RescaleConfirmation.Outcome> outcome;
    if (driverReady) {
      outcome = confirm(id, size.desired(), controlData, ready, now);
    } else {
      // only a ready driver can apply a count: its timeout runs from when the driver is ready
      memory.computeIfPresent(
          id,
          (k, m) ->
              m.pending() == null
                  ? m
                  : new Memory(
                      m.window(),
                      new RescaleConfirmation.Request(m.pending().desired(), now),
                      m.progress(),
                      m.applied()));
      outcome = Optional.empty();
    }
    RescaleConfirmation.TimedOut timedOut =
        outcome
            .filter(RescaleConfirmation.TimedOut.class::isInstance)
            .map(RescaleConfirmation.TimedOut.class::cast)
            .orElse(null);
    Optional<Instant> until =
        outcome
            .filter(RescaleConfirmation.Waiting.class::isInstance)
            .map(o -> ((RescaleConfirmation.Waiting) o).until());
    if (until.isPresent() && (reviewAt.isEmpty() || until.get().isBefore(reviewAt.get()))) {
      reviewAt = until;
    }
    return new Resize(size.desired(), rescaled, timedOut, reviewAt);
  }

  /** Forgets the pending request: a new driver starts with the desired count. */
  void started(ResourceID id, Instant now) {
    memory.computeIfPresent(
        id, (k, m) -> new Memory(m.window(), null, ProgressWatch.start(now), m.applied()));
  }

  /**
   * The progress watch after a Kafka snapshot.
   *
   * @param id the job
   * @param kafka the snapshot, or null
   * @param now the time (start of a new watch)
   * @return the watch
   */
  ProgressWatch progress(ResourceID id, KafkaSnapshot kafka, Instant now) {
    Memory m = memory.getOrDefault(id, EMPTY);
    ProgressWatch watch =
        (m.progress() == null ? ProgressWatch.start(now) : m.progress()).observe(kafka);
    memory.put(id, new Memory(m.window(), m.pending(), watch, m.applied()));
    return watch;
  }

  /** Forgets a deleted job. */
  void forget(ResourceID id) {
    memory.remove(id);
  }
}
