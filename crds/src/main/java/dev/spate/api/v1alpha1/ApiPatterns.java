package dev.spate.api.v1alpha1;

/**
 * Regular expressions of the schema's CEL rules ({@code self.matches(...)}, RE2 syntax), shared by
 * the annotations on the API classes and by the operator, so both read a value the same way.
 */
public final class ApiPatterns {

  /**
   * A memory size: either Spark's size notation (an integer and one of {@code k, m, g, t}, any
   * case, optionally followed by {@code b}: {@code 512m}, {@code 2g}, {@code 4gb}; binary
   * multiples, as {@code spark.executor.memory} reads it) or a Kubernetes binary quantity ({@code
   * 512Mi}, {@code 2Gi}, {@code 1Ti}). A bare number is rejected: Spark reads it as MiB, Kubernetes
   * as bytes. Kubernetes' decimal suffixes ({@code M}, {@code G}) are read the Spark way (binary);
   * decimals ({@code 1.5g}) are rejected, as Spark rejects them.
   */
  public static final String MEMORY = "^[1-9][0-9]{0,8}([kKmMgGtT][bB]?|[KMGT]i)$";

  /** What a {@link #MEMORY} value looks like, for rule messages ("driver.memory " + this). */
  public static final String MEMORY_HINT =
      "must be a Spark memory size (512m, 2g) or a Kubernetes binary quantity (512Mi, 2Gi)";

  /**
   * A duration: a non-negative integer and one unit, {@code ms}, {@code s}, {@code m} or {@code h}
   * ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}). Every such string is also a valid CEL
   * {@code duration()} literal and a valid Spark time string ({@code JavaUtils.timeStringAsMs}).
   */
  public static final String DURATION = "^[0-9]{1,9}(ms|s|m|h)$";

  /**
   * What a {@link #DURATION} value looks like, for rule messages ("trigger.processingTime " + ...).
   */
  public static final String DURATION_HINT =
      "must be a duration: an integer and one unit of ms, s, m, h (e.g. 500ms, 10s, 5m, 1h)";

  /**
   * A Kafka topic name: 1 to 249 of {@code [a-zA-Z0-9._-]} (Kafka's {@code
   * org.apache.kafka.common.internals.Topic}); the length comes from {@code maxLength}, and the
   * names {@code .} and {@code ..} are excluded by the same CEL rule.
   */
  public static final String TOPIC = "^[a-zA-Z0-9._-]+$";

  /** Longest legal Kafka topic name, in characters ({@code Topic.MAX_NAME_LENGTH}). */
  public static final int TOPIC_MAX_LENGTH = 249;

  /** A Kubernetes object name (DNS-1123 subdomain), e.g. a Secret, a PVC or a ServiceAccount. */
  public static final String DNS1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A Secret data key (Kubernetes {@code IsConfigMapKey}): {@code [-._a-zA-Z0-9]+}. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** A URI with a scheme, e.g. {@code s3a://bucket/path} or {@code file:///checkpoints/job}. */
  public static final String URI_WITH_SCHEME = "^[a-zA-Z][-a-zA-Z0-9+.]*://.+$";

  /** Kafka {@code bootstrap.servers}: a comma-separated list of {@code host:port}. */
  public static final String BOOTSTRAP_SERVERS =
      "^[^, ]+:" + ApiPatterns.PORT + "(,[^, ]+:" + ApiPatterns.PORT + ")*$";

  /** A TCP port, 1 to 65535, without leading zeros. */
  public static final String PORT =
      "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";

  /**
   * A {@code metadata.name} of a StreamingJob: a DNS-1035 label (RFC 1035: lower case letters,
   * digits and {@code -}, starting with a letter, ending with a letter or digit) of at most {@link
   * #MAX_JOB_NAME_LENGTH} characters. Every name the operator derives from it is then valid: the
   * driver Service (a DNS-1035 label, shortened with a hash when needed), ConfigMaps and pods
   * (DNS-1123 subdomains) and the {@code spate.dev/job} label value (at most 63 characters).
   */
  public static final String JOB_NAME = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /** Longest StreamingJob name: it is a label value (Kubernetes: at most 63 characters). */
  public static final int MAX_JOB_NAME_LENGTH = 63;

  /** A fully qualified Java class name, e.g. {@code com.example.MyJob}. */
  public static final String JAVA_CLASS =
      "^[A-Za-z_$][A-Za-z0-9_$]*([.][A-Za-z_$][A-Za-z0-9_$]*)*$";

  /**
   * Most cores of one driver or executor ({@code spark.driver.cores}, {@code
   * spark.executor.cores}).
   */
  public static final int MAX_CORES = 64;

  /** Most executors of one job ({@code executor.minExecutors}, {@code executor.maxExecutors}). */
  public static final int MAX_EXECUTORS = 1000;

  /** Most restarts a restart policy may allow. */
  public static final int MAX_RESTARTS = 10000;

  /** Most records per micro-batch (Spark option {@code maxOffsetsPerTrigger}): 10^12. */
  public static final long MAX_OFFSETS_PER_TRIGGER = 1_000_000_000_000L;

  /**
   * Largest {@code restartNonce}: 2^53 - 1, the largest integer every JSON client (JavaScript
   * included) reads exactly.
   */
  public static final long MAX_RESTART_NONCE = 9_007_199_254_740_991L;

  private ApiPatterns() {}
}
