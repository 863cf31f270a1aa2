package dev.spate.operator.resources;

/** Label keys and values the operator puts on (and selects) the objects of a StreamingJob. */
public final class Labels {

  /** Spark's role label, {@code driver} or {@code executor} (set by Spark on executor pods). */
  public static final String SPARK_ROLE = "spark-role";

  /** {@link #SPARK_ROLE} of the driver. */
  public static final String ROLE_DRIVER = "driver";

  /** {@link #SPARK_ROLE} of executors. */
  public static final String ROLE_EXECUTOR = "executor";

  /** Spark's application label: the {@code spark.app.id} (Spark sets it on executors too). */
  public static final String SPARK_APP_SELECTOR = "spark-app-selector";

  /**
   * Spark's version label ({@code spark-version}), which spark-submit puts on the driver pod and
   * Spark on every executor pod ({@code Constants.SPARK_VERSION_LABEL}).
   */
  public static final String SPARK_VERSION = "spark-version";

  /**
   * The Spark version of the Spate image (deploy/spark.Dockerfile's base image), the value of
   * {@link #SPARK_VERSION} on driver pods. Executors get their image's own version from Spark.
   */
  public static final String SPARK_VERSION_VALUE = "3.5.3";

  /**
   * Spark's application name label ({@code spark-app-name}, {@code
   * Constants.SPARK_APP_NAME_LABEL}), on the driver pod and every executor pod; the value is {@link
   * #appNameLabel(String)}.
   */
  public static final String SPARK_APP_NAME = "spark-app-name";

  /** The owning StreamingJob's name, on every object of the job, executors included. */
  public static final String JOB = "spate.dev/job";

  /** The driver attempt (1, 2, ...) on the driver pod; a new attempt is a new pod. */
  public static final String ATTEMPT = "spate.dev/attempt";

  /**
   * Annotation on the driver pod: {@code spark.executor.instances} it started with, so the Spark
   * conf of a running attempt stays as it was when the desired count changes live.
   */
  public static final String START_EXECUTORS = "spate.dev/start-executors";

  /** Standard "managed by" label. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** Value of {@link #MANAGED_BY}. */
  public static final String MANAGER = "spate";

  /** Label selector of the objects the operator creates (its informers watch only these). */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  /** Label selector of every Spate executor pod. */
  public static final String EXECUTOR_SELECTOR = SPARK_ROLE + "=" + ROLE_EXECUTOR + "," + JOB;

  /** Kubernetes label value limit, in characters. */
  static final int LABEL_VALUE_MAX = 63;

  /**
   * The {@link #SPARK_APP_NAME} label value of an application name, as Spark derives it ({@code
   * KubernetesConf.getAppNameLabel}): trimmed, lower case, every character other than {@code a-z},
   * {@code 0-9} and {@code -} replaced by {@code -}, runs of {@code -} collapsed, cut to 63
   * characters. Unlike Spark, leading and trailing {@code -} are dropped too, since a label value
   * must begin and end with a letter or digit (Kubernetes "Labels and Selectors").
   *
   * @param appName {@code spark.app.name}
   * @return the label value (empty for a name without letters or digits)
   */
  public static String appNameLabel(String appName) {
    String v =
        appName
            .trim()
            .toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^a-z0-9\\-]", "-")
            .replaceAll("-+", "-");
    if (v.length() > LABEL_VALUE_MAX) {
      v = v.substring(0, LABEL_VALUE_MAX);
    }
    return v.replaceAll("^-+|-+$", "");
  }

  private Labels() {}
}
