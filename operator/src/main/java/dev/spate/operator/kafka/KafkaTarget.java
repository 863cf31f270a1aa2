package dev.spate.operator.kafka;

import dev.spate.api.v1alpha1.StartingOffsets;
import java.util.List;
import java.util.Map;

/**
 * What the inspector reads for one job.
 *
 * @param cluster the Kafka cluster (one AdminClient per distinct value)
 * @param topics the job's input topics
 * @param consumerGroup the group the job's offset committer commits to
 * @param startingOffsets how partitions without a commit count towards lag
 * @param outputTopics topics the job writes to (output and dead-letter topic): only their existence
 *     is read
 */
public record KafkaTarget(
    Cluster cluster,
    List<String> topics,
    String consumerGroup,
    StartingOffsets startingOffsets,
    List<String> outputTopics) {

  /** Copies the lists; a null output list becomes empty. */
  public KafkaTarget {
    topics = List.copyOf(topics);
    outputTopics = outputTopics == null ? List.of() : List.copyOf(outputTopics);
  }

  /**
   * A target without output topics.
   *
   * @param cluster as the record component
   * @param topics as the record component
   * @param consumerGroup as the record component
   * @param startingOffsets as the record component
   */
  public KafkaTarget(
      Cluster cluster, List<String> topics, String consumerGroup, StartingOffsets startingOffsets) {
    this(cluster, topics, consumerGroup, startingOffsets, List.of());
  }

  /**
   * A Kafka cluster as a client sees it: bootstrap servers plus client settings (SASL/TLS). Two
   * jobs with equal values share one AdminClient.
   *
   * @param bootstrapServers Kafka {@code bootstrap.servers}
   * @param clientConfig extra client properties (from the job's client config Secret), may be empty
   */
  public record Cluster(String bootstrapServers, Map<String, String> clientConfig) {
    /** Copies the map so the key is immutable. */
    public Cluster {
      clientConfig = Map.copyOf(clientConfig);
    }

    @Override
    public String toString() {
      // never print client settings: they may hold credentials
      return bootstrapServers;
    }
  }
}
