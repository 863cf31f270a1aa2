package dev.spate.job.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.job.JobConfigKeys;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fencing: a driver whose attempt the control ConfigMap no longer names stops itself. The rule as a
 * table, then the plugin enabled by configuration alone in a real local SparkContext with a running
 * streaming query, against fabric8's mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class AttemptFenceTest {

  static KubernetesClient client;

  @ParameterizedTest(name = "own {0}, ConfigMap {1} → superseded by {2}")
  @CsvSource(
      nullValues = "null",
      value = {"1, 1, -1", "1, 2, 2", "3, 2, -1", "2, null, -1", "2, x, -1", "2, ' 5 ', 5"})
  void supersededOnlyByANewerAttempt(int own, String current, int expected) {
    Map<String, String> data = new HashMap<>();
    if (current != null) {
      data.put(JobConfigKeys.CURRENT_ATTEMPT, current);
    }
    assertThat(AttemptFence.supersededBy(own, data)).isEqualTo(expected);
  }

  @Test
  void aSupersededDriverStopsItsQueryAndSparkContext() throws Exception {
    client
        .configMaps()
        .inNamespace("jobs")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("fenced-control")
                .endMetadata()
                .addToData(JobConfigKeys.DESIRED_EXECUTORS, "1")
                .addToData(JobConfigKeys.CURRENT_ATTEMPT, "1")
                .build())
        .create();
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("fence-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.plugins", ExecutorScalingPlugin.class.getName())
            .config(JobConfigKeys.CONTROL_CONFIG_MAP, "fenced-control")
            .config(JobConfigKeys.ATTEMPT, "1")
            .config("spark.kubernetes.namespace", "jobs")
            .config("spark.kubernetes.driver.master", client.getConfiguration().getMasterUrl())
            .config("spark.kubernetes.trust.certificates", "true")
            .getOrCreate();
    try {
      StreamingQuery query =
          spark
              .readStream()
              .format("rate")
              .option("rowsPerSecond", "50")
              .load()
              .writeStream()
              .format("noop")
              .trigger(Trigger.ProcessingTime(200))
              .start();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> query.lastProgress() != null && query.lastProgress().batchId() >= 1);
      assertThat(spark.sparkContext().isStopped()).as("attempt 1 is current").isFalse();

      // the operator records attempt 2 before it creates attempt 2's driver
      client
          .configMaps()
          .inNamespace("jobs")
          .withName("fenced-control")
          .edit(c -> new ConfigMapBuilder(c).addToData(JobConfigKeys.CURRENT_ATTEMPT, "2").build());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !query.isActive() && spark.sparkContext().isStopped());
    } finally {
      spark.stop();
    }
  }
}
