package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link StreamingJob} runs: the Spark application, its Kafka topics, trigger, checkpoint,
 * driver and executor sizes, and what to do when the driver ends.
 *
 * <p>Every field except {@link #getKafka() kafka} and {@link #getCheckpoint() checkpoint} is
 * optional; the defaults are in {@link Defaults} and documented on each getter.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "image",
  "application",
  "aggregation",
  "kafka",
  "trigger",
  "checkpoint",
  "driver",
  "executor",
  "restartPolicy",
  "sparkConf",
  "suspend",
  "restartNonce"
})
public class StreamingJobSpec {

  @JsonPropertyDescription(
      "Container image of the driver and executors: a Spark 3.5 image (Scala 2.12) holding the Spate job jar (spark.kubernetes.container.image). Default: the operator's configured image.")
  @Size(min = 1, max = 1024)
  private String image;

  @JsonPropertyDescription(
      "The Spark application to run. Default (absent): the bundled stateful aggregation job configured by aggregation.")
  private ApplicationSpec application;

  @JsonPropertyDescription(
      "How the bundled job aggregates records per key (the spark.spate.aggregation.* keys). Default (absent): key = the Kafka record key, count only, event time = the Kafka timestamp.")
  private AggregationSpec aggregation;

  @JsonPropertyDescription("Kafka cluster, topics and consumer group. Required.")
  @Required
  private KafkaSpec kafka;

  @JsonPropertyDescription("When micro-batches start. Default: every 10s.")
  private TriggerSpec trigger;

  @JsonPropertyDescription(
      "Where the query's checkpoint (offsets, commits, state store) lives. Required.")
  @Required
  private CheckpointSpec checkpoint;

  @JsonPropertyDescription(
      "Driver pod size, service account and scheduling (pull secrets, node selector, tolerations, affinity, priority class, labels, annotations). Default: 1 core, 1g.")
  private DriverSpec driver;

  @JsonPropertyDescription(
      "Executor pod size, count bounds and scheduling (pull secrets, node selector, tolerations, affinity, priority class, labels, annotations; applied through the executor pod template the operator writes). Default: 1 core, 2g, 1 to 16 executors.")
  private ExecutorSpec executor;

  @JsonPropertyDescription(
      "What the operator does when the driver ends without being asked to. Default: restart Always, at most 10 times, backoff 10 s doubling up to 5 m, count reset after 10 m running.")
  private RestartPolicySpec restartPolicy;

  @JsonPropertyDescription(
      "Extra Spark configuration passed to the driver's properties file as given. Keys the operator owns (spark.master, spark.kubernetes.driver.pod.name, spark.executor.instances, spark.driver.host, spark.sql.streaming.checkpointLocation, any spark.spate.*, ...) are rejected: set the matching spec field instead. Keys that would mount a Secret, a host path or an NFS volume or change Spark's Kubernetes credentials (spark.kubernetes.{driver,executor}.secrets.*, *.secretKeyRef.*, spark.kubernetes.kerberos.tokenSecret.*, *.volumes.hostPath.*, *.volumes.nfs.*, spark.kubernetes.authenticate.*) are rejected too. spark.plugins and spark.sql.streaming.streamingQueryListeners are appended to Spate's own classes. The driver's Prometheus endpoints are on unless set here: spark.ui.prometheus.enabled=true, spark.metrics.conf.*.sink.prometheusServlet.class=org.apache.spark.metrics.sink.PrometheusServlet with path /metrics/prometheus, spark.sql.streaming.metricsEnabled=true, spark.metrics.namespace=spate. Default: empty.")
  @Size(max = 256)
  @ValidationRule(
      value = "self.all(k, size(k) > 0 && size(k) <= 256 && size(self[k]) <= 4096)",
      message = "sparkConf keys must be 1 to 256 characters and values at most 4096 characters")
  @ValidationRule(
      value =
          "!["
              + "'spark.master', "
              + "'spark.submit.deployMode', "
              + "'spark.app.id', "
              + "'spark.app.name', "
              + "'spark.driver.host', "
              + "'spark.driver.bindAddress', "
              + "'spark.driver.port', "
              + "'spark.driver.blockManager.port', "
              + "'spark.driver.cores', "
              + "'spark.driver.memory', "
              + "'spark.executor.cores', "
              + "'spark.executor.memory', "
              + "'spark.executor.instances', "
              + "'spark.dynamicAllocation.enabled', "
              + "'spark.kubernetes.namespace', "
              + "'spark.kubernetes.driver.pod.name', "
              + "'spark.kubernetes.executor.podNamePrefix', "
              + "'spark.kubernetes.container.image', "
              + "'spark.kubernetes.driver.container.image', "
              + "'spark.kubernetes.executor.container.image', "
              + "'spark.kubernetes.authenticate.driver.serviceAccountName', "
              + "'spark.sql.streaming.checkpointLocation', "
              + "'spark.sql.shuffle.partitions', "
              + "'spark.authenticate', "
              + "'spark.authenticate.secret', "
              + "'spark.authenticate.secret.file', "
              + "'spark.authenticate.secret.driver.file', "
              + "'spark.authenticate.secret.executor.file'"
              + "].exists(k, k in self)",
      message =
          "sparkConf must not set keys the operator owns (spark.master, spark.submit.deployMode,"
              + " spark.app.id, spark.app.name, spark.driver.host, spark.driver.bindAddress,"
              + " spark.driver.port, spark.driver.blockManager.port, spark.driver.cores,"
              + " spark.driver.memory, spark.executor.cores, spark.executor.memory,"
              + " spark.executor.instances, spark.dynamicAllocation.enabled, spark.kubernetes.namespace,"
              + " spark.kubernetes.driver.pod.name, spark.kubernetes.executor.podNamePrefix,"
              + " spark.kubernetes.container.image, spark.kubernetes.driver.container.image,"
              + " spark.kubernetes.executor.container.image,"
              + " spark.kubernetes.authenticate.driver.serviceAccountName,"
              + " spark.sql.streaming.checkpointLocation, spark.sql.shuffle.partitions,"
              + " spark.authenticate, spark.authenticate.secret, spark.authenticate.secret.file,"
              + " spark.authenticate.secret.driver.file, spark.authenticate.secret.executor.file):"
              + " set the matching spec field instead; the operator turns Spark authentication on"
              + " with a key of its own for every job")
  @ValidationRule(
      value =
          "!['spark.kubernetes.driver.podTemplateFile',"
              + " 'spark.kubernetes.driver.podTemplateContainerName',"
              + " 'spark.kubernetes.executor.podTemplateFile',"
              + " 'spark.kubernetes.executor.podTemplateContainerName'].exists(k, k in self)",
      message =
          "sparkConf must not set spark.kubernetes.driver.podTemplateFile,"
              + " spark.kubernetes.executor.podTemplateFile or their podTemplateContainerName: "
              + OwnedSparkConf.POD_TEMPLATE_MESSAGE)
  @ValidationRule(
      value = "self.all(k, !k.startsWith('spark.spate.'))",
      message = "sparkConf must not set spark.spate.* keys: the operator writes them from the spec")
  @ValidationRule(
      value = ForbiddenSparkConf.RULE,
      message = ForbiddenSparkConf.MESSAGE,
      messageExpression = ForbiddenSparkConf.MESSAGE_EXPRESSION)
  @ValidationRule(
      value =
          "self.all(k, !(k == 'spark.kubernetes.container.image.pullSecrets'"
              + " || k.startsWith('spark.kubernetes.node.selector.')"
              + " || k.startsWith('spark.kubernetes.driver.node.selector.')"
              + " || k.startsWith('spark.kubernetes.driver.label.')"
              + " || k.startsWith('spark.kubernetes.driver.annotation.')"
              + " || k == 'spark.kubernetes.driver.request.cores'"
              + " || k == 'spark.kubernetes.driver.limit.cores'"
              + " || (k.startsWith('spark.kubernetes.driver.volumes.')"
              + " && !k.startsWith('spark.kubernetes.driver.volumes.hostPath.')"
              + " && !k.startsWith('spark.kubernetes.driver.volumes.nfs.'))))",
      message =
          "sparkConf must not set driver pod keys that have a spec field (the operator builds the"
              + " driver pod; docs/CONTRACT.md): spark.kubernetes.container.image.pullSecrets ->"
              + " spec.driver.imagePullSecrets and spec.executor.imagePullSecrets;"
              + " spark.kubernetes.node.selector.* -> spec.driver.nodeSelector and"
              + " spec.executor.nodeSelector; spark.kubernetes.driver.node.selector.* ->"
              + " spec.driver.nodeSelector; spark.kubernetes.driver.label.* -> spec.driver.labels;"
              + " spark.kubernetes.driver.annotation.* -> spec.driver.annotations;"
              + " spark.kubernetes.driver.request.cores and spark.kubernetes.driver.limit.cores ->"
              + " spec.driver.cores; spark.kubernetes.driver.volumes.* -> spec.checkpoint.volume")
  private Map<String, String> sparkConf;

  @JsonPropertyDescription(
      "true stops the driver cleanly (the query stops at a micro-batch boundary) and keeps the checkpoint; false runs it again from the checkpoint. Default false.")
  @Default("false")
  private Boolean suspend;

  @JsonPropertyDescription(
      "Any change of this number restarts the driver from the checkpoint (e.g. kubectl patch --type merge -p '{\"spec\":{\"restartNonce\":N}}'); the value itself means nothing. Default 0.")
  @Default("0")
  @Min(0)
  @Max(ApiPatterns.MAX_RESTART_NONCE)
  private Long restartNonce;

  /**
   * Container image of the driver and executors: a Spark 3.5 image (Scala 2.12) holding the Spate
   * job jar ({@code spark.kubernetes.container.image}). Default: the operator's configured image.
   *
   * @return the image reference, or {@code null} for the operator's default
   */
  public String getImage() {
    return image;
  }

  /**
   * @param image see {@link #getImage()}
   */
  public void setImage(String image) {
    this.image = image;
  }

  /**
   * The Spark application to run. Default (absent): the bundled stateful aggregation job configured
   * by {@link #getAggregation() aggregation}.
   *
   * @return the application, or {@code null} for the bundled job
   */
  public ApplicationSpec getApplication() {
    return application;
  }

  /**
   * @param application see {@link #getApplication()}
   */
  public void setApplication(ApplicationSpec application) {
    this.application = application;
  }

  /**
   * How the bundled job aggregates records per key (the {@code spark.spate.aggregation.*} keys).
   * Default (absent): key = the Kafka record key, count only, event time = the Kafka timestamp.
   *
   * @return the aggregation settings, or {@code null}
   */
  public AggregationSpec getAggregation() {
    return aggregation;
  }

  /**
   * @param aggregation see {@link #getAggregation()}
   */
  public void setAggregation(AggregationSpec aggregation) {
    this.aggregation = aggregation;
  }

  /**
   * Kafka cluster, topics and consumer group. Required.
   *
   * @return the Kafka settings
   */
  public KafkaSpec getKafka() {
    return kafka;
  }

  /**
   * @param kafka see {@link #getKafka()}
   */
  public void setKafka(KafkaSpec kafka) {
    this.kafka = kafka;
  }

  /**
   * When micro-batches start. Default: every {@value Defaults#TRIGGER_PROCESSING_TIME}.
   *
   * @return the trigger, or {@code null} for the default
   */
  public TriggerSpec getTrigger() {
    return trigger;
  }

  /**
   * @param trigger see {@link #getTrigger()}
   */
  public void setTrigger(TriggerSpec trigger) {
    this.trigger = trigger;
  }

  /**
   * Where the query's checkpoint (offsets, commits, state store) lives. Required.
   *
   * @return the checkpoint settings
   */
  public CheckpointSpec getCheckpoint() {
    return checkpoint;
  }

  /**
   * @param checkpoint see {@link #getCheckpoint()}
   */
  public void setCheckpoint(CheckpointSpec checkpoint) {
    this.checkpoint = checkpoint;
  }

  /**
   * Driver pod size and service account. Default: 1 core, {@value Defaults#DRIVER_MEMORY}.
   *
   * @return the driver settings, or {@code null} for the defaults
   */
  public DriverSpec getDriver() {
    return driver;
  }

  /**
   * @param driver see {@link #getDriver()}
   */
  public void setDriver(DriverSpec driver) {
    this.driver = driver;
  }

  /**
   * Executor pod size and count bounds. Default: 1 core, {@value Defaults#EXECUTOR_MEMORY}, 1 to 16
   * executors.
   *
   * @return the executor settings, or {@code null} for the defaults
   */
  public ExecutorSpec getExecutor() {
    return executor;
  }

  /**
   * @param executor see {@link #getExecutor()}
   */
  public void setExecutor(ExecutorSpec executor) {
    this.executor = executor;
  }

  /**
   * What the operator does when the driver ends without being asked to. Default: restart {@code
   * Always}, at most 10 times, backoff 10 s doubling up to 5 m, count reset after 10 m running.
   *
   * @return the restart policy, or {@code null} for the defaults
   */
  public RestartPolicySpec getRestartPolicy() {
    return restartPolicy;
  }

  /**
   * @param restartPolicy see {@link #getRestartPolicy()}
   */
  public void setRestartPolicy(RestartPolicySpec restartPolicy) {
    this.restartPolicy = restartPolicy;
  }

  /**
   * Extra Spark configuration passed to the driver's properties file as given. Keys the operator
   * owns ({@code spark.master}, {@code spark.kubernetes.driver.pod.name}, {@code
   * spark.executor.instances}, {@code spark.driver.host}, {@code
   * spark.sql.streaming.checkpointLocation}, any {@code spark.spate.*}, ...) are rejected: set the
   * matching spec field instead. {@code spark.plugins} and {@code
   * spark.sql.streaming.streamingQueryListeners} are appended to Spate's own classes. The driver's
   * Prometheus endpoints are on unless set here ({@code spark.ui.prometheus.enabled}, the {@code
   * PrometheusServlet} sink at {@code /metrics/prometheus}, {@code
   * spark.sql.streaming.metricsEnabled}, {@code spark.metrics.namespace=spate}). Default: empty.
   *
   * @return Spark conf key to value, or {@code null}
   */
  public Map<String, String> getSparkConf() {
    return sparkConf;
  }

  /**
   * @param sparkConf see {@link #getSparkConf()}
   */
  public void setSparkConf(Map<String, String> sparkConf) {
    this.sparkConf = sparkConf;
  }

  /**
   * {@code true} stops the driver cleanly (the query stops at a micro-batch boundary) and keeps the
   * checkpoint; {@code false} runs it again from the checkpoint. Default {@code false}.
   *
   * @return whether the job is suspended, or {@code null} for {@code false}
   */
  public Boolean getSuspend() {
    return suspend;
  }

  /**
   * @param suspend see {@link #getSuspend()}
   */
  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  /**
   * Any change of this number restarts the driver from the checkpoint (e.g. {@code kubectl patch
   * --type merge -p '{"spec":{"restartNonce":N}}'}); the value itself means nothing. Default 0.
   *
   * @return the nonce, or {@code null} for 0
   */
  public Long getRestartNonce() {
    return restartNonce;
  }

  /**
   * @param restartNonce see {@link #getRestartNonce()}
   */
  public void setRestartNonce(Long restartNonce) {
    this.restartNonce = restartNonce;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StreamingJobSpec that)) {
      return false;
    }
    return Objects.equals(image, that.image)
        && Objects.equals(application, that.application)
        && Objects.equals(aggregation, that.aggregation)
        && Objects.equals(kafka, that.kafka)
        && Objects.equals(trigger, that.trigger)
        && Objects.equals(checkpoint, that.checkpoint)
        && Objects.equals(driver, that.driver)
        && Objects.equals(executor, that.executor)
        && Objects.equals(restartPolicy, that.restartPolicy)
        && Objects.equals(sparkConf, that.sparkConf)
        && Objects.equals(suspend, that.suspend)
        && Objects.equals(restartNonce, that.restartNonce);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        image,
        application,
        aggregation,
        kafka,
        trigger,
        checkpoint,
        driver,
        executor,
        restartPolicy,
        sparkConf,
        suspend,
        restartNonce);
  }

  @Override
  public String toString() {
    return "StreamingJobSpec{"
        + "image="
        + image
        + ", application="
        + application
        + ", aggregation="
        + aggregation
        + ", kafka="
        + kafka
        + ", trigger="
        + trigger
        + ", checkpoint="
        + checkpoint
        + ", driver="
        + driver
        + ", executor="
        + executor
        + ", restartPolicy="
        + restartPolicy
        + ", sparkConf="
        + sparkConf
        + ", suspend="
        + suspend
        + ", restartNonce="
        + restartNonce
        + "}";
  }
}
