package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** The Kafka side of a job: cluster, topics, consumer group and rate limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "bootstrapServers",
  "inputTopics",
  "outputTopic",
  "deadLetterTopic",
  "consumerGroup",
  "startingOffsets",
  "maxOffsetsPerTrigger",
  "clientConfigSecretRef"
})
@ValidationRule(
    value =
        "!has(self.outputTopic) || !has(self.inputTopics) || !(self.outputTopic in self.inputTopics)",
    message = "kafka.outputTopic must not be one of kafka.inputTopics",
    fieldPath = ".outputTopic")
@ValidationRule(
    value =
        "!has(self.deadLetterTopic) || !has(self.outputTopic)"
            + " || self.deadLetterTopic != self.outputTopic",
    message = "kafka.deadLetterTopic must differ from kafka.outputTopic",
    fieldPath = ".deadLetterTopic")
@ValidationRule(
    value =
        "!has(self.deadLetterTopic) || !has(self.inputTopics)"
            + " || !(self.deadLetterTopic in self.inputTopics)",
    message = "kafka.deadLetterTopic must not be one of kafka.inputTopics",
    fieldPath = ".deadLetterTopic")
public class KafkaSpec {

  @JsonPropertyDescription(
      "Comma-separated host:port list of brokers (Kafka bootstrap.servers; spark.spate.kafka.bootstrapServers). Required.")
  @Required
  @Size(max = 4096)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.BOOTSTRAP_SERVERS + "')",
      message = "kafka.bootstrapServers must be a comma-separated list of host:port")
  private String bootstrapServers;

  @JsonPropertyDescription(
      "Topics read, at least one (Spark option subscribe; spark.spate.kafka.inputTopics). Partitions added while running are picked up at the next micro-batch. Required.")
  @Required
  @Size(max = 100)
  @ValidationRule(
      value = "size(self) > 0",
      message = "kafka.inputTopics must name at least one topic")
  @ValidationRule(
      value = "self.all(t, t.matches('" + ApiPatterns.TOPIC + "') && t != '.' && t != '..')",
      message =
          "kafka.inputTopics: a Kafka topic name is 1 to 249 characters of [a-zA-Z0-9._-], other than '.' and '..'")
  @ValidationRule(
      value = "self.all(t, self.exists_one(u, u == t))",
      message = "kafka.inputTopics must not name a topic twice")
  private List<@Size(max = ApiPatterns.TOPIC_MAX_LENGTH) String> inputTopics;

  @JsonPropertyDescription(
      "Topic the per-key results are written to, keyed by the aggregation key (spark.spate.kafka.outputTopic). Must not be an input topic. Required.")
  @Required
  @Size(max = ApiPatterns.TOPIC_MAX_LENGTH)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.TOPIC + "') && self != '.' && self != '..'",
      message =
          "kafka.outputTopic: a Kafka topic name is 1 to 249 characters of [a-zA-Z0-9._-], other than '.' and '..'")
  @ValidationRule(
      value = "!self.startsWith('__')",
      message = "kafka.outputTopic must not be a Kafka internal topic (a name starting with __)")
  private String outputTopic;

  @JsonPropertyDescription(
      "Topic bad records go to with the reason and their source topic/partition/offset (spark.spate.kafka.deadLetterTopic). Must differ from the output and input topics. Default (absent): bad records are only counted.")
  @Size(max = ApiPatterns.TOPIC_MAX_LENGTH)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.TOPIC + "') && self != '.' && self != '..'",
      message =
          "kafka.deadLetterTopic: a Kafka topic name is 1 to 249 characters of [a-zA-Z0-9._-], other than '.' and '..'")
  @ValidationRule(
      value = "!self.startsWith('__')",
      message =
          "kafka.deadLetterTopic must not be a Kafka internal topic (a name starting with __)")
  private String deadLetterTopic;

  @JsonPropertyDescription(
      "Consumer group each micro-batch's end offsets are committed to, so lag shows in Kafka's tools (spark.spate.kafka.consumerGroup). Spark itself tracks offsets in the checkpoint, not in this group. Default spate.<namespace>.<name> (consumerGroup).")
  @Size(min = 1, max = 255)
  @ValidationRule(
      value = "!self.startsWith(' ') && !self.endsWith(' ')",
      message = "kafka.consumerGroup must not have leading or trailing spaces")
  private String consumerGroup;

  @JsonPropertyDescription(
      "Where a fresh checkpoint starts reading (Spark option startingOffsets; spark.spate.kafka.startingOffsets). Default earliest.")
  @Default(Defaults.STARTING_OFFSETS)
  private StartingOffsets startingOffsets;

  @JsonPropertyDescription(
      "Most records one micro-batch reads over all partitions (Spark option maxOffsetsPerTrigger; spark.spate.kafka.maxOffsetsPerTrigger); 1 to 10^12. Default 1000000.")
  @Default("1000000")
  @Min(1)
  @Max(ApiPatterns.MAX_OFFSETS_PER_TRIGGER)
  private Long maxOffsetsPerTrigger;

  @JsonPropertyDescription(
      "Secret holding the Kafka client properties (SASL/TLS); never inline (spark.spate.kafka.clientPropertiesFile is the mounted file). Default (absent): plaintext.")
  private SecretReference clientConfigSecretRef;

  /**
   * Comma-separated {@code host:port} list of brokers (Kafka {@code bootstrap.servers}; {@code
   * spark.spate.kafka.bootstrapServers}). Required.
   *
   * @return the bootstrap servers
   */
  public String getBootstrapServers() {
    return bootstrapServers;
  }

  /**
   * @param bootstrapServers see {@link #getBootstrapServers()}
   */
  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Topics read, at least one (Spark option {@code subscribe}; {@code
   * spark.spate.kafka.inputTopics}). Partitions added while running are picked up at the next
   * micro-batch. Required.
   *
   * @return the topic names
   */
  public List<String> getInputTopics() {
    return inputTopics;
  }

  /**
   * @param inputTopics see {@link #getInputTopics()}
   */
  public void setInputTopics(List<String> inputTopics) {
    this.inputTopics = inputTopics;
  }

  /**
   * Topic the per-key results are written to, keyed by the aggregation key ({@code
   * spark.spate.kafka.outputTopic}). Must not be an input topic. Required.
   *
   * @return the topic name
   */
  public String getOutputTopic() {
    return outputTopic;
  }

  /**
   * @param outputTopic see {@link #getOutputTopic()}
   */
  public void setOutputTopic(String outputTopic) {
    this.outputTopic = outputTopic;
  }

  /**
   * Topic bad records go to with the reason and their source topic/partition/offset ({@code
   * spark.spate.kafka.deadLetterTopic}). Must differ from the output and input topics. Default
   * (absent): bad records are only counted.
   *
   * @return the topic name, or {@code null}
   */
  public String getDeadLetterTopic() {
    return deadLetterTopic;
  }

  /**
   * @param deadLetterTopic see {@link #getDeadLetterTopic()}
   */
  public void setDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  /**
   * Consumer group each micro-batch's end offsets are committed to, so lag shows in Kafka's tools
   * ({@code spark.spate.kafka.consumerGroup}). Spark itself tracks offsets in the checkpoint, not
   * in this group. Default {@code spate.<namespace>.<name>} ({@link Defaults#consumerGroup}).
   *
   * @return the group id, or {@code null} for the default
   */
  public String getConsumerGroup() {
    return consumerGroup;
  }

  /**
   * @param consumerGroup see {@link #getConsumerGroup()}
   */
  public void setConsumerGroup(String consumerGroup) {
    this.consumerGroup = consumerGroup;
  }

  /**
   * Where a fresh checkpoint starts reading (Spark option {@code startingOffsets}; {@code
   * spark.spate.kafka.startingOffsets}). Default {@code earliest}.
   *
   * @return the starting offsets, or {@code null} for the default
   */
  public StartingOffsets getStartingOffsets() {
    return startingOffsets;
  }

  /**
   * @param startingOffsets see {@link #getStartingOffsets()}
   */
  public void setStartingOffsets(StartingOffsets startingOffsets) {
    this.startingOffsets = startingOffsets;
  }

  /**
   * Most records one micro-batch reads over all partitions (Spark option {@code
   * maxOffsetsPerTrigger}; {@code spark.spate.kafka.maxOffsetsPerTrigger}); at least 1. Default
   * {@value Defaults#MAX_OFFSETS_PER_TRIGGER} (see {@link Defaults#MAX_OFFSETS_PER_TRIGGER} for
   * why).
   *
   * @return records per micro-batch, or {@code null} for the default
   */
  public Long getMaxOffsetsPerTrigger() {
    return maxOffsetsPerTrigger;
  }

  /**
   * @param maxOffsetsPerTrigger see {@link #getMaxOffsetsPerTrigger()}
   */
  public void setMaxOffsetsPerTrigger(Long maxOffsetsPerTrigger) {
    this.maxOffsetsPerTrigger = maxOffsetsPerTrigger;
  }

  /**
   * Secret holding the Kafka client properties (SASL/TLS); never inline ({@code
   * spark.spate.kafka.clientPropertiesFile} is the mounted file). Default (absent): plaintext.
   *
   * @return the Secret reference, or {@code null}
   */
  public SecretReference getClientConfigSecretRef() {
    return clientConfigSecretRef;
  }

  /**
   * @param clientConfigSecretRef see {@link #getClientConfigSecretRef()}
   */
  public void setClientConfigSecretRef(SecretReference clientConfigSecretRef) {
    this.clientConfigSecretRef = clientConfigSecretRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KafkaSpec that)) {
      return false;
    }
    return Objects.equals(bootstrapServers, that.bootstrapServers)
        && Objects.equals(inputTopics, that.inputTopics)
        && Objects.equals(outputTopic, that.outputTopic)
        && Objects.equals(deadLetterTopic, that.deadLetterTopic)
        && Objects.equals(consumerGroup, that.consumerGroup)
        && Objects.equals(startingOffsets, that.startingOffsets)
        && Objects.equals(maxOffsetsPerTrigger, that.maxOffsetsPerTrigger)
        && Objects.equals(clientConfigSecretRef, that.clientConfigSecretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        bootstrapServers,
        inputTopics,
        outputTopic,
        deadLetterTopic,
        consumerGroup,
        startingOffsets,
        maxOffsetsPerTrigger,
        clientConfigSecretRef);
  }

  @Override
  public String toString() {
    return "KafkaSpec{"
        + "bootstrapServers="
        + bootstrapServers
        + ", inputTopics="
        + inputTopics
        + ", outputTopic="
        + outputTopic
        + ", deadLetterTopic="
        + deadLetterTopic
        + ", consumerGroup="
        + consumerGroup
        + ", startingOffsets="
        + startingOffsets
        + ", maxOffsetsPerTrigger="
        + maxOffsetsPerTrigger
        + ", clientConfigSecretRef="
        + clientConfigSecretRef
        + "}";
  }
}
