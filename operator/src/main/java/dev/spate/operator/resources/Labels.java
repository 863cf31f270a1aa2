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

  private Labels() {}
}
