package dev.spate.operator.kafka;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * How the operator learns about the Kafka side of its jobs: partitions, offsets, consumer-group
 * commits and which topics exist. {@link KafkaInspector} reads a real cluster through Kafka's
 * AdminClient; controller tests inject a fake with failure switches.
 *
 * <p>Implementations never throw to callers: a cluster that cannot be read gives a snapshot with a
 * {@link KafkaSnapshot.Problem}.
 *
 * @param <K> the key of a job (the operator uses JOSDK's {@code ResourceID})
 */
public interface KafkaObserver<K> extends AutoCloseable {

  /**
   * Starts (or updates) reading Kafka for a job; idempotent and cheap when the target is unchanged.
   *
   * @param job the job's key
   * @param target what to read
   */
  void watch(K job, KafkaTarget target);

  /**
   * Stops reading Kafka for a job.
   *
   * @param job the job's key
   */
  void unwatch(K job);

  /**
   * The last snapshot of a job.
   *
   * @param job the job's key
   * @return the snapshot, empty before the first read finished
   */
  Optional<KafkaSnapshot> snapshot(K job);

  /** Stops every read and releases every client. */
  @Override
  void close();

  /**
   * Creates the observer of one operator.
   *
   * @param <K> the key of a job
   */
  @FunctionalInterface
  interface Factory<K> {
    /**
     * @param pollInterval time between two reads of a healthy cluster
     * @param onChange called with a job and its new snapshot whenever it changed
     * @return the observer
     */
    KafkaObserver<K> create(Duration pollInterval, BiConsumer<K, KafkaSnapshot> onChange);
  }
}
