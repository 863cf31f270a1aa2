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
 * The executor count of each job and the live resizes waiting for the driver's confirmation:
 * {@link ScalingPolicy} on each reconcile that has a Kafka snapshot, {@link RescaleConfirmation}
 * while a written count is not confirmed. Keeps per job, in memory, the scale-down window, the
 * pending request and the progress watch. After an operator start the window is empty (the policy
 * seeds it with the applied count) and no request is pending: a count written by the previous
 * instance is still applied by the driver plugin, but not timed out.
 */
final class ExecutorScaler {

  private final ScalingPolicy policy;
  private final RescaleConfirmation confirmation;
  private static final Memory EMPTY = new Memory(ScaleDownWindow.EMPTY, null, null, null);

  private final Map<ResourceID, Memory> memory = new ConcurrentHashMap<>();

  /** What is remembered of one job. */
  private record Memory(
      ScaleDownWindow window, RescaleConfirmation.Request pending, ProgressWatch progress,
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
      int keep = applied == null || applied < spec.minExecutors() || applied > spec.maxExecutors()
          ? spec.minExecutors() : applied;
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
  Optional<RescaleConfirmation.Outcome> confirm(ResourceID id, int desired,
      Supplier<Map<String, String>> controlData, int ready, Instant now) {
    Memory m = memory.getOrDefault(id, EMPTY);
    RescaleConfirmation.Request pending = m.pending();
    if (pending == null) {
      return Optional.empty();
    }
    if (pending.desired() != desired) {
      pending = new RescaleConfirmation.Request(desired, now);
    }
    RescaleConfirmation.Outcome outcome = confirmation.check(
        pending, RescaleConfirmation.PluginReport.fromConfigMap(controlData.get()), ready, now);
    RescaleConfirmation.Request keep =
        outcome instanceof RescaleConfirmation.Confirmed ? null : pending;
    memory.put(id, new Memory(m.window(), keep, m.progress(), m.applied()));
    return Optional.of(outcome);
  }

  /** Forgets the pending request: a new driver starts with the desired count. */
  void started(ResourceID id, Instant now) {
    memory.computeIfPresent(id, (k, m) -> new Memory(m.window(), null, ProgressWatch.start(now), m.applied()));
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
    ProgressWatch watch = (m.progress() == null ? ProgressWatch.start(now) : m.progress()).observe(kafka);
    memory.put(id, new Memory(m.window(), m.pending(), watch, m.applied()));
    return watch;
  }

  /** Forgets a deleted job. */
  void forget(ResourceID id) {
    memory.remove(id);
  }
}
