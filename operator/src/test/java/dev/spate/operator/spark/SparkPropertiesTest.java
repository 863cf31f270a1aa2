package dev.spate.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SparkPropertiesTest {

  @Test
  void renderedFileLoadsBackToTheSameEntries() throws Exception {
    Map<String, String> entries =
        Map.of(
            "spark.master", "k8s://https://kubernetes.default.svc",
            "weird key", "a=b:c#d!e\\f",
            "spark.spate.x", " leading space and ünïcode\nnewline");
    Properties loaded = new Properties();
    loaded.load(new StringReader(SparkProperties.render(entries)));
    assertThat(loaded).containsExactlyInAnyOrderEntriesOf(entries);
  }

  @Test
  void checkpointCredentialsReachEveryPodAsEnvFromTheSecretNeverAsValues() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec().getCheckpoint().setLocation("s3a://bucket/analytics/minimal");
    dev.spate.api.v1alpha1.CheckpointCredentials ref =
        new dev.spate.api.v1alpha1.CheckpointCredentials();
    ref.setName("s3");
    ref.setAccessKeyIdKey("id");
    job.getSpec().getCheckpoint().setCredentialsSecretRef(ref);
    JobPlan plan = JobPlan.of(job, OperatorConfig.defaults(), 1);
    assertThat(plan.checkpointCredentialKeys())
        .containsExactly(
            Map.entry("AWS_ACCESS_KEY_ID", "id"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"));
    // executors: Spark's EnvSecretsFeatureStep builds the secretKeyRef env from these keys
    assertThat(SparkProperties.of(plan))
        .containsEntry("spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID", "s3:id")
        .containsEntry(
            "spark.kubernetes.executor.secretKeyRef.AWS_SECRET_ACCESS_KEY",
            "s3:AWS_SECRET_ACCESS_KEY");
    // the driver: the same env on its pod
    var env =
        dev.spate.operator.resources.DriverPod.build(plan)
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(env)
        .filteredOn(e -> e.getName().startsWith("AWS_"))
        .allSatisfy(
            e -> {
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s3");
            })
        .extracting(e -> e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly("id", "AWS_SECRET_ACCESS_KEY");
    // a user may not set what the field sets
    job.getSpec()
        .setSparkConf(Map.of("spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID", "x:y"));
    assertThat(SparkProperties.ownedKeysSetByUser(JobPlan.of(job, OperatorConfig.defaults(), 1)))
        .containsExactly("spark.kubernetes.executor.secretKeyRef.AWS_ACCESS_KEY_ID");
    // without the field: no env, no executor secretKeyRef for S3 (the Spark authentication key's
    // is always there)
    job.getSpec().getCheckpoint().setCredentialsSecretRef(null);
    job.getSpec().setSparkConf(null);
    JobPlan plain = JobPlan.of(job, OperatorConfig.defaults(), 1);
    assertThat(SparkProperties.of(plain).keySet())
        .filteredOn(k -> k.startsWith(SparkProperties.EXECUTOR_SECRET_KEY_REF_PREFIX))
        .containsExactly(SparkProperties.EXECUTOR_SECRET_KEY_REF_PREFIX + "_SPARK_AUTH_SECRET");
    assertThat(
            dev.spate.operator.resources.DriverPod.build(plain)
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .noneMatch(e -> e.getName().startsWith("AWS_"));
  }

  @Test
  void renderingIsDeterministicAndSorted() {
    Map<String, String> entries = Map.of("b", "2", "a", "1", "c", "3");
    String text = SparkProperties.render(entries);
    assertThat(text).isEqualTo(SparkProperties.render(Map.of("c", "3", "a", "1", "b", "2")));
    assertThat(text).endsWith("a=1\nb=2\nc=3\n");
  }

  @Test
  void userPluginsAndQueryListenersAreAppendedToSpatesOwn() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec()
        .setSparkConf(
            Map.of(
                SparkConfKeys.PLUGINS,
                " com.example.AuditPlugin, " + SparkConfKeys.EXECUTOR_SCALING_PLUGIN + ",,",
                SparkConfKeys.STREAMING_QUERY_LISTENERS,
                "com.example.Listener"));
    JobPlan plan = JobPlan.of(job, OperatorConfig.defaults(), 2);
    assertThat(SparkProperties.ownedKeysSetByUser(plan)).isEmpty();
    assertThat(SparkProperties.of(plan))
        .containsEntry(
            SparkConfKeys.PLUGINS,
            SparkConfKeys.EXECUTOR_SCALING_PLUGIN + ",com.example.AuditPlugin")
        .containsEntry(
            SparkConfKeys.STREAMING_QUERY_LISTENERS,
            SparkConfKeys.OFFSET_COMMITTER + ",com.example.Listener");
  }

  @Test
  void everyJobGetsTheSpateJarOnDriverAndExecutorClassPaths() {
    StreamingJob job = TestJobs.load("minimal");
    assertThat(SparkProperties.of(JobPlan.of(job, OperatorConfig.defaults(), 2)))
        .as("the bundled job too: Hadoop loads its local file systems through any class loader")
        .containsEntry(SparkConfKeys.DRIVER_EXTRA_CLASS_PATH, SparkConfKeys.SPATE_JAR_PATH)
        .containsEntry(SparkConfKeys.EXECUTOR_EXTRA_CLASS_PATH, SparkConfKeys.SPATE_JAR_PATH);
    dev.spate.api.v1alpha1.ApplicationSpec app = new dev.spate.api.v1alpha1.ApplicationSpec();
    app.setMainClass("com.example.Counts");
    app.setJar("local:///opt/app/counts.jar");
    job.getSpec().setApplication(app);
    JobPlan plan = JobPlan.of(job, OperatorConfig.defaults(), 2);
    assertThat(SparkProperties.of(plan))
        .containsEntry(SparkConfKeys.DRIVER_EXTRA_CLASS_PATH, "/opt/spate/spate-job.jar")
        .containsEntry(SparkConfKeys.EXECUTOR_EXTRA_CLASS_PATH, "/opt/spate/spate-job.jar")
        .containsEntry(SparkConfKeys.PLUGINS, SparkConfKeys.EXECUTOR_SCALING_PLUGIN);
    assertThat(SparkConfKeys.BUNDLED_JAR).isEqualTo("local://" + SparkConfKeys.SPATE_JAR_PATH);

    job.getSpec()
        .setSparkConf(
            Map.of(
                SparkConfKeys.DRIVER_EXTRA_CLASS_PATH, "/opt/app/lib/*",
                SparkConfKeys.EXECUTOR_EXTRA_CLASS_PATH, "/opt/app/lib/a.jar:/opt/app/lib/b.jar"));
    plan = JobPlan.of(job, OperatorConfig.defaults(), 2);
    assertThat(SparkProperties.ownedKeysSetByUser(plan)).isEmpty();
    assertThat(SparkProperties.of(plan))
        .as("the user's entries first, then the Spate jar")
        .containsEntry(
            SparkConfKeys.DRIVER_EXTRA_CLASS_PATH, "/opt/app/lib/*:/opt/spate/spate-job.jar")
        .containsEntry(
            SparkConfKeys.EXECUTOR_EXTRA_CLASS_PATH,
            "/opt/app/lib/a.jar:/opt/app/lib/b.jar:/opt/spate/spate-job.jar");
  }

  @Test
  void thePrometheusEndpointsAreOnUnlessTheUserSetsTheirKeys() {
    StreamingJob job = TestJobs.load("minimal");
    assertThat(SparkProperties.of(JobPlan.of(job, OperatorConfig.defaults(), 2)))
        .containsAllEntriesOf(SparkProperties.PROMETHEUS_DEFAULTS)
        .containsEntry("spark.metrics.namespace", "spate")
        .containsEntry("spark.sql.streaming.metricsEnabled", "true");
    job.getSpec()
        .setSparkConf(
            Map.of("spark.ui.prometheus.enabled", "false", "spark.metrics.namespace", "team-a"));
    JobPlan plan = JobPlan.of(job, OperatorConfig.defaults(), 2);
    assertThat(SparkProperties.ownedKeysSetByUser(plan)).isEmpty();
    assertThat(SparkProperties.of(plan))
        .containsEntry("spark.ui.prometheus.enabled", "false")
        .containsEntry("spark.metrics.namespace", "team-a")
        .containsEntry("spark.metrics.conf.*.sink.prometheusServlet.path", "/metrics/prometheus");
  }

  @Test
  void userConfPassesThroughButOwnedKeysAreReported() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec()
        .setSparkConf(
            Map.of(
                "spark.sql.streaming.minBatchesToRetain", "12",
                "spark.sql.shuffle.partitions", "7",
                "spark.master", "local[*]",
                "spark.spate.kafka.outputTopic", "x",
                "spark.kubernetes.driver.pod.name", "other",
                "spark.executor.instances", "9"));
    JobPlan plan = JobPlan.of(job, OperatorConfig.defaults(), 2);
    assertThat(SparkProperties.ownedKeysSetByUser(plan))
        .containsExactly(
            "spark.executor.instances",
            "spark.kubernetes.driver.pod.name",
            "spark.master",
            "spark.spate.kafka.outputTopic",
            "spark.sql.shuffle.partitions");
    assertThat(SparkProperties.of(plan))
        .containsEntry("spark.sql.streaming.minBatchesToRetain", "12")
        .containsEntry("spark.master", SparkProperties.IN_CLUSTER_MASTER)
        .containsEntry("spark.executor.instances", "2");
  }

  @Test
  void driverIdentityFollowsSparkOnKubernetes() {
    Map<String, String> conf =
        SparkProperties.of(JobPlan.of(TestJobs.load("minimal"), OperatorConfig.defaults(), 4));
    assertThat(conf)
        .containsEntry("spark.kubernetes.driver.pod.name", "clicks-per-user-driver-1")
        .containsEntry("spark.driver.host", "clicks-per-user-driver-svc.analytics.svc")
        .containsEntry("spark.kubernetes.executor.podNamePrefix", "clicks-per-user-1")
        .containsEntry("spark.kubernetes.namespace", "analytics")
        .containsEntry("spark.app.id", "spark-5f0c3c6e2b9a4c1e9d7e1a2b3c4d5e6f-1")
        .containsEntry("spark.executor.instances", "4")
        .containsEntry("spark.executor.memory", "2048m")
        .containsEntry("spark.driver.memory", "1024m")
        .containsEntry("spark.submit.deployMode", "client");
  }

  @Test
  void everyAttemptHasItsOwnApplicationIdAndExecutorPodNames() {
    JobPlan first = JobPlan.of(TestJobs.load("minimal"), OperatorConfig.defaults(), 4);
    JobPlan third = first.forAttempt(2, 8, 3, true);
    assertThat(SparkProperties.of(third))
        .containsEntry("spark.app.id", "spark-5f0c3c6e2b9a4c1e9d7e1a2b3c4d5e6f-3")
        .containsEntry("spark.kubernetes.executor.podNamePrefix", "clicks-per-user-3")
        .containsEntry("spark.kubernetes.driver.pod.name", "clicks-per-user-driver-3");
    assertThat(third.forAttempt(2, 8, 12, true).appId())
        .as("deterministic: the same job and attempt, the same id")
        .isEqualTo(JobPlan.appId("5F0C3C6E-2B9A-4C1E-9D7E-1A2B3C4D5E6F", 12))
        .hasSizeLessThanOrEqualTo(63);
    // Spark names executor pods <prefix>-exec-<id>, ids from 1 in every driver: the attempt in
    // the prefix keeps two attempts' executor pods apart, also for a name shortened to fit
    String longName = "a".repeat(60);
    dev.spate.operator.resources.JobNames names =
        new dev.spate.operator.resources.JobNames(longName);
    assertThat(names.executorPodNamePrefix(1))
        .hasSizeLessThanOrEqualTo(47)
        .endsWith("-1")
        .isNotEqualTo(names.executorPodNamePrefix(11));
  }
}
