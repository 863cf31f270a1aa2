package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.BackoffSpec;
import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.RestartPolicySpec;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Recovery wired into the controller, on the fabric8 CRUD mock (a real KRaft broker answers the
 * Kafka polls): a driver that fails, exits 0 or is deleted comes back as a new attempt after the
 * backoff, its executors gone first and never two drivers at once; the budget runs out into Failed
 * until restartNonce changes; spec changes restart, apply live, or are rejected as incompatible
 * with the checkpoint while the driver keeps running; suspend and resume; an operator restart in
 * the middle of a backoff. The kubelet's part (pod status) is played by the test.
 */
@EnableKubernetesMockClient(crud = true)
class RecoveryControllerTest {

  static KubernetesClient client;

  @RegisterExtension final ControllerHarness h = new ControllerHarness(client, "recovery");

  @BeforeEach
  void kafka() {
    h.kafka.partitions(2);
  }

  private StreamingJob job(String name, String initialBackoff, int maxRestarts) {
    StreamingJob job = h.job(name, "fake:9092");
    RestartPolicySpec policy = new RestartPolicySpec();
    policy.setMaxRestarts(maxRestarts);
    BackoffSpec backoff = new BackoffSpec();
    backoff.setInitial(initialBackoff);
    backoff.setMultiplier(2.0);
    backoff.setMax("1m");
    policy.setBackoff(backoff);
    job.getSpec().setRestartPolicy(policy);
    return job;
  }

  private Pod awaitDriver(String name, int attempt) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Pod driver = h.driver(name);
              assertThat(driver).isNotNull();
              assertThat(driver.getMetadata().getLabels())
                  .containsEntry(Labels.ATTEMPT, String.valueOf(attempt));
              StreamingJob job = h.current(name);
              assertThat(job.getStatus()).isNotNull();
              assertThat(job.getStatus().getAttempt()).isEqualTo(attempt);
            });
    return h.driver(name);
  }

  private static List<String> messages(List<Event> events) {
    return events.stream().map(Event::getMessage).toList();
  }

  @Test
  void endedDriversComeBackAfterTheBackoffUntilTheBudgetIsSpent() {
    h.startOperator("op-1", Map.of());
    h.client.resource(job("flaky", "1s", 2)).create();
    Pod first = awaitDriver("flaky", 1);
    h.driverReady("flaky");
    Pod executor = h.executor("flaky", 1);

    // 1: the driver container fails
    h.driverEnded("flaky", "Failed", 1, "java.lang.IllegalStateException: boom");
    Pod second = awaitDriver("flaky", 2);
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    StreamingJob job = h.current("flaky");
    assertThat(job.getStatus().getRestarts().getCount()).isEqualTo(1);
    assertThat(job.getStatus().getRestarts().getLastRestartTime()).isNotNull();
    assertThat(job.getStatus().getRestarts().getLastFailure().getReason())
        .isEqualTo("DriverFailed");
    assertThat(job.getStatus().getRestarts().getLastFailure().getExitCode()).isEqualTo(1);
    assertThat(job.getStatus().getRestarts().getLastFailure().getMessage()).contains("boom");
    assertThat(messages(h.events("DriverFailed")))
        .singleElement()
        .asString()
        .contains("attempt 1")
        .contains("boom")
        .contains("Restart 1 ");
    assertThat(messages(h.events("Restarted"))).singleElement().asString().contains("attempt 2");
    List<String> log = h.podLog().entries();
    assertThat(log.indexOf("DELETED flaky-exec-1 " + executor.getMetadata().getUid()))
        .as("the old executors are gone before the new driver")
        .isNotNegative()
        .isLessThan(log.indexOf("ADDED flaky-driver-2 " + second.getMetadata().getUid()));

    // 2: the driver exits 0 by itself (a streaming query must not end)
    h.driverEnded("flaky", "Succeeded", 0, null);
    awaitDriver("flaky", 3);
    assertThat(h.current("flaky").getStatus().getRestarts().getCount()).isEqualTo(2);
    assertThat(h.current("flaky").getStatus().getRestarts().getLastFailure().getReason())
        .isEqualTo("DriverCompleted");

    // 3: someone deletes the driver pod: a third restart is over maxRestarts=2
    h.client.pods().inNamespace(h.ns).withName("flaky-driver-3").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob current = h.current("flaky");
              assertThat(current.getStatus().getPhase()).isEqualTo(Phase.FAILED);
              Condition degraded =
                  current.getStatus().condition(ConditionType.DEGRADED).orElseThrow();
              assertThat(degraded.getStatus()).isEqualTo(Condition.TRUE);
              assertThat(degraded.getReason()).isEqualTo("RestartsExhausted");
              assertThat(degraded.getMessage()).contains("DriverDeleted");
            });
    assertThat(h.events("RestartsExhausted"))
        .hasSize(1)
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
    await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(h.driver("flaky")).as("no attempt after giving up").isNull();
              assertThat(h.current("flaky").getStatus().getPhase()).isEqualTo(Phase.FAILED);
            });

    // a new restartNonce starts it again with a fresh budget
    h.edit(
        "flaky",
        j -> {
          j.getSpec().setRestartNonce(1L);
          return j;
        });
    awaitDriver("flaky", 4);
    assertThat(h.current("flaky").getStatus().getRestarts().getCount()).isZero();
    assertThat(h.podLog().maxDriversAtOnce()).as("never two drivers").isEqualTo(1);
  }

  @Test
  void aRestartUnderwayContinuesAfterAnOperatorRestart() {
    SpateOperator first = h.startOperator("op-1", Map.of());
    h.client.resource(job("handover", "4s", 5)).create();
    awaitDriver("handover", 1);
    h.driverEnded("handover", "Failed", 137, null);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              StreamingJob job = h.current("handover");
              assertThat(job.getStatus().getPhase()).isEqualTo(Phase.RESTARTING);
              assertThat(
                      job.getStatus()
                          .condition(ConditionType.PROGRESSING)
                          .orElseThrow()
                          .getMessage())
                  .contains("Restart 1 at");
              assertThat(h.driver("handover")).isNull();
            });
    h.stopOperator(first);
    h.startOperator("op-2", Map.of());
    awaitDriver("handover", 2);
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(h.driver("handover").getMetadata().getLabels())
                  .containsEntry(Labels.ATTEMPT, "2");
              assertThat(h.current("handover").getStatus().getRestarts().getCount()).isEqualTo(1);
            });
    assertThat(h.events("Restarted")).hasSize(1);
    assertThat(h.podLog().maxDriversAtOnce()).isEqualTo(1);
  }

  @Test
  void specChangesRestartApplyLiveOrAreRejectedAndSuspendResumes() {
    h.startOperator("op-1", Map.of());
    h.client.resource(job("edited", "1s", 5)).create();
    Pod first = awaitDriver("edited", 1);
    h.driverReady("edited");

    // sparkConf: graceful stop, then a new driver from the checkpoint
    h.edit(
        "edited",
        j -> {
          j.getSpec().setSparkConf(Map.of("spark.sql.adaptive.enabled", "false"));
          return j;
        });
    Pod second = awaitDriver("edited", 2);
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    assertThat(h.configMap("edited-spark-conf").getData().get(SparkProperties.CONF_FILE))
        .contains("spark.sql.adaptive.enabled=false");
    assertThat(messages(h.events("Restarting")))
        .singleElement()
        .asString()
        .contains("sparkConf[spark.sql.adaptive.enabled]");
    assertThat(h.current("edited").getStatus().getRestarts().getCount())
        .as("not a failure")
        .isZero();
    assertThat(h.current("edited").getStatus().getLastAppliedSpec())
        .contains("spark.sql.adaptive.enabled");
    h.driverReady("edited");

    // scaling bounds: applied live
    h.edit(
        "edited",
        j -> {
          ExecutorSpec executor = new ExecutorSpec();
          executor.setMaxExecutors(6);
          j.getSpec().setExecutor(executor);
          return j;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(messages(h.events("SpecApplied")))
                    .singleElement()
                    .asString()
                    .contains("executor.maxExecutors"));
    assertThat(h.driver("edited").getMetadata().getUid()).isEqualTo(second.getMetadata().getUid());

    // input topics: incompatible with the checkpoint, the driver keeps running
    String conf = h.configMap("edited-spark-conf").getData().get(SparkProperties.CONF_FILE);
    h.edit(
        "edited",
        j -> {
          j.getSpec().getKafka().setInputTopics(List.of("views"));
          return j;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Condition ready = h.condition("edited", ConditionType.READY).orElseThrow();
              assertThat(ready.getStatus()).isEqualTo(Condition.FALSE);
              assertThat(ready.getReason()).isEqualTo("CheckpointIncompatible");
              assertThat(ready.getMessage())
                  .contains("kafka.inputTopics")
                  .contains("checkpoint.location");
            });
    assertThat(h.events("CheckpointIncompatible"))
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(h.driver("edited").getMetadata().getUid())
                  .isEqualTo(second.getMetadata().getUid());
              assertThat(h.configMap("edited-spark-conf").getData().get(SparkProperties.CONF_FILE))
                  .isEqualTo(conf);
            });

    // suspend, with the topic reverted: the driver goes, the checkpoint stays
    h.edit(
        "edited",
        j -> {
          j.getSpec().getKafka().setInputTopics(List.of("clicks"));
          j.getSpec().setSuspend(true);
          return j;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(h.driver("edited")).isNull();
              assertThat(h.current("edited").getStatus().getPhase()).isEqualTo(Phase.SUSPENDED);
            });
    assertThat(h.events("Suspended")).hasSize(1);

    // resume: a new attempt from the checkpoint
    h.edit(
        "edited",
        j -> {
          j.getSpec().setSuspend(false);
          return j;
        });
    awaitDriver("edited", 3);
    assertThat(h.events("Resumed")).hasSize(1);
    assertThat(
            h.current("edited")
                .getStatus()
                .condition(ConditionType.READY)
                .orElseThrow()
                .getReason())
        .isNotEqualTo("CheckpointIncompatible");
    assertThat(h.podLog().maxDriversAtOnce()).isEqualTo(1);
  }

  @Test
  void aKafkaOutageLongerThanTheStallTimeoutRestartsNothing() {
    h.startOperator("op-1", Map.of("spate.progressStallTimeout", "2s"));
    h.kafka.progress(10, 1L);
    h.client.resource(job("patient", "1s", 3)).create();
    awaitDriver("patient", 1);
    h.driverReady("patient");

    // Kafka cannot be read for twice the stall timeout: no evidence, no restart
    h.kafka.down();
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .until(() -> noRestart("patient"));
    assertThat(h.condition("patient", ConditionType.DEGRADED).orElseThrow().getReason())
        .isEqualTo("KafkaUnavailable");

    // Kafka is back before the job could commit again, then the job goes on
    h.kafka.progress(10, 1L);
    await()
        .during(Duration.ofMillis(1000))
        .atMost(Duration.ofSeconds(2))
        .until(() -> noRestart("patient"));
    h.kafka.progress(4, 2L);
    await()
        .during(Duration.ofMillis(1000))
        .atMost(Duration.ofSeconds(2))
        .until(() -> noRestart("patient"));

    // evidence of a stall (offsets readable, lag > 0, no commit for 2 s) still restarts
    await().atMost(Duration.ofSeconds(20)).until(() -> !h.events("ProgressStalled").isEmpty());
    awaitDriver("patient", 2);
  }

  private boolean noRestart(String name) {
    StreamingJob job = h.current(name);
    return Integer.valueOf(1).equals(job.getStatus().getAttempt())
        && h.events("ProgressStalled").isEmpty()
        && h.driver(name) != null
        && h.driver(name).getMetadata().getDeletionTimestamp() == null;
  }
}
