package dev.spate.operator.spark;

import dev.spate.api.v1alpha1.AggregationSpec;
import dev.spate.api.v1alpha1.ApplicationSpec;
import dev.spate.api.v1alpha1.CheckpointCredentials;
import dev.spate.api.v1alpha1.CheckpointVolume;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.DriverSpec;
import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.KafkaSpec;
import dev.spate.api.v1alpha1.PodSettings;
import dev.spate.api.v1alpha1.SecretReference;
import dev.spate.api.v1alpha1.StartingOffsets;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.resources.JobNames;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A StreamingJob's spec with every default applied (the API server defaults only fields of objects
 * that are present) and the operator's decisions added: deterministic names, Spark application id,
 * image, desired executors. Everything the owned objects are built from, as plain values.
 *
 * @param namespace the job's namespace
 * @param name the job's name
 * @param names deterministic names of the owned objects
 * @param appId {@code spark.app.id} of this plan's attempt, {@code spark-<job UID without
 *     dashes>-<attempt>} ({@link #appId(String, int)}): deterministic, and different for every
 *     attempt, so the event logs of two attempts ({@code spark.eventLog.dir/<app id>}) never
 *     collide (a label value: at most 63 characters)
 * @param image driver and executor image
 * @param mainClass spark-submit {@code --class}
 * @param jar the application jar URI
 * @param args application arguments
 * @param bundledJob whether the bundled aggregation job runs (then {@code
 *     spark.spate.aggregation.*} apply)
 * @param kafka the Kafka settings, with consumer group and starting offsets resolved
 * @param consumerGroup the consumer group the offset committer commits to
 * @param startingOffsets where a new group starts
 * @param maxOffsetsPerTrigger records per micro-batch
 * @param processingTime trigger interval, e.g. {@code 10s}
 * @param checkpointLocation checkpoint URI
 * @param checkpointVolume PVC mounted into driver and executors, or null
 * @param checkpointCredentials the Secret with the S3 access key pair of an {@code s3a://}
 *     checkpoint, or null
 * @param aggregation the aggregation settings, or null
 * @param driverCores {@code spark.driver.cores}
 * @param driverMemory {@code spark.driver.memory} as given
 * @param driverServiceAccount service account of the driver pod: {@code
 *     spec.driver.serviceAccountName}, else the job's own {@link JobNames#driverServiceAccount()}
 *     that the operator creates with its Role
 * @param executorCores {@code spark.executor.cores}
 * @param executorMemory {@code spark.executor.memory} as given
 * @param minExecutors lower bound of executors
 * @param maxExecutors upper bound of executors
 * @param desiredExecutors the executor count decided for now
 * @param userSparkConf the spec's pass-through Spark conf (sorted)
 * @param suspend whether the job is suspended
 * @param startExecutors {@code spark.executor.instances}: the executor count the current driver
 *     attempt starts (or started) with; later counts reach the driver live through the control
 *     ConfigMap, so a change of the desired count alone changes neither the Spark conf nor the pod
 * @param stateParallelism {@code spark.sql.shuffle.partitions} pinned for the checkpoint ({@code
 *     status.stateParallelism}), or null when not chosen yet
 * @param attempt the driver attempt this plan creates (or the running one), from 1
 * @param driverWanted whether a driver pod should exist now; false deletes it (suspend, a restart
 *     waiting for the old driver to go, a backoff, a given-up job)
 * @param driverPodSettings scheduling, pull secrets, labels and annotations of the driver pod
 *     ({@code spec.driver}; never null)
 * @param executorPodSettings the same for executor pods ({@code spec.executor}, written into the
 *     executor pod template; never null)
 * @param driverEnv {@code spec.driver.env}: environment variables of the driver container, set
 *     after the operator's own (empty when none)
 */
public record JobPlan(
    String namespace,
    String name,
    JobNames names,
    String appId,
    String image,
    String mainClass,
    String jar,
    List<String> args,
    boolean bundledJob,
    KafkaSpec kafka,
    String consumerGroup,
    StartingOffsets startingOffsets,
    long maxOffsetsPerTrigger,
    String processingTime,
    String checkpointLocation,
    CheckpointVolume checkpointVolume,
    CheckpointCredentials checkpointCredentials,
    AggregationSpec aggregation,
    int driverCores,
    String driverMemory,
    String driverServiceAccount,
    int executorCores,
    String executorMemory,
    int minExecutors,
    int maxExecutors,
    int desiredExecutors,
    Map<String, String> userSparkConf,
    boolean suspend,
    int startExecutors,
    Integer stateParallelism,
    int attempt,
    boolean driverWanted,
    PodSettings driverPodSettings,
    PodSettings executorPodSettings,
    List<io.fabric8.kubernetes.api.model.EnvVar> driverEnv) {

  /**
   * Environment variable of the S3 access key id (AWS SDK's {@code
   * EnvironmentVariableCredentialsProvider}).
   */
  public static final String CHECKPOINT_ACCESS_KEY_ID_ENV = "AWS_ACCESS_KEY_ID";

  /**
   * Environment variable of the S3 secret access key (AWS SDK's {@code
   * EnvironmentVariableCredentialsProvider}).
   */
  public static final String CHECKPOINT_SECRET_ACCESS_KEY_ENV = "AWS_SECRET_ACCESS_KEY";

  /**
   * Resolves a job's spec.
   *
   * @param job the StreamingJob; {@code spec.kafka} and {@code spec.checkpoint} must be present
   *     (the CRD requires them)
   * @param config the operator configuration (default image)
   * @param desiredExecutors the executor count decided for now
   * @return the plan
   * @throws NullPointerException when a required part of the spec is missing
   */
  public static JobPlan of(StreamingJob job, OperatorConfig config, int desiredExecutors) {
    StreamingJobSpec spec = Objects.requireNonNull(job.getSpec(), "spec");
    String namespace = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    KafkaSpec kafka = Objects.requireNonNull(spec.getKafka(), "spec.kafka");
    ApplicationSpec app = spec.getApplication();
    boolean bundled = app == null || (app.getMainClass() == null && app.getJar() == null);
    DriverSpec driver = Optional.ofNullable(spec.getDriver()).orElseGet(DriverSpec::new);
    ExecutorSpec executor = Optional.ofNullable(spec.getExecutor()).orElseGet(ExecutorSpec::new);
    String uid = Optional.ofNullable(job.getMetadata().getUid()).orElse(namespace + "-" + name);
    return new JobPlan(
        namespace,
        name,
        new JobNames(name),
        appId(uid, 1),
        Optional.ofNullable(spec.getImage()).orElse(config.defaultImage()),
        app != null && app.getMainClass() != null
            ? app.getMainClass()
            : SparkConfKeys.BUNDLED_MAIN_CLASS,
        app != null && app.getJar() != null ? app.getJar() : SparkConfKeys.BUNDLED_JAR,
        app != null && app.getArgs() != null ? List.copyOf(app.getArgs()) : List.of(),
        bundled,
        kafka,
        Optional.ofNullable(kafka.getConsumerGroup())
            .orElse(Defaults.consumerGroup(namespace, name)),
        Optional.ofNullable(kafka.getStartingOffsets()).orElse(StartingOffsets.EARLIEST),
        Optional.ofNullable(kafka.getMaxOffsetsPerTrigger())
            .orElse(Defaults.MAX_OFFSETS_PER_TRIGGER),
        spec.getTrigger() != null && spec.getTrigger().getProcessingTime() != null
            ? spec.getTrigger().getProcessingTime()
            : Defaults.TRIGGER_PROCESSING_TIME,
        Objects.requireNonNull(spec.getCheckpoint(), "spec.checkpoint").getLocation(),
        spec.getCheckpoint().getVolume(),
        spec.getCheckpoint().getCredentialsSecretRef(),
        spec.getAggregation(),
        Optional.ofNullable(driver.getCores()).orElse(Defaults.DRIVER_CORES),
        Optional.ofNullable(driver.getMemory()).orElse(Defaults.DRIVER_MEMORY),
        Optional.ofNullable(driver.getServiceAccountName())
            .orElseGet(() -> new JobNames(name).driverServiceAccount()),
        Optional.ofNullable(executor.getCores()).orElse(Defaults.EXECUTOR_CORES),
        Optional.ofNullable(executor.getMemory()).orElse(Defaults.EXECUTOR_MEMORY),
        Optional.ofNullable(executor.getMinExecutors()).orElse(Defaults.MIN_EXECUTORS),
        Optional.ofNullable(executor.getMaxExecutors()).orElse(Defaults.MAX_EXECUTORS),
        desiredExecutors,
        spec.getSparkConf() == null ? Map.of() : new TreeMap<>(spec.getSparkConf()),
        Boolean.TRUE.equals(spec.getSuspend()),
        desiredExecutors,
        null,
        1,
        !Boolean.TRUE.equals(spec.getSuspend()),
        driver,
        executor,
        driver.getEnv() == null ? List.of() : List.copyOf(driver.getEnv()));
  }

  /**
   * The Spark application id of one driver attempt, {@code spark-<uid>-<attempt>}: Spark's own
   * Kubernetes ids are {@code spark-} and 32 hex digits ({@code
   * KubernetesConf.getKubernetesAppId}); here the 32 hex digits are the job's UID, so the id is
   * found again from the job, and the attempt tells attempts apart. At most 6 + 32 + 1 + 10 = 49
   * characters (a label value may have 63).
   *
   * @param uid the StreamingJob's {@code metadata.uid} (dashes are dropped, letters lower-cased)
   * @param attempt the driver attempt, from 1
   * @return the id, e.g. {@code spark-0f8e6a3c2b1d4e5f8a9b0c1d2e3f4a5b-2}
   */
  public static String appId(String uid, int attempt) {
    return "spark-" + uid.replace("-", "").toLowerCase(java.util.Locale.ROOT) + "-" + attempt;
  }

  /**
   * This plan for one driver attempt.
   *
   * @param startExecutors {@code spark.executor.instances} of the attempt
   * @param stateParallelism {@code spark.sql.shuffle.partitions}, or null to leave Spark's default
   * @param attempt the attempt number, from 1
   * @param driverWanted whether the driver pod should exist now
   * @return a new plan
   */
  public JobPlan forAttempt(
      int startExecutors, Integer stateParallelism, int attempt, boolean driverWanted) {
    return new JobPlan(
        namespace,
        name,
        names,
        appId.substring(0, appId.lastIndexOf('-') + 1) + attempt,
        image,
        mainClass,
        jar,
        args,
        bundledJob,
        kafka,
        consumerGroup,
        startingOffsets,
        maxOffsetsPerTrigger,
        processingTime,
        checkpointLocation,
        checkpointVolume,
        checkpointCredentials,
        aggregation,
        driverCores,
        driverMemory,
        driverServiceAccount,
        executorCores,
        executorMemory,
        minExecutors,
        maxExecutors,
        desiredExecutors,
        userSparkConf,
        suspend,
        startExecutors,
        stateParallelism,
        attempt,
        driverWanted,
        driverPodSettings,
        executorPodSettings,
        driverEnv);
  }

  /**
   * @return the driver pod of this plan's attempt, {@code <job>-driver-<attempt>}
   */
  public String driverPod() {
    return names.driverPod(attempt);
  }

  /**
   * @return the Secret holding Kafka client properties, if any
   */
  public Optional<SecretReference> clientConfigSecret() {
    return Optional.ofNullable(kafka.getClientConfigSecretRef());
  }

  /**
   * @return the Secret key of the client properties file ({@value Defaults#CLIENT_CONFIG_KEY} by
   *     default)
   */
  public String clientConfigKey() {
    return clientConfigSecret().map(SecretReference::getKey).orElse(null) != null
        ? kafka.getClientConfigSecretRef().getKey()
        : Defaults.CLIENT_CONFIG_KEY;
  }

  /**
   * The environment variables of the checkpoint's S3 credentials, each with the Secret key it is
   * read from: {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (the names hadoop-aws's
   * default credential chain reads, through the AWS SDK's {@code
   * EnvironmentVariableCredentialsProvider}), keys defaulted ({@link Defaults#ACCESS_KEY_ID_KEY},
   * {@link Defaults#SECRET_ACCESS_KEY_KEY}).
   *
   * @return variable name → Secret key, in that order; empty without {@code
   *     spec.checkpoint.credentialsSecretRef}
   */
  public Map<String, String> checkpointCredentialKeys() {
    if (checkpointCredentials == null) {
      return Map.of();
    }
    Map<String, String> keys = new java.util.LinkedHashMap<>();
    keys.put(
        CHECKPOINT_ACCESS_KEY_ID_ENV,
        Optional.ofNullable(checkpointCredentials.getAccessKeyIdKey())
            .orElse(Defaults.ACCESS_KEY_ID_KEY));
    keys.put(
        CHECKPOINT_SECRET_ACCESS_KEY_ENV,
        Optional.ofNullable(checkpointCredentials.getSecretAccessKeyKey())
            .orElse(Defaults.SECRET_ACCESS_KEY_KEY));
    return java.util.Collections.unmodifiableMap(keys);
  }

  /**
   * @return where the checkpoint PVC is mounted ({@value Defaults#CHECKPOINT_MOUNT_PATH} by
   *     default)
   */
  public String checkpointMountPath() {
    return checkpointVolume != null && checkpointVolume.getMountPath() != null
        ? checkpointVolume.getMountPath()
        : Defaults.CHECKPOINT_MOUNT_PATH;
  }

  /**
   * @return the headless driver Service's DNS name, {@code <service>.<namespace>.svc} ({@code
   *     spark.driver.host})
   */
  public String driverHost() {
    return names.driverService() + "." + namespace + ".svc";
  }
}
