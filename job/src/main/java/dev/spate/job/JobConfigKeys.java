package dev.spate.job;

import java.util.List;

/**
 * The Spark configuration keys the bundled job, the offset committer and the driver plugin read.
 * The operator writes them into the driver's properties file; docs/CONTRACT.md is the contract,
 * pinned by {@code JobConfigContractTest} here and {@code SparkConfContractTest} in the operator.
 */
public final class JobConfigKeys {

  /** Prefix of every Spate key. */
  public static final String PREFIX = "spark.spate.";

  /** Kafka {@code bootstrap.servers}; required. */
  public static final String BOOTSTRAP_SERVERS = PREFIX + "kafka.bootstrapServers";

  /** Comma-separated input topics; required. */
  public static final String INPUT_TOPICS = PREFIX + "kafka.inputTopics";

  /** Output topic; required. */
  public static final String OUTPUT_TOPIC = PREFIX + "kafka.outputTopic";

  /** Dead-letter topic; optional (absent: bad records are only counted). */
  public static final String DEAD_LETTER_TOPIC = PREFIX + "kafka.deadLetterTopic";

  /** Consumer group the offset committer commits to; required. */
  public static final String CONSUMER_GROUP = PREFIX + "kafka.consumerGroup";

  /**
   * {@code earliest} (default) or {@code latest}: Spark Kafka source option {@code
   * startingOffsets}.
   */
  public static final String STARTING_OFFSETS = PREFIX + "kafka.startingOffsets";

  /**
   * Records per micro-batch over all partitions: Spark Kafka source option {@code
   * maxOffsetsPerTrigger}.
   */
  public static final String MAX_OFFSETS_PER_TRIGGER = PREFIX + "kafka.maxOffsetsPerTrigger";

  /** Path of a Java properties file with Kafka client settings (SASL/TLS). */
  public static final String CLIENT_PROPERTIES_FILE = PREFIX + "kafka.clientPropertiesFile";

  /** Micro-batch trigger interval ({@code 10s} default; {@code 500ms}, {@code 1m}, ...). */
  public static final String TRIGGER_PROCESSING_TIME = PREFIX + "trigger.processingTime";

  /** Checkpoint directory URI; required. */
  public static final String CHECKPOINT_LOCATION = PREFIX + "checkpoint.location";

  /** JSON field holding the aggregation key; absent: the Kafka record key. */
  public static final String KEY_FIELD = PREFIX + "aggregation.keyField";

  /** JSON numeric field aggregated into sum/min/max; absent: count only. */
  public static final String VALUE_FIELD = PREFIX + "aggregation.valueField";

  /** JSON field with the event time; absent: the Kafka record timestamp. */
  public static final String EVENT_TIME_FIELD = PREFIX + "aggregation.eventTimeField";

  /**
   * {@link java.time.format.DateTimeFormatter} pattern of the event time field (else ISO-8601 or
   * epoch ms).
   */
  public static final String EVENT_TIME_FORMAT = PREFIX + "aggregation.eventTimeFormat";

  /** Idle time after which a key's state expires ({@code 30m} default), processing time. */
  public static final String STATE_TIMEOUT = PREFIX + "aggregation.stateTimeout";

  /** Where the cause of a failure is written ({@code /dev/termination-log} default). */
  public static final String TERMINATION_MESSAGE_PATH = PREFIX + "terminationMessagePath";

  /** Name of the control ConfigMap the driver plugin watches. */
  public static final String CONTROL_CONFIG_MAP = PREFIX + "control.configMap";

  /** The driver attempt the operator started (fencing: see {@link #CURRENT_ATTEMPT}). */
  public static final String ATTEMPT = PREFIX + "attempt";

  /** Every key the bundled job reads, in CONTRACT.md's order. */
  public static final List<String> JOB_KEYS =
      List.of(
          BOOTSTRAP_SERVERS,
          INPUT_TOPICS,
          OUTPUT_TOPIC,
          DEAD_LETTER_TOPIC,
          CONSUMER_GROUP,
          STARTING_OFFSETS,
          MAX_OFFSETS_PER_TRIGGER,
          CLIENT_PROPERTIES_FILE,
          TRIGGER_PROCESSING_TIME,
          CHECKPOINT_LOCATION,
          KEY_FIELD,
          VALUE_FIELD,
          EVENT_TIME_FIELD,
          EVENT_TIME_FORMAT,
          STATE_TIMEOUT,
          TERMINATION_MESSAGE_PATH);

  /** Keys of the control ConfigMap ({@link #CONTROL_CONFIG_MAP}). */
  public static final String DESIRED_EXECUTORS = "desiredExecutors";

  /** Written back by the driver plugin: the executor count it last applied. */
  public static final String APPLIED_EXECUTORS = "appliedExecutors";

  /** Written back by the driver plugin: RFC 3339 time of that application. */
  public static final String APPLIED_AT = "appliedAt";

  /**
   * Written by the operator: the current driver attempt. A driver whose {@link #ATTEMPT} is lower
   * has been superseded and stops itself.
   */
  public static final String CURRENT_ATTEMPT = "attempt";

  /** Default of {@link #TRIGGER_PROCESSING_TIME}. */
  public static final String DEFAULT_TRIGGER = "10s";

  /** Default of {@link #STATE_TIMEOUT}. */
  public static final String DEFAULT_STATE_TIMEOUT = "30m";

  /** Default of {@link #TERMINATION_MESSAGE_PATH}: Kubernetes' {@code terminationMessagePath}. */
  public static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";

  private JobConfigKeys() {}
}
