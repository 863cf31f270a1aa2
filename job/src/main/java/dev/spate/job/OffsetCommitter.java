package dev.spate.job;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the end offsets of every micro-batch's Kafka sources to a consumer group, so that lag
 * shows in {@code kafka-consumer-groups.sh}, Burrow, KEDA and the operator, although Spark's Kafka
 * source itself never commits. Usable by any Spark job through configuration alone: {@code
 * spark.sql.streaming.streamingQueryListeners=dev.spate.job.OffsetCommitter}.
 *
 * <p>Reads {@code spark.spate.kafka.bootstrapServers}, {@code spark.spate.kafka.consumerGroup} and
 * optionally {@code spark.spate.kafka.clientPropertiesFile} (SASL/TLS) from the Spark
 * configuration. On each progress event it commits each Kafka source's {@code endOffset} (the next
 * offset to read) with {@code Admin.alterConsumerGroupOffsets}; the commit metadata is {@code
 * {"batchId":N,"timestamp":ms}} (ms since the epoch of the batch's trigger). An unchanged set of
 * offsets is not committed again. Commit failures are logged and retried with the next batch; they
 * never affect the query. The group must have no active members (Kafka rejects commits from outside
 * a live group).
 */
public class OffsetCommitter extends StreamingQueryListener {

  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);
  private static final long COMMIT_TIMEOUT_MS = 30_000;

  private final String bootstrapServers;
  private final String consumerGroup;
  private final Map<String, String> clientProperties;
  private final Map<UUID, Map<TopicPartition, Long>> lastCommitted = new ConcurrentHashMap<>();
  private Admin admin;

  /**
   * Constructor Spark calls for listeners named in {@code
   * spark.sql.streaming.streamingQueryListeners}.
   *
   * @param conf the Spark configuration
   * @throws InvalidConfigurationException when the bootstrap servers or the group are missing or
   *     the client properties file cannot be read
   */
  public OffsetCommitter(SparkConf conf) {
    this(
        conf.get(JobConfigKeys.BOOTSTRAP_SERVERS, null),
        conf.get(JobConfigKeys.CONSUMER_GROUP, null),
        JobConfig.readClientProperties(conf.get(JobConfigKeys.CLIENT_PROPERTIES_FILE, null)));
  }

  /**
   * @param bootstrapServers Kafka {@code bootstrap.servers}
   * @param consumerGroup the group to commit to
   * @param clientProperties further Kafka client settings (SASL/TLS), may be empty
   * @throws InvalidConfigurationException when the bootstrap servers or the group are missing
   */
  public OffsetCommitter(
      String bootstrapServers, String consumerGroup, Map<String, String> clientProperties) {
    if (bootstrapServers == null
        || bootstrapServers.isBlank()
        || consumerGroup == null
        || consumerGroup.isBlank()) {
      throw new InvalidConfigurationException(
          java.util.List.of(
              OffsetCommitter.class.getSimpleName()
                  + " needs "
                  + JobConfigKeys.BOOTSTRAP_SERVERS
                  + " and "
                  + JobConfigKeys.CONSUMER_GROUP));
    }
    this.bootstrapServers = bootstrapServers.trim();
    this.consumerGroup = consumerGroup.trim();
    this.clientProperties = Map.copyOf(clientProperties);
  }

  /**
   * @param batchId the micro-batch id
   * @param timestampMs the batch's trigger time, ms since the epoch
   * @return the commit metadata, {@code {"batchId":N,"timestamp":ms}}
   */
  public static String metadata(long batchId, long timestampMs) {
    return "{\"batchId\":" + batchId + ",\"timestamp\":" + timestampMs + "}";
  }

  /**
   * @param progress a micro-batch's progress
   * @return the end offsets of all its Kafka sources (empty when it has none)
   */
  public static Map<TopicPartition, Long> endOffsets(StreamingQueryProgress progress) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (SourceProgress source : progress.sources()) {
      if (KafkaOffsets.isKafkaSource(source.description()) && source.endOffset() != null) {
        offsets.putAll(KafkaOffsets.parse(source.endOffset()));
      }
    }
    return offsets;
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    // nothing to commit before the first batch
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress progress = event.progress();
    try {
      Map<TopicPartition, Long> offsets = endOffsets(progress);
      if (offsets.isEmpty() || offsets.equals(lastCommitted.get(progress.id()))) {
        return;
      }
      String metadata = metadata(progress.batchId(), timestampMs(progress.timestamp()));
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      offsets.forEach((tp, offset) -> commit.put(tp, new OffsetAndMetadata(offset, metadata)));
      admin()
          .alterConsumerGroupOffsets(consumerGroup, commit)
          .all()
          .get(COMMIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      lastCommitted.put(progress.id(), offsets);
      LOG.debug(
          "committed batch {} offsets {} to group {}", progress.batchId(), offsets, consumerGroup);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      LOG.warn(
          "cannot commit offsets of batch {} to consumer group {}: {}",
          progress.batchId(),
          consumerGroup,
          e instanceof ExecutionException ? e.getCause() : e);
    }
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    lastCommitted.remove(event.id());
    if (lastCommitted.isEmpty()) {
      closeAdmin();
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      Map<String, Object> config = new HashMap<>(clientProperties);
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "spate-offset-committer");
      admin = Admin.create(config);
    }
    return admin;
  }

  private synchronized void closeAdmin() {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(5));
      admin = null;
    }
  }

  private static long timestampMs(String isoTimestamp) {
    try {
      return Instant.parse(isoTimestamp).toEpochMilli();
    } catch (DateTimeParseException | NullPointerException e) {
      return System.currentTimeMillis();
    }
  }
}
