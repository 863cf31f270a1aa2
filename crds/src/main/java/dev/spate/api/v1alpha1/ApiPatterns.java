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
  public static final String BOOTSTRAP_SERVERS = "^[^, ]+:[0-9]{1,5}(,[^, ]+:[0-9]{1,5})*$";

  private ApiPatterns() {}
}
