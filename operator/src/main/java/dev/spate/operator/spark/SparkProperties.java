package dev.spate.operator.spark;

import dev.spate.api.v1alpha1.AggregationSpec;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.operator.decide.SparkMemory;
import dev.spate.operator.resources.ExecutorPodTemplate;
import dev.spate.operator.resources.Labels;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Spark properties the driver loads ({@code --properties-file}), built from a {@link JobPlan}
 * as spark-submit's Kubernetes cluster mode would hand them to a driver pod, plus the Spate keys of
 * docs/CONTRACT.md and the user's pass-through {@code sparkConf}.
 */
public final class SparkProperties {

  /** Directory where the Spark conf ConfigMap is mounted in the driver. */
  public static final String CONF_DIR = "/opt/spate/conf";

  /** ConfigMap key and file name of the properties file. */
  public static final String CONF_FILE = "spark.properties";

  /**
   * Directory where the Kafka client Secret is mounted, every key a file, in the driver and in
   * every executor.
   */
  public static final String KAFKA_CLIENT_DIR = "/opt/spate/kafka";

  /**
   * Directory where the job's Spark authentication Secret is mounted, in the driver and in every
   * executor.
   */
  public static final String AUTH_DIR = "/opt/spate/auth";

  /** Key (and file name) of the Spark authentication key in that Secret. */
  public static final String AUTH_SECRET_KEY = "spark-auth-secret";

  /**
   * Key of the same secret as Spark derives it from the file (base64 of its bytes), for the
   * executors' environment variable {@code _SPARK_AUTH_SECRET}.
   */
  public static final String AUTH_ENV_KEY = "spark-auth-secret-base64";

  /** Where the driver writes the cause of a failure (the container's terminationMessagePath). */
  public static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";

  /** Spark's driver RPC port in cluster mode ({@code spark.driver.port}). */
  public static final int DRIVER_PORT = 7078;

  /** Spark's block manager port in cluster mode ({@code spark.driver.blockManager.port}). */
  public static final int BLOCK_MANAGER_PORT = 7079;

  /** Spark UI port ({@code spark.ui.port}). */
  public static final int UI_PORT = 4040;

  /** Volume name of the checkpoint PVC in driver and executor pods. */
  public static final String CHECKPOINT_VOLUME = "spate-checkpoint";

  /**
   * Spark's prefix of executor environment variables from Secret keys ({@code
   * spark.kubernetes.executor.secretKeyRef.[EnvName]=<secret>:<key>}, Running on Kubernetes docs).
   */
  public static final String EXECUTOR_SECRET_KEY_REF_PREFIX =
      "spark.kubernetes.executor.secretKeyRef.";

  /** Kubernetes API URL of the cluster the driver runs in ({@code spark.master}). */
  public static final String IN_CLUSTER_MASTER = "k8s://https://kubernetes.default.svc";

  /**
   * Prefixes of keys the operator owns beyond the exact keys it writes: a user {@code sparkConf}
   * key starting with one of them is rejected.
   */
  public static final Set<String> OWNED_PREFIXES =
      Set.of(
          SparkConfKeys.PREFIX,
          "spark.kubernetes.executor.volumes.persistentVolumeClaim." + CHECKPOINT_VOLUME + ".",
          "spark.kubernetes.driver.",
          "spark.kubernetes.executor.label." + Labels.JOB);

  /**
   * Keys the operator owns although it does not always write them (the CRD's sparkConf rule lists
   * the same): the bind address comes from the pod IP, the images and checkpoint from the spec, the
   * state store's partitioning is pinned by the checkpoint.
   */
  public static final Set<String> EXTRA_OWNED_KEYS =
      Set.of(
          "spark.master",
          "spark.submit.deployMode",
          "spark.driver.bindAddress",
          "spark.kubernetes.executor.container.image",
          "spark.kubernetes.driver.container.image",
          "spark.sql.streaming.checkpointLocation",
          "spark.sql.shuffle.partitions",
          "spark.authenticate.secret",
          "spark.authenticate.secret.file");

  private SparkProperties() {}

  /**
   * Class-list keys a user's {@code sparkConf} may set although Spate sets them too: Spate's
   * classes come first, then the user's, each class once. Both are comma-separated lists of class
   * names to Spark ({@code spark.plugins}: {@code SparkPlugin}s; {@code
   * spark.sql.streaming.streamingQueryListeners}: {@code StreamingQueryListener}s, Spark's
   * configuration docs).
   */
  public static final Set<String> MERGED_KEYS =
      Set.of(SparkConfKeys.PLUGINS, SparkConfKeys.STREAMING_QUERY_LISTENERS);

  /**
   * Class-path keys a user's {@code sparkConf} may set although Spate sets them: the user's entries
   * come first, then the Spate jar, joined with {@code :} (Spark's configuration docs: "Extra
   * classpath entries to prepend to the classpath of the driver/executors").
   */
  public static final Set<String> CLASS_PATH_KEYS =
      Set.of(SparkConfKeys.DRIVER_EXTRA_CLASS_PATH, SparkConfKeys.EXECUTOR_EXTRA_CLASS_PATH);

  /**
   * The driver's Prometheus endpoints, on by default (a user's {@code sparkConf} may change any of
   * them): Spark's {@code PrometheusServlet} sink at {@code /metrics/prometheus} on the UI port
   * (Spark's monitoring docs, {@code spark.metrics.conf.*} keys), executor metrics at {@code
   * /metrics/executors/prometheus} ({@code spark.ui.prometheus.enabled}), the streaming query's own
   * gauges (input and processing rate, latency, state rows and bytes; {@code
   * spark.sql.streaming.metricsEnabled}), and the metric name prefix {@code spate} instead of the
   * application id ({@code spark.metrics.namespace}), so every job and every attempt writes the
   * same metric names: {@code metrics_spate_driver_spark_streaming_<query>_<gauge>_Value}. The
   * driver Service's port {@code spark-ui} (4040) reaches them.
   */
  public static final SortedMap<String, String> PROMETHEUS_DEFAULTS =
      Collections.unmodifiableSortedMap(
          new TreeMap<>(
              Map.of(
                  "spark.ui.prometheus.enabled", "true",
                  "spark.metrics.conf.*.sink.prometheusServlet.class",
                      "org.apache.spark.metrics.sink.PrometheusServlet",
                  "spark.metrics.conf.*.sink.prometheusServlet.path", "/metrics/prometheus",
                  "spark.sql.streaming.metricsEnabled", "true",
                  "spark.metrics.namespace", "spate")));

  /**
   * Security defaults a user's {@code sparkConf} may change (Spark's security docs): RPC and
   * block-transfer encryption with keys derived from the authentication secret ({@code
   * spark.network.crypto.enabled}, AES), and no kill links in the UI ({@code
   * spark.ui.killEnabled}): whoever reaches port 4040 of the driver could otherwise kill the
   * query's stages. Local disk encryption ({@code spark.io.encryption.enabled}) stays Spark's
   * default (off): shuffle and spill files live on the pod's own {@code emptyDir}, and the state
   * store in the checkpoint is not covered by it anyway.
   */
  public static final SortedMap<String, String> SECURITY_DEFAULTS =
      Collections.unmodifiableSortedMap(
          new TreeMap<>(
              Map.of("spark.network.crypto.enabled", "true", "spark.ui.killEnabled", "false")));

  /**
   * The properties for a plan, sorted by key.
   *
   * @param plan the resolved job
   * @return key to value: the owned keys, the user's {@code sparkConf} (never over an owned key:
   *     validation rejects such specs before this is called; a {@link #MERGED_KEYS} value is
   *     appended to Spate's, a {@link #CLASS_PATH_KEYS} value put before Spate's), then the {@link
   *     #PROMETHEUS_DEFAULTS} and {@link #SECURITY_DEFAULTS} the user did not set
   */
  public static SortedMap<String, String> of(JobPlan plan) {
    SortedMap<String, String> conf = new TreeMap<>(owned(plan));
    plan.userSparkConf()
        .forEach(
            (k, v) -> {
              if (MERGED_KEYS.contains(k) && conf.containsKey(k)) {
                conf.put(k, mergeClassLists(conf.get(k), v));
              } else if (CLASS_PATH_KEYS.contains(k) && conf.containsKey(k)) {
                conf.put(k, v.isBlank() ? conf.get(k) : v + ":" + conf.get(k));
              } else {
                conf.putIfAbsent(k, v);
              }
            });
    PROMETHEUS_DEFAULTS.forEach(conf::putIfAbsent);
    SECURITY_DEFAULTS.forEach(conf::putIfAbsent);
    return Collections.unmodifiableSortedMap(conf);
  }

  /**
   * Two comma-separated class lists as one: the first list's classes, then the second's, each once,
   * blanks dropped.
   *
   * @param first e.g. Spate's classes
   * @param second e.g. the user's classes
   * @return the merged list, comma-separated without spaces
   */
  static String mergeClassLists(String first, String second) {
    Set<String> classes = new LinkedHashSet<>();
    for (String list : new String[] {first, second}) {
      for (String c : list.split(",")) {
        if (!c.isBlank()) {
          classes.add(c.trim());
        }
      }
    }
    return String.join(",", classes);
  }

  /**
   * Keys the operator writes for this plan (the user's {@code sparkConf} must not set any of them).
   *
   * @param plan the resolved job
   * @return owned key to value
   */
  public static SortedMap<String, String> owned(JobPlan plan) {
    SortedMap<String, String> c = new TreeMap<>();
    // How spark-submit's cluster mode hands a driver its identity (KubernetesClientApplication +
    // BasicDriverFeatureStep/DriverServiceFeatureStep): the driver runs spark-submit in client mode
    // inside its own pod.
    c.put("spark.master", IN_CLUSTER_MASTER);
    c.put("spark.submit.deployMode", "client");
    c.put("spark.kubernetes.submitInDriver", "true");
    c.put("spark.app.id", plan.appId());
    c.put("spark.app.name", plan.name());
    c.put("spark.kubernetes.namespace", plan.namespace());
    c.put("spark.kubernetes.driver.pod.name", plan.driverPod());
    c.put(
        "spark.kubernetes.executor.podNamePrefix",
        plan.names().executorPodNamePrefix(plan.attempt()));
    c.put("spark.driver.host", plan.driverHost());
    c.put("spark.driver.port", String.valueOf(DRIVER_PORT));
    c.put("spark.driver.blockManager.port", String.valueOf(BLOCK_MANAGER_PORT));
    c.put("spark.kubernetes.container.image", plan.image());
    c.put("spark.kubernetes.authenticate.driver.serviceAccountName", plan.driverServiceAccount());
    c.put("spark.kubernetes.executor.label." + Labels.JOB, plan.name());
    // the driver Service is the operator's (DriverService), not Spark's: Spark's stop() would
    // delete Services by the spark-app-selector label, which matches nothing and needs
    // deletecollection on every Service of the namespace in the driver's Role (DriverRole)
    c.put("spark.kubernetes.driver.service.deleteOnTermination", "false");
    // every executor from the template: restricted Pod Security Standard + spec.executor settings
    c.put(SparkConfKeys.EXECUTOR_POD_TEMPLATE_FILE, ExecutorPodTemplate.PATH);
    c.put(SparkConfKeys.EXECUTOR_POD_TEMPLATE_CONTAINER, ExecutorPodTemplate.CONTAINER);
    c.put("spark.driver.cores", String.valueOf(plan.driverCores()));
    c.put("spark.driver.memory", SparkMemory.parseMib(plan.driverMemory()) + "m");
    c.put("spark.executor.cores", String.valueOf(plan.executorCores()));
    c.put("spark.executor.memory", SparkMemory.parseMib(plan.executorMemory()) + "m");
    c.put("spark.executor.instances", String.valueOf(plan.startExecutors()));
    if (plan.stateParallelism() != null) {
      // pinned by the checkpoint at the first start (StateParallelism); the same on every restart
      c.put("spark.sql.shuffle.partitions", String.valueOf(plan.stateParallelism()));
    }
    // driver and executors authenticate each other with the job's own key (SparkAuthSecret): the
    // driver reads the mounted file; executors get it from the Secret as _SPARK_AUTH_SECRET, the
    // first place Spark looks (their first connection cannot read a key file: that needs
    // spark.master, which executors do not have). Spark wants the executor file set too when the
    // driver's is, and then adds no plain-text key of its own to the executor pods.
    c.put("spark.authenticate", "true");
    c.put("spark.authenticate.secret.driver.file", AUTH_DIR + "/" + AUTH_SECRET_KEY);
    c.put("spark.authenticate.secret.executor.file", AUTH_DIR + "/" + AUTH_SECRET_KEY);
    c.put(
        "spark.kubernetes.executor.secretKeyRef._SPARK_AUTH_SECRET",
        plan.names().sparkAuthSecret() + ":" + AUTH_ENV_KEY);
    // executors are sized by the operator through the driver plugin, not by Spark
    c.put("spark.dynamicAllocation.enabled", "false");
    c.put(SparkConfKeys.STREAMING_QUERY_LISTENERS, SparkConfKeys.OFFSET_COMMITTER);
    c.put(SparkConfKeys.PLUGINS, SparkConfKeys.EXECUTOR_SCALING_PLUGIN);
    // the Spate jar on the class path of the driver (Spark's launcher) and of the executors (Spark
    // sets SPARK_CLASSPATH on executor pods): a bring-your-own application loads the listener and
    // the plugin from it, and every job's Hadoop configuration names its local file systems
    // (spark.hadoop.fs.*file.impl), which Hadoop loads through a Configuration's class loader, not
    // always the one that holds the application jar
    c.put(SparkConfKeys.DRIVER_EXTRA_CLASS_PATH, SparkConfKeys.SPATE_JAR_PATH);
    c.put(SparkConfKeys.EXECUTOR_EXTRA_CLASS_PATH, SparkConfKeys.SPATE_JAR_PATH);
    c.put(SparkConfKeys.CONTROL_CONFIG_MAP, plan.names().controlConfigMap());
    c.put(SparkConfKeys.ATTEMPT, String.valueOf(plan.attempt()));
    if (plan.checkpointVolume() != null) {
      String prefix =
          "spark.kubernetes.executor.volumes.persistentVolumeClaim." + CHECKPOINT_VOLUME + ".";
      c.put(prefix + "options.claimName", plan.checkpointVolume().getClaimName());
      c.put(prefix + "mount.path", plan.checkpointMountPath());
      c.put(prefix + "mount.readOnly", "false");
    }
    if (plan.checkpointCredentials() != null) {
      // Spark's EnvSecretsFeatureStep: each executor pod gets env <ENV> from secretKeyRef
      // <secret>:<key> (the driver pod gets the same env from DriverPod)
      plan.checkpointCredentialKeys()
          .forEach(
              (env, key) ->
                  c.put(
                      EXECUTOR_SECRET_KEY_REF_PREFIX + env,
                      plan.checkpointCredentials().getName() + ":" + key));
    }
    // docs/CONTRACT.md
    c.put(SparkConfKeys.KAFKA_BOOTSTRAP_SERVERS, plan.kafka().getBootstrapServers());
    c.put(SparkConfKeys.KAFKA_INPUT_TOPICS, String.join(",", plan.kafka().getInputTopics()));
    c.put(SparkConfKeys.KAFKA_OUTPUT_TOPIC, plan.kafka().getOutputTopic());
    putIfPresent(c, SparkConfKeys.KAFKA_DEAD_LETTER_TOPIC, plan.kafka().getDeadLetterTopic());
    c.put(SparkConfKeys.KAFKA_CONSUMER_GROUP, plan.consumerGroup());
    c.put(SparkConfKeys.KAFKA_STARTING_OFFSETS, plan.startingOffsets().value());
    c.put(SparkConfKeys.KAFKA_MAX_OFFSETS_PER_TRIGGER, String.valueOf(plan.maxOffsetsPerTrigger()));
    if (plan.clientConfigSecret().isPresent()) {
      c.put(
          SparkConfKeys.KAFKA_CLIENT_PROPERTIES_FILE,
          KAFKA_CLIENT_DIR + "/" + plan.clientConfigKey());
      // every key of the Secret (properties, truststore, keystore) in every executor too, at the
      // driver's path, so the *.location values of the properties are valid on both
      c.put(
          "spark.kubernetes.executor.secrets." + plan.clientConfigSecret().get().getName(),
          KAFKA_CLIENT_DIR);
    }
    c.put(SparkConfKeys.TRIGGER_PROCESSING_TIME, plan.processingTime());
    c.put(SparkConfKeys.CHECKPOINT_LOCATION, plan.checkpointLocation());
    c.put(SparkConfKeys.TERMINATION_MESSAGE_PATH, TERMINATION_MESSAGE_PATH);
    AggregationSpec agg = plan.aggregation();
    if (plan.bundledJob()) {
      if (agg != null) {
        putIfPresent(c, SparkConfKeys.AGGREGATION_KEY_FIELD, agg.getKeyField());
        putIfPresent(c, SparkConfKeys.AGGREGATION_VALUE_FIELD, agg.getValueField());
        putIfPresent(c, SparkConfKeys.AGGREGATION_EVENT_TIME_FIELD, agg.getEventTimeField());
        putIfPresent(c, SparkConfKeys.AGGREGATION_EVENT_TIME_FORMAT, agg.getEventTimeFormat());
      }
      c.put(
          SparkConfKeys.AGGREGATION_STATE_TIMEOUT,
          agg != null && agg.getStateTimeout() != null
              ? agg.getStateTimeout()
              : Defaults.STATE_TIMEOUT);
    }
    return c;
  }

  /**
   * The user's {@code sparkConf} keys that the operator owns, in key order.
   *
   * @param plan the resolved job
   * @return the offending keys; empty when none
   */
  public static Set<String> ownedKeysSetByUser(JobPlan plan) {
    Set<String> owned = owned(plan).keySet();
    return plan.userSparkConf().keySet().stream()
        .filter(k -> !MERGED_KEYS.contains(k) && !CLASS_PATH_KEYS.contains(k))
        // driver-side keys of DriverConfParity's table: applied, or rejected with their own message
        .filter(k -> DriverConfParity.ruleFor(k).isEmpty())
        .filter(
            k ->
                owned.contains(k)
                    || OWNED_PREFIXES.stream().anyMatch(k::startsWith)
                    || EXTRA_OWNED_KEYS.contains(k))
        .sorted()
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * Renders properties as a Java properties file (escaped as {@link Properties#store} does), one
   * {@code key=value} line per entry in key order, without the timestamp comment, so the same input
   * always gives the same text.
   *
   * @param properties the entries
   * @return the file content
   */
  public static String render(Map<String, String> properties) {
    StringBuilder out = new StringBuilder();
    out.append("# Spark properties of a Spate StreamingJob, written by the operator\n");
    for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
      Properties single = new Properties();
      single.setProperty(e.getKey(), e.getValue());
      StringWriter w = new StringWriter();
      try {
        single.store(w, null);
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      // store() writes "#<date>" then the entry
      String text = w.toString();
      out.append(text, text.indexOf('\n') + 1, text.length());
    }
    return out.toString().replace("\r\n", "\n");
  }

  private static void putIfPresent(Map<String, String> conf, String key, String value) {
    if (value != null && !value.isEmpty()) {
      conf.put(key, value);
    }
  }
}
