package dev.spate.job;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes dead-letter records from the map side straight to Kafka, so bad records never reach the
 * shuffle or the stateful step: a flood of them costs neither state-store nor executor memory
 * beyond the producer's {@code buffer.memory} (32 MiB by default; {@code send} blocks while it is
 * full).
 *
 * <p>Delivery is at least once, like Spark's Kafka sink: {@link Writer#close()} waits until every
 * record of the task is acknowledged and throws the first send failure, which fails the task (Spark
 * retries it; when retries are spent the micro-batch fails and is run again after a restart).
 * Retried tasks and replayed micro-batches write their dead letters again; the source topic,
 * partition and offset headers identify repeats.
 *
 * <p>One {@link KafkaProducer} per executor JVM and producer configuration, shared by its tasks
 * (thread-safe, as Kafka documents), kept for the JVM's life.
 */
public final class DeadLetterSink implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Producer settings the sink sets unless the client properties do. */
  static final Map<String, String> PRODUCER_DEFAULTS =
      Map.of(ProducerConfig.LINGER_MS_CONFIG, "10");

  private static final Map<Map<String, Object>, KafkaProducer<byte[], byte[]>> PRODUCERS =
      new ConcurrentHashMap<>();

  private final String topic;
  private final Map<String, String> producerConfig;

  /**
   * @param topic the dead-letter topic
   * @param bootstrapServers Kafka {@code bootstrap.servers}
   * @param clientProperties Kafka client settings (SASL/TLS), applied over the defaults
   */
  public DeadLetterSink(
      String topic, String bootstrapServers, Map<String, String> clientProperties) {
    this.topic = topic;
    Map<String, String> c = new HashMap<>(PRODUCER_DEFAULTS);
    c.putAll(clientProperties);
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.producerConfig = Map.copyOf(c);
  }

  /**
   * @return the dead-letter topic
   */
  public String topic() {
    return topic;
  }

  /**
   * @return a writer for one task
   */
  public Writer open() {
    Map<String, Object> c = new HashMap<>(producerConfig);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new Writer(PRODUCERS.computeIfAbsent(Map.copyOf(c), KafkaProducer::new));
  }

  /** Sends one task's dead letters; not thread-safe, one per task. */
  public static final class Writer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long sent;

    private Writer(KafkaProducer<byte[], byte[]> producer) {
      this.producer = producer;
    }

    /**
     * Sends a record asynchronously; blocks while the producer's buffer is full.
     *
     * @param record the dead-letter record
     * @throws DeadLetterException when an earlier send of this writer failed
     */
    public void send(ProducerRecord<byte[], byte[]> record) {
      throwIfFailed();
      producer.send(
          record,
          (metadata, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
          });
      sent++;
    }

    /**
     * @return records sent so far
     */
    public long sent() {
      return sent;
    }

    /**
     * Waits until every record sent is acknowledged.
     *
     * @throws DeadLetterException when a send failed
     */
    @Override
    public void close() {
      producer.flush();
      throwIfFailed();
    }

    private void throwIfFailed() {
      Exception e = failure.get();
      if (e != null) {
        throw new DeadLetterException(
            "writing to the dead-letter topic failed after " + sent + " records: " + e, e);
      }
    }
  }

  /** A dead-letter record could not be written; fails the task so no bad record is lost. */
  public static final class DeadLetterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadLetterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
