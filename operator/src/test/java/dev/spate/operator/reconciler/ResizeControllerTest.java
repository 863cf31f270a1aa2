package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.spark.SparkConfKeys;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sizing wired into the controller, on the fabric8 CRUD mock with a real KRaft broker for the
 * partition counts: state parallelism chosen once and passed in the Spark conf, live resize through
 * the control ConfigMap with the driver pod untouched, and the restart when the driver does not
 * confirm in time. The driver plugin's part (writing {@code appliedExecutors}) and the kubelet's
 * (pod status) are played by the test.
 */
@EnableKubernetesMockClient(crud = true)
class ResizeControllerTest {

  static KubernetesClient client;

  @RegisterExtension final ControllerHarness h = new ControllerHarness(client, "resize");

  private StreamingJob job(String name, String topic, int cores, int max) {
    StreamingJob job = h.job(name, "fake:9092");
    job.getSpec().getKafka().setInputTopics(java.util.List.of(topic));
    ExecutorSpec executor = new ExecutorSpec();
    executor.setCores(cores);
    executor.setMaxExecutors(max);
    job.getSpec().setExecutor(executor);
    return job;
  }

  private String sparkConf(String name) {
    return h.configMap(name + "-spark-conf").getData().get(SparkProperties.CONF_FILE);
  }

  @Test
  void partitionsGrowLiveWithoutTouchingTheDriver() {
    h.kafka.partitions(4);
    h.startOperator("op-1", Map.of("spate.scaleDownWindow", "0s"));
    h.client.resource(job("grow", "grow", 2, 8)).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = h.current("grow");
              assertThat(job.getStatus()).isNotNull();
              assertThat(job.getStatus().getExecutors().getDesired())
                  .as("ceil(4 / 2)")
                  .isEqualTo(2);
              // max(2 × 4, 8 × 2, 8) rounded up to a multiple of 16
              assertThat(job.getStatus().getStateParallelism()).isEqualTo(16);
              assertThat(h.driver("grow")).isNotNull();
            });
    assertThat(sparkConf("grow"))
        .contains("spark.sql.shuffle.partitions=16")
        .contains("spark.executor.instances=2");
    h.driverReady("grow");
    h.executor("grow", 1);
    h.executor("grow", 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(h.current("grow").getStatus().getPhase()).isEqualTo(Phase.RUNNING));
    Pod driver = h.driver("grow");
    String confVersion = h.configMap("grow-spark-conf").getMetadata().getResourceVersion();

    h.kafka.partitions(8);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = h.current("grow");
              assertThat(job.getStatus().getExecutors().getDesired()).isEqualTo(4);
              assertThat(job.getStatus().getExecutors().getSummary()).isEqualTo("2/4");
              assertThat(job.getStatus().getPhase()).isEqualTo(Phase.RESCALING);
              assertThat(h.configMap("grow-control").getData())
                  .containsEntry(SparkConfKeys.CONTROL_DESIRED_EXECUTORS, "4");
            });
    assertThat(h.events("Rescaled"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Normal");
              assertThat(e.getMessage())
                  .isEqualTo("Rescaled executors 2 → 4 (input partitions 4 → 8)");
            });

    // the driver plugin applies it and reports back; Spark's new executors become ready
    h.client
        .configMaps()
        .inNamespace(h.ns)
        .withName("grow-control")
        .edit(
            c ->
                new ConfigMapBuilder(c)
                    .addToData(SparkConfKeys.CONTROL_APPLIED_EXECUTORS, "4")
                    .addToData(SparkConfKeys.CONTROL_APPLIED_AT, "2026-11-21T10:00:05Z")
                    .build());
    h.executor("grow", 3);
    h.executor("grow", 4);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = h.current("grow");
              assertThat(job.getStatus().getPhase()).isEqualTo(Phase.RUNNING);
              assertThat(job.getStatus().getExecutors().getSummary()).isEqualTo("4/4");
            });
    assertThat(h.driver("grow").getMetadata().getUid())
        .as("no restart")
        .isEqualTo(driver.getMetadata().getUid());
    assertThat(h.configMap("grow-spark-conf").getMetadata().getResourceVersion())
        .as("spark.executor.instances is the start count of the running attempt")
        .isEqualTo(confVersion);
    assertThat(h.current("grow").getStatus().getAttempt()).isEqualTo(1);
    assertThat(h.current("grow").getStatus().getRestarts().getCount()).isZero();
  }

  @Test
  void partitionsBeyondTheStateParallelismRaiseAWarning() {
    h.kafka.partitions(2);
    h.startOperator("op-1", Map.of());
    h.client.resource(job("outgrown", "outgrown", 1, 1)).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(h.current("outgrown").getStatus()).isNotNull();
              assertThat(h.current("outgrown").getStatus().getStateParallelism())
                  .as("floor 8")
                  .isEqualTo(8);
            });

    h.kafka.partitions(10);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Condition degraded = h.condition("outgrown", ConditionType.DEGRADED).orElseThrow();
              assertThat(degraded.getStatus()).isEqualTo(Condition.TRUE);
              assertThat(degraded.getReason()).isEqualTo("StateParallelismExceeded");
              assertThat(degraded.getMessage()).contains("(10)").contains("(8,");
            });
    assertThat(h.events("StateParallelismExceeded"))
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    assertThat(h.current("outgrown").getStatus().getStateParallelism()).as("pinned").isEqualTo(8);
    assertThat(sparkConf("outgrown")).contains("spark.sql.shuffle.partitions=8");
  }

  @Test
  void unconfirmedResizeRestartsFromTheCheckpointWithTheDesiredCount() {
    h.kafka.partitions(2);
    h.startOperator("op-1", Map.of("spate.rescaleTimeout", "2s"));
    h.client.resource(job("stuck", "stuck", 1, 8)).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                h.driver("stuck") != null
                    && h.current("stuck").getStatus() != null
                    && Integer.valueOf(2)
                        .equals(h.current("stuck").getStatus().getExecutors().getDesired()));
    h.driverReady("stuck");
    Pod first = h.driver("stuck");

    h.kafka.partitions(3);
    // nobody writes appliedExecutors: after 2 s the operator restarts the driver with 3 executors
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Pod driver = h.driver("stuck");
              assertThat(driver).isNotNull();
              assertThat(driver.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
              assertThat(driver.getMetadata().getLabels()).containsEntry(Labels.ATTEMPT, "2");
              assertThat(h.current("stuck").getStatus().getAttempt()).isEqualTo(2);
            });
    assertThat(sparkConf("stuck")).contains("spark.executor.instances=3");
    assertThat(h.events("RescaleNotConfirmed"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("3");
            });
    assertThat(h.podLog().maxDriversAtOnce()).isEqualTo(1);
  }
}
