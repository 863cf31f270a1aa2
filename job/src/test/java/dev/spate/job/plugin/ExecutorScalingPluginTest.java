package dev.spate.job.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.job.JobConfigKeys;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The plugin enabled by configuration alone ({@code spark.plugins}) in a real local SparkContext,
 * talking to fabric8's mock API server. Local mode has no cluster manager that scales: the real
 * {@link SparkExecutorControl} sees no executors and its request is refused, so nothing is written
 * back — growing and shrinking for real is the sandbox's end-to-end test.
 */
@EnableKubernetesMockClient(crud = true)
class ExecutorScalingPluginTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void loadsFromConfigurationReadsTheControlConfigMapAndReportsOnlyWhatWasApplied()
      throws Exception {
    client
        .configMaps()
        .inNamespace("jobs")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("job-control")
                .endMetadata()
                .addToData(JobConfigKeys.DESIRED_EXECUTORS, "3")
                .build())
        .create();
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("plugin-test")
            .config("spark.ui.enabled", "false")
            .config("spark.plugins", ExecutorScalingPlugin.class.getName())
            .config(JobConfigKeys.CONTROL_CONFIG_MAP, "job-control")
            .config("spark.kubernetes.namespace", "jobs")
            .config("spark.kubernetes.driver.master", client.getConfiguration().getMasterUrl())
            .config("spark.kubernetes.trust.certificates", "true")
            .getOrCreate();
    try {
      SparkContext sc = spark.sparkContext();
      SparkExecutorControl control = new SparkExecutorControl(sc);
      assertThat(control.ready()).as("scheduler backend started").isTrue();
      assertThat(control.executors()).isEmpty();
      assertThat(control.requestTotalExecutors(3)).isFalse();
      assertThat(control.killExecutors(List.of("1"))).isEmpty();
      // the plugin watched and read the ConfigMap (a GET per event) but applied nothing
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(() -> server.getRequestCount() >= 3);
      assertThat(client.configMaps().inNamespace("jobs").withName("job-control").get().getData())
          .doesNotContainKey(JobConfigKeys.APPLIED_EXECUTORS);
    } finally {
      spark.stop();
    }
  }
}
