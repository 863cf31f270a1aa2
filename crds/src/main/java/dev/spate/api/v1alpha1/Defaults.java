package dev.spate.api.v1alpha1;

/**
 * Default values of the spec, in one place: the schema ({@code @Default}) and the operator (for
 * objects the user left out entirely, which the API server does not default) both read them here.
 */
public final class Defaults {

  /**
   * {@code spec.kafka.startingOffsets}: read a new consumer group's partitions from the beginning.
   */
  public static final String STARTING_OFFSETS = "earliest";

  /**
   * {@code spec.kafka.maxOffsetsPerTrigger}, records per micro-batch over all partitions (Spark
   * option {@code maxOffsetsPerTrigger}). 1,000,000 = the default trigger (10 s) times ~100 k
   * records/s, the order of what the bundled stateful job sustains per 2 cores (measured on 2
   * cores): a backlog (first start on {@code earliest}, restart after downtime) is drained in
   * micro-batches of roughly one trigger's work instead of one batch holding the whole backlog,
   * while a live stream of up to 100 k records/s is never throttled. Lower it for heavy records or
   * small executors.
   */
  public static final long MAX_OFFSETS_PER_TRIGGER = 1_000_000L;

  /**
   * {@code spec.kafka.clientConfigSecretRef.key}: the Secret key holding the client properties
   * file.
   */
  public static final String CLIENT_CONFIG_KEY = "client.properties";

  /**
   * {@code spec.checkpoint.credentialsSecretRef.accessKeyIdKey}: the Secret key of the S3 access
   * key id, named like the environment variable it becomes.
   */
  public static final String ACCESS_KEY_ID_KEY = "AWS_ACCESS_KEY_ID";

  /**
   * {@code spec.checkpoint.credentialsSecretRef.secretAccessKeyKey}: the Secret key of the S3
   * secret access key, named like the environment variable it becomes.
   */
  public static final String SECRET_ACCESS_KEY_KEY = "AWS_SECRET_ACCESS_KEY";

  /**
   * {@code spec.trigger.processingTime}: micro-batch interval (Spark {@code
   * Trigger.ProcessingTime}).
   */
  public static final String TRIGGER_PROCESSING_TIME = "10s";

  /** {@code spec.aggregation.stateTimeout}: idle time after which a key's state expires. */
  public static final String STATE_TIMEOUT = "30m";

  /** {@code spec.checkpoint.volume.mountPath}: where the checkpoint PVC is mounted in every pod. */
  public static final String CHECKPOINT_MOUNT_PATH = "/checkpoints";

  /** {@code spec.driver.cores} ({@code spark.driver.cores}). */
  public static final int DRIVER_CORES = 1;

  /** {@code spec.driver.memory} ({@code spark.driver.memory}). */
  public static final String DRIVER_MEMORY = "1g";

  /** {@code spec.executor.cores} ({@code spark.executor.cores}). */
  public static final int EXECUTOR_CORES = 1;

  /** {@code spec.executor.memory} ({@code spark.executor.memory}). */
  public static final String EXECUTOR_MEMORY = "2g";

  /** {@code spec.executor.minExecutors}. */
  public static final int MIN_EXECUTORS = 1;

  /** {@code spec.executor.maxExecutors}. */
  public static final int MAX_EXECUTORS = 16;

  /** {@code spec.restartPolicy.type}. */
  public static final String RESTART_POLICY_TYPE = "Always";

  /** {@code spec.restartPolicy.maxRestarts}: restarts allowed before the job is Failed. */
  public static final int MAX_RESTARTS = 10;

  /** {@code spec.restartPolicy.backoff.initial}: delay before the first restart. */
  public static final String BACKOFF_INITIAL = "10s";

  /** {@code spec.restartPolicy.backoff.max}: longest delay between restarts. */
  public static final String BACKOFF_MAX = "5m";

  /** {@code spec.restartPolicy.backoff.multiplier}: factor between consecutive delays. */
  public static final double BACKOFF_MULTIPLIER = 2.0;

  /**
   * {@code spec.restartPolicy.resetAfter}: running this long resets the restart count and delay.
   */
  public static final String RESET_AFTER = "10m";

  /** {@code spec.suspend}. */
  public static final boolean SUSPEND = false;

  /** {@code spec.restartNonce}. */
  public static final long RESTART_NONCE = 0L;

  /**
   * The default consumer group of a job, {@code spate.<namespace>.<name>}: the group the offset
   * committer commits each micro-batch's end offsets to, so lag shows in Kafka's own tools.
   *
   * @param namespace the StreamingJob's namespace
   * @param name the StreamingJob's name
   * @return the group id
   */
  public static String consumerGroup(String namespace, String name) {
    return "spate." + namespace + "." + name;
  }

  private Defaults() {}
}
