package dev.spate.operator.kafka;

import dev.spate.operator.decide.Reason;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A Kafka observer for controller tests, with switches: what every watched job sees (partitions,
 * lag, last committed micro-batch, missing output topics) or a failure ({@link #down}). A change is
 * published at once to every operator instance made from it, as {@link KafkaInspector} does after a
 * poll. The real AdminClient path is tested on a real broker ({@code KafkaInspectorTest}, {@code
 * LagStatusTest}).
 */
public final class FakeKafka implements KafkaObserver.Factory<ResourceID> {

  private final List<View> views = new CopyOnWriteArrayList<>();
  private volatile KafkaSnapshot state =
      new KafkaSnapshot(1, 0L, null, null, null, Instant.now(), List.of());

  @Override
  public KafkaObserver<ResourceID> create(
      Duration pollInterval, BiConsumer<ResourceID, KafkaSnapshot> onChange) {
    View view = new View(onChange);
    views.add(view);
    return view;
  }

  /** Input partitions in total. */
  public FakeKafka partitions(int partitions) {
    KafkaSnapshot s = state;
    return set(
        new KafkaSnapshot(
            partitions,
            s.lag(),
            s.committedBatchId(),
            s.lastCommitTime(),
            null,
            Instant.now(),
            s.missingOutputTopics()));
  }

  /** Lag and the last committed micro-batch. */
  public FakeKafka progress(long lag, Long committedBatchId) {
    KafkaSnapshot s = state;
    return set(
        new KafkaSnapshot(
            s.partitions() == null ? 1 : s.partitions(),
            lag,
            committedBatchId,
            committedBatchId == null ? null : Instant.now().toString(),
            null,
            Instant.now(),
            s.missingOutputTopics()));
  }

  /** Output topics that do not exist. */
  public FakeKafka missingOutputTopics(String... topics) {
    KafkaSnapshot s = state;
    return set(
        new KafkaSnapshot(
            s.partitions() == null ? 1 : s.partitions(),
            s.lag() == null ? 0L : s.lag(),
            s.committedBatchId(),
            s.lastCommitTime(),
            null,
            Instant.now(),
            List.of(topics)));
  }

  /** Kafka cannot be read: every job gets a {@code KafkaUnavailable} snapshot. */
  public FakeKafka down() {
    return set(
        KafkaSnapshot.failed(
            Reason.KAFKA_UNAVAILABLE, "Kafka at fake:9092 did not answer: down", Instant.now()));
  }

  /** The targets watched by every instance, by job. */
  public Map<ResourceID, KafkaTarget> targets() {
    Map<ResourceID, KafkaTarget> all = new ConcurrentHashMap<>();
    views.forEach(v -> all.putAll(v.targets));
    return all;
  }

  private FakeKafka set(KafkaSnapshot next) {
    state = next;
    views.forEach(View::publish);
    return this;
  }

  private final class View implements KafkaObserver<ResourceID> {
    private final BiConsumer<ResourceID, KafkaSnapshot> onChange;
    private final Map<ResourceID, KafkaTarget> targets = new ConcurrentHashMap<>();
    private volatile boolean closed;

    View(BiConsumer<ResourceID, KafkaSnapshot> onChange) {
      this.onChange = onChange;
    }

    @Override
    public void watch(ResourceID job, KafkaTarget target) {
      if (targets.put(job, target) == null && !closed) {
        onChange.accept(job, state);
      }
    }

    @Override
    public void unwatch(ResourceID job) {
      targets.remove(job);
    }

    @Override
    public Optional<KafkaSnapshot> snapshot(ResourceID job) {
      return targets.containsKey(job) ? Optional.of(state) : Optional.empty();
    }

    @Override
    public void close() {
      closed = true;
      views.remove(this);
    }

    void publish() {
      if (!closed) {
        targets.keySet().forEach(job -> onChange.accept(job, state));
      }
    }
  }
}
