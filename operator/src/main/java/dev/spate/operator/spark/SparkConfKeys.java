package dev.spate.operator.spark;

/**
 * Configuration keys shared with the bundled job: docs/CONTRACT.md, pinned by {@code
 * SparkConfContractTest} (the job side pins the same keys in {@code JobConfigContractTest}).
 */
public final class SparkConfKeys {

  /** Prefix of every key the operator writes for the job; users cannot set these in sparkConf. */
  public static final String PREFIX = "spark.spate.";

  public static final String KAFKA_BOOTSTRAP_SERVERS = "spark.spate.kafka.bootstrapServers";
  public static final String KAFKA_INPUT_TOPICS = "spark.spate.kafka.inputTopics";
  public static final String KAFKA_OUTPUT_TOPIC = "spark.spate.kafka.outputTopic";
  public static final String KAFKA_DEAD_LETTER_TOPIC = "spark.spate.kafka.deadLetterTopic";
  public static final String KAFKA_CONSUMER_GROUP = "spark.spate.kafka.consumerGroup";
  public static final String KAFKA_STARTING_OFFSETS = "spark.spate.kafka.startingOffsets";
  public static final String KAFKA_MAX_OFFSETS_PER_TRIGGER =
      "spark.spate.kafka.maxOffsetsPerTrigger";
  public static final String KAFKA_CLIENT_PROPERTIES_FILE =
      "spark.spate.kafka.clientPropertiesFile";
  public static final String TRIGGER_PROCESSING_TIME = "spark.spate.trigger.processingTime";
  public static final String CHECKPOINT_LOCATION = "spark.spate.checkpoint.location";
  public static final String AGGREGATION_KEY_FIELD = "spark.spate.aggregation.keyField";
  public static final String AGGREGATION_VALUE_FIELD = "spark.spate.aggregation.valueField";
  public static final String AGGREGATION_EVENT_TIME_FIELD =
      "spark.spate.aggregation.eventTimeField";
  public static final String AGGREGATION_EVENT_TIME_FORMAT =
      "spark.spate.aggregation.eventTimeFormat";
  public static final String AGGREGATION_STATE_TIMEOUT = "spark.spate.aggregation.stateTimeout";
  public static final String TERMINATION_MESSAGE_PATH = "spark.spate.terminationMessagePath";
  public static final String CONTROL_CONFIG_MAP = "spark.spate.control.configMap";

  /** The driver attempt this Spark conf starts; the driver plugin fences on it. */
  public static final String ATTEMPT = "spark.spate.attempt";

  /** Spark key enabling the offset committer. */
  public static final String STREAMING_QUERY_LISTENERS =
      "spark.sql.streaming.streamingQueryListeners";

  /** The job's offset committer class. */
  public static final String OFFSET_COMMITTER = "dev.spate.job.OffsetCommitter";

  /**
   * Spark's executor pod template file ({@code spark.kubernetes.executor.podTemplateFile}); the
   * operator writes the template (restricted security context, {@code spec.executor} settings).
   */
  public static final String EXECUTOR_POD_TEMPLATE_FILE =
      "spark.kubernetes.executor.podTemplateFile";

  /** The container of that template Spark runs the executor in. */
  public static final String EXECUTOR_POD_TEMPLATE_CONTAINER =
      "spark.kubernetes.executor.podTemplateContainerName";

  /** Spark key enabling driver plugins. */
  public static final String PLUGINS = "spark.plugins";

  /** The job's executor scaling driver plugin class. */
  public static final String EXECUTOR_SCALING_PLUGIN = "dev.spate.job.plugin.ExecutorScalingPlugin";

  /** Control ConfigMap key written by the operator: executor count the driver should run. */
  public static final String CONTROL_DESIRED_EXECUTORS = "desiredExecutors";

  /** Control ConfigMap key written by the driver plugin: the count it last applied. */
  public static final String CONTROL_APPLIED_EXECUTORS = "appliedExecutors";

  /** Control ConfigMap key written by the driver plugin: RFC 3339 time of that application. */
  public static final String CONTROL_APPLIED_AT = "appliedAt";

  /**
   * Control ConfigMap key written by the operator: the current driver attempt. A driver whose
   * {@link #ATTEMPT} is lower stops itself (fencing).
   */
  public static final String CONTROL_ATTEMPT = "attempt";

  /** The bundled job's main class. */
  public static final String BUNDLED_MAIN_CLASS = "dev.spate.job.StatefulAggregationJob";

  /** The bundled job's jar inside the Spate Spark image (deploy/spark.Dockerfile). */
  public static final String BUNDLED_JAR = "local:///opt/spate/spate-job.jar";

  private SparkConfKeys() {}
}
