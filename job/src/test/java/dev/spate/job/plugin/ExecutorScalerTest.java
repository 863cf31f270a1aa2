package dev.spate.job.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.job.JobConfigKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control loop against fabric8's mock API server (CRUD mode). The executor side is a recording
 * {@link ExecutorControl}: Spark's local mode cannot request or kill executors; the sandbox's
 * end-to-end test drives the real Kubernetes scheduler backend.
 */
@EnableKubernetesMockClient(crud = true)
class ExecutorScalerTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final Instant NOW = Instant.parse("2026-11-21T21:00:00Z");

  /**
   * Executors "1".."3", "1" with 3 running tasks; records requests and kills. Switches: not ready
   * until {@code ready} is set; refuses the next {@code refusals} requests.
   */
  static final class RecordingControl implements ExecutorControl {
    final List<String> running = new CopyOnWriteArrayList<>(List.of("1", "2", "3"));
    final List<Integer> requested = new CopyOnWriteArrayList<>();
    final List<List<String>> killed = new CopyOnWriteArrayList<>();
    volatile boolean ready = true;
    final AtomicInteger readyChecks = new AtomicInteger();
    final AtomicInteger refusals = new AtomicInteger();

    @Override
    public boolean ready() {
      readyChecks.incrementAndGet();
      return ready;
    }

    @Override
    public List<ScalingDecision.ExecutorLoad> executors() {
      List<ScalingDecision.ExecutorLoad> r = new ArrayList<>();
      running.forEach(id -> r.add(new ScalingDecision.ExecutorLoad(id, id.equals("1") ? 3 : 0)));
      return r;
    }

    @Override
    public boolean requestTotalExecutors(int total) {
      requested.add(total);
      return refusals.getAndUpdate(n -> Math.max(n - 1, 0)) == 0;
    }

    @Override
    public List<String> killExecutors(List<String> ids) {
      if (!ids.isEmpty()) {
        killed.add(ids);
        running.removeAll(ids);
      }
      return ids;
    }
  }

  private ExecutorScaler scaler;

  @AfterEach
  void stop() {
    if (scaler != null) {
      scaler.close();
    }
  }

  private ConfigMap control() {
    return control("clicks-control");
  }

  private ConfigMap control(String name) {
    return client.configMaps().inNamespace("jobs").withName(name).get();
  }

  private void setDesired(String value) {
    setDesired("clicks-control", value);
  }

  private void setDesired(String name, String value) {
    client
        .configMaps()
        .inNamespace("jobs")
        .withName(name)
        .edit(
            c -> new ConfigMapBuilder(c).addToData(JobConfigKeys.DESIRED_EXECUTORS, value).build());
  }

  @Test
  void appliesDesiredExecutorsAndWritesBackWhatItApplied() {
    client
        .configMaps()
        .inNamespace("jobs")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("clicks-control")
                .endMetadata()
                .addToData(JobConfigKeys.DESIRED_EXECUTORS, "5")
                .build())
        .create();
    RecordingControl control = new RecordingControl();
    // a client of its own: the scaler closes it
    scaler =
        new ExecutorScaler(
            server.createClient(),
            "jobs",
            "clicks-control",
            control,
            Clock.fixed(NOW, ZoneOffset.UTC));
    scaler.start();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(control().getData())
                    .containsEntry(JobConfigKeys.APPLIED_EXECUTORS, "5")
                    .containsEntry(JobConfigKeys.APPLIED_AT, "2026-11-21T21:00:00Z"));
    assertThat(control.requested).containsExactly(5);
    assertThat(control.killed).isEmpty();

    // shrink: the two least busy (newest first) are killed, the busy one stays
    setDesired("1");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(control().getData())
                    .containsEntry(JobConfigKeys.APPLIED_EXECUTORS, "1"));
    assertThat(control.killed).containsExactly(List.of("3", "2"));
    assertThat(control.running).containsExactly("1");
    assertThat(control.requested).containsExactly(5, 1);

    // nonsense is ignored and keeps the last applied count
    setDesired("many");
    setDesired("2");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(control().getData())
                    .containsEntry(JobConfigKeys.APPLIED_EXECUTORS, "2"));
    assertThat(control.requested).containsExactly(5, 1, 2);
  }

  @Test
  void waitsForTheSchedulerBackendAndRetriesRefusedRequestsReportingOnlyWhatWasApplied() {
    client
        .configMaps()
        .inNamespace("jobs")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("orders-control")
                .endMetadata()
                .addToData(JobConfigKeys.DESIRED_EXECUTORS, "4")
                .build())
        .create();
    RecordingControl control = new RecordingControl();
    control.ready = false;
    control.refusals.set(2);
    scaler =
        new ExecutorScaler(
            server.createClient(),
            "jobs",
            "orders-control",
            control,
            Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofMillis(20),
            Duration.ofMillis(100));
    scaler.start();

    // the backend is not up: retried, but nothing requested, killed or reported
    await().atMost(Duration.ofSeconds(20)).until(() -> control.readyChecks.get() >= 4);
    assertThat(control.requested).isEmpty();
    assertThat(control.killed).isEmpty();
    assertThat(control("orders-control").getData())
        .doesNotContainKey(JobConfigKeys.APPLIED_EXECUTORS);

    // up, but the first two requests are refused: retried until accepted, reported once
    control.ready = true;
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(control("orders-control").getData())
                    .containsEntry(JobConfigKeys.APPLIED_EXECUTORS, "4"));
    assertThat(control.requested).containsExactly(4, 4, 4);
    assertThat(control.refusals).hasValue(0);

    // a refused shrink is not reported as applied: the ConfigMap keeps 4 until it is accepted
    control.refusals.set(1);
    setDesired("orders-control", "2");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(control("orders-control").getData())
                    .containsEntry(JobConfigKeys.APPLIED_EXECUTORS, "2"));
    assertThat(control.requested).containsExactly(4, 4, 4, 2, 2);
    // the executor killed before the refusal is gone; the retry kills nothing more
    assertThat(control.killed).containsExactly(List.of("3"));
    assertThat(control.running).containsExactly("1", "2");
  }

  @Test
  void retryDelayDoublesUpToTheMaximum() {
    Duration first = Duration.ofSeconds(1);
    Duration max = Duration.ofSeconds(30);
    assertThat(ExecutorScaler.retryDelay(1, first, max)).isEqualTo(Duration.ofSeconds(1));
    assertThat(ExecutorScaler.retryDelay(2, first, max)).isEqualTo(Duration.ofSeconds(2));
    assertThat(ExecutorScaler.retryDelay(5, first, max)).isEqualTo(Duration.ofSeconds(16));
    assertThat(ExecutorScaler.retryDelay(6, first, max)).isEqualTo(max);
    assertThat(ExecutorScaler.retryDelay(1000, first, max)).isEqualTo(max);
  }

  @Test
  void desiredMustBeAWholeNumberAtLeastZero() {
    assertThat(ExecutorScaler.desired(Map.of(JobConfigKeys.DESIRED_EXECUTORS, " 3 "))).hasValue(3);
    assertThat(ExecutorScaler.desired(Map.of(JobConfigKeys.DESIRED_EXECUTORS, "0"))).hasValue(0);
    assertThat(ExecutorScaler.desired(Map.of(JobConfigKeys.DESIRED_EXECUTORS, "-1"))).isEmpty();
    assertThat(ExecutorScaler.desired(Map.of(JobConfigKeys.DESIRED_EXECUTORS, "2.5"))).isEmpty();
    assertThat(ExecutorScaler.desired(Map.of())).isEmpty();
    assertThat(ExecutorScaler.desired(null)).isEmpty();
  }
}
