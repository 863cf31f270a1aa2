package dev.spate.job;

import static dev.spate.job.JobConfigKeys.*;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The validated configuration of the bundled job, read from the {@code spark.spate.*} keys of
 * {@link JobConfigKeys} (see docs/CONTRACT.md).
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}
 * @param inputTopics input topics, at least one
 * @param outputTopic output topic of the per-key aggregates
 * @param deadLetterTopic dead-letter topic, or {@code null}: bad records are only counted
 * @param consumerGroup consumer group the offset committer commits to
 * @param startingOffsets {@code earliest} or {@code latest}
 * @param maxOffsetsPerTrigger records per micro-batch over all partitions, or {@code null}:
 *     unlimited
 * @param kafkaClientProperties Kafka client settings from the client properties file (empty when
 *     none)
 * @param kafkaClientPropertiesFile path of that file, the same on the driver and each executor, or
 *     {@code null}
 * @param triggerIntervalMs micro-batch trigger interval, ms
 * @param checkpointLocation checkpoint directory URI
 * @param parse how records are read (key, value and event-time fields)
 * @param stateTimeoutMs processing-time idle timeout of a key's state, ms
 * @param terminationMessagePath file the cause of a failure is written to
 */
public record JobConfig(
    String bootstrapServers,
    List<String> inputTopics,
    String outputTopic,
    String deadLetterTopic,
    String consumerGroup,
    String startingOffsets,
    Long maxOffsetsPerTrigger,
    Map<String, String> kafkaClientProperties,
    String kafkaClientPropertiesFile,
    long triggerIntervalMs,
    String checkpointLocation,
    ParseSpec parse,
    long stateTimeoutMs,
    String terminationMessagePath)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Kafka's legal topic names (org.apache.kafka.common.internals.Topic). */
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /**
   * Reads and validates the configuration.
   *
   * @param conf Spark configuration entries (only {@code spark.spate.*} keys are read)
   * @return the configuration
   * @throws InvalidConfigurationException listing every problem found
   */
  public static JobConfig from(Map<String, String> conf) {
    List<String> problems = new ArrayList<>();
    String bootstrap = required(conf, BOOTSTRAP_SERVERS, problems);
    List<String> inputs = new ArrayList<>();
    String inputText = required(conf, INPUT_TOPICS, problems);
    if (inputText != null) {
      for (String t : inputText.split(",")) {
        String topic = t.trim();
        if (!topic.isEmpty()) {
          inputs.add(topic);
          checkTopic(INPUT_TOPICS, topic, problems);
        }
      }
      if (inputs.isEmpty()) {
        problems.add(INPUT_TOPICS + " names no topic");
      }
    }
    String output = required(conf, OUTPUT_TOPIC, problems);
    checkTopic(OUTPUT_TOPIC, output, problems);
    String deadLetter = optional(conf, DEAD_LETTER_TOPIC);
    checkTopic(DEAD_LETTER_TOPIC, deadLetter, problems);
    if (output != null && inputs.contains(output)) {
      problems.add(OUTPUT_TOPIC + " '" + output + "' is also an input topic");
    }
    if (deadLetter != null && (deadLetter.equals(output) || inputs.contains(deadLetter))) {
      problems.add(
          DEAD_LETTER_TOPIC + " '" + deadLetter + "' must differ from the input and output topics");
    }
    String group = required(conf, CONSUMER_GROUP, problems);
    String starting = conf.getOrDefault(STARTING_OFFSETS, "earliest").trim();
    if (!starting.equals("earliest") && !starting.equals("latest")) {
      problems.add(STARTING_OFFSETS + " must be 'earliest' or 'latest', not '" + starting + "'");
    }
    Long maxOffsets = null;
    String maxText = optional(conf, MAX_OFFSETS_PER_TRIGGER);
    if (maxText != null) {
      try {
        maxOffsets = Long.parseLong(maxText);
        if (maxOffsets <= 0) {
          problems.add(MAX_OFFSETS_PER_TRIGGER + " must be positive, not " + maxText);
        }
      } catch (NumberFormatException e) {
        problems.add(
            MAX_OFFSETS_PER_TRIGGER + " must be a whole number of records, not '" + maxText + "'");
      }
    }
    String clientPropertiesFile = optional(conf, CLIENT_PROPERTIES_FILE);
    Map<String, String> clientProperties = clientProperties(clientPropertiesFile, problems);
    long trigger = duration(conf, TRIGGER_PROCESSING_TIME, DEFAULT_TRIGGER, problems);
    String checkpoint = required(conf, CHECKPOINT_LOCATION, problems);
    String eventTimeField = optional(conf, EVENT_TIME_FIELD);
    String eventTimeFormat = optional(conf, EVENT_TIME_FORMAT);
    if (eventTimeFormat != null) {
      if (eventTimeField == null) {
        problems.add(EVENT_TIME_FORMAT + " is set but " + EVENT_TIME_FIELD + " is not");
      }
      EventTimeFormat.problem(eventTimeFormat)
          .ifPresent(p -> problems.add(EVENT_TIME_FORMAT + ": " + p));
    }
    ParseSpec parse =
        new ParseSpec(
            optional(conf, KEY_FIELD),
            optional(conf, VALUE_FIELD),
            eventTimeField,
            eventTimeFormat);
    long stateTimeout = duration(conf, STATE_TIMEOUT, DEFAULT_STATE_TIMEOUT, problems);
    String terminationPath = terminationMessagePath(conf);
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return new JobConfig(
        bootstrap,
        List.copyOf(inputs),
        output,
        deadLetter,
        group,
        starting,
        maxOffsets,
        clientProperties,
        clientPropertiesFile,
        trigger,
        checkpoint,
        parse,
        stateTimeout,
        terminationPath);
  }

  /**
   * @param conf Spark configuration entries
   * @return {@link JobConfigKeys#TERMINATION_MESSAGE_PATH} or its default; readable even when the
   *     rest of the configuration is invalid
   */
  public static String terminationMessagePath(Map<String, String> conf) {
    String path = optional(conf, TERMINATION_MESSAGE_PATH);
    return path == null ? DEFAULT_TERMINATION_MESSAGE_PATH : path;
  }

  /**
   * Merges Spark configuration with program arguments; arguments win.
   *
   * @param sparkConf Spark configuration entries
   * @param args program arguments, each {@code key=value}; a key without the {@code spark.spate.}
   *     prefix gets it (so {@code kafka.outputTopic=out} works)
   * @return the merged entries
   * @throws InvalidConfigurationException when an argument is not {@code key=value}
   */
  public static Map<String, String> merge(Map<String, String> sparkConf, String... args) {
    Map<String, String> merged = new LinkedHashMap<>(sparkConf);
    List<String> problems = new ArrayList<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        problems.add("argument '" + arg + "' is not key=value");
        continue;
      }
      String key = arg.substring(0, eq).trim();
      merged.put(key.startsWith(PREFIX) ? key : PREFIX + key, arg.substring(eq + 1).trim());
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return merged;
  }

  /**
   * Reads a Kafka client properties file (SASL/TLS settings mounted from a Secret).
   *
   * @param file path of a {@link Properties} file, or {@code null}
   * @return its entries (empty for {@code null})
   * @throws InvalidConfigurationException when it cannot be read
   */
  public static Map<String, String> readClientProperties(String file) {
    List<String> problems = new ArrayList<>();
    Map<String, String> result = clientProperties(file, problems);
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return result;
  }

  private static Map<String, String> clientProperties(String file, List<String> problems) {
    if (file == null) {
      return Map.of();
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of(file))) {
      props.load(reader);
    } catch (IOException | RuntimeException e) {
      problems.add(CLIENT_PROPERTIES_FILE + " '" + file + "' cannot be read: " + e);
      return Map.of();
    }
    Map<String, String> result = new TreeMap<>();
    Path dir = Path.of(file).toAbsolutePath().getParent();
    props
        .stringPropertyNames()
        .forEach(k -> result.put(k, resolveLocation(k, props.getProperty(k).trim(), dir)));
    return Map.copyOf(result);
  }

  /**
   * A relative file location of the Kafka client ({@code ssl.truststore.location}, {@code
   * ssl.keystore.location}: every key ending in {@code .location}) resolved against the directory
   * of the properties file, where the operator mounts the other keys of the same Secret; absolute
   * paths and other keys as given.
   */
  static String resolveLocation(String key, String value, Path dir) {
    if (!key.endsWith(".location") || value.isEmpty() || dir == null) {
      return value;
    }
    Path path = Path.of(value);
    return path.isAbsolute() ? value : dir.resolve(path).toString();
  }

  private static String required(Map<String, String> conf, String key, List<String> problems) {
    String value = optional(conf, key);
    if (value == null) {
      problems.add(key + " is required");
    }
    return value;
  }

  private static String optional(Map<String, String> conf, String key) {
    String value = conf.get(key);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static void checkTopic(String key, String topic, List<String> problems) {
    if (topic != null
        && (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))) {
      problems.add(
          key + ": '" + topic + "' is not a legal Kafka topic name (1-249 of [a-zA-Z0-9._-])");
    }
  }

  private static long duration(
      Map<String, String> conf, String key, String defaultValue, List<String> problems) {
    String text = conf.getOrDefault(key, defaultValue);
    try {
      return Durations.toMillis(text);
    } catch (IllegalArgumentException e) {
      problems.add(key + ": " + e.getMessage());
      return 0;
    }
  }

  /**
   * How a record is read.
   *
   * @param keyField JSON field of the key, or {@code null}: the Kafka record key
   * @param valueField JSON numeric field, or {@code null}: count only
   * @param eventTimeField JSON event-time field, or {@code null}: the Kafka record timestamp
   * @param eventTimeFormat an {@link EventTimeFormat}: {@code epochMillis}, {@code epochSeconds} or
   *     a {@code DateTimeFormatter} pattern (read as UTC when it has no zone), or {@code null}:
   *     ISO-8601 text or epoch milliseconds
   */
  public record ParseSpec(
      String keyField, String valueField, String eventTimeField, String eventTimeFormat)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public String toString() {
    // the client properties may hold credentials: print their keys only
    return "JobConfig[bootstrapServers="
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
        + ", kafkaClientProperties="
        + kafkaClientProperties.keySet()
        + ", kafkaClientPropertiesFile="
        + kafkaClientPropertiesFile
        + ", triggerIntervalMs="
        + triggerIntervalMs
        + ", checkpointLocation="
        + checkpointLocation
        + ", parse="
        + parse
        + ", stateTimeoutMs="
        + stateTimeoutMs
        + ", terminationMessagePath="
        + terminationMessagePath
        + "]";
  }

  /**
   * @return the client settings for Kafka clients that run on executors (Spark's Kafka source and
   *     sink options, the dead-letter producer): secret values as references to the mounted file
   *     ({@link KafkaClientSecrets#forExecutors})
   */
  public Map<String, String> executorKafkaProperties() {
    return KafkaClientSecrets.forExecutors(kafkaClientProperties, kafkaClientPropertiesFile);
  }

  /**
   * @return the input topics as Spark's {@code subscribe} option wants them
   */
  public String subscribe() {
    return String.join(",", inputTopics);
  }
}
