package dev.spate.job.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.spate.job.JobConfigKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control loop against fabric8's mock API server (CRUD mode). The executor side is a
 * recording {@link ExecutorControl}: Spark's local mode cannot request or kill executors; the
 * sandbox's end-to-end test drives the real Kubernetes scheduler backend.
 */
@EnableKubernetesMockClient(crud = true)
class ExecutorScalerTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final Instant NOW = Instant.parse("2026-11-21T21:00:00Z");

    /** Executors "1".."n" with no running tasks; records requests and kills. */
    static final class RecordingControl implements ExecutorControl {
        final List<String> running = new CopyOnWriteArrayList<>(List.of("1", "2", "3"));
        final List<Integer> requested = new CopyOnWriteArrayList<>();
        final List<List<String>> killed = new CopyOnWriteArrayList<>();

        @Override
        public List<ScalingDecision.ExecutorLoad> executors() {
            List<ScalingDecision.ExecutorLoad> r = new ArrayList<>();
            running.forEach(id -> r.add(new ScalingDecision.ExecutorLoad(id, id.equals("1") ? 3 : 0)));
            return r;
        }

        @Override
        public boolean requestTotalExecutors(int total) {
            requested.add(total);
            return true;
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
        return client.configMaps().inNamespace("jobs").withName("clicks-control").get();
    }

    private void setDesired(String value) {
        client.configMaps().inNamespace("jobs").withName("clicks-control")
                .edit(c -> new ConfigMapBuilder(c).addToData(JobConfigKeys.DESIRED_EXECUTORS, value).build());
    }

    @Test
    void appliesDesiredExecutorsAndWritesBackWhatItApplied() {
        client.configMaps().inNamespace("jobs").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("clicks-control").endMetadata()
                .addToData(JobConfigKeys.DESIRED_EXECUTORS, "5").build()).create();
        RecordingControl control = new RecordingControl();
        // a client of its own: the scaler closes it
        scaler = new ExecutorScaler(server.createClient(), "jobs", "clicks-control", control,
                Clock.fixed(NOW, ZoneOffset.UTC));
        scaler.start();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(control().getData()).containsEntry(JobConfigKeys.APPLIED_EXECUTORS, "5")
                        .containsEntry(JobConfigKeys.APPLIED_AT, "2026-11-21T21:00:00Z"));
        assertThat(control.requested).containsExactly(5);
        assertThat(control.killed).isEmpty();

        // shrink: the two least busy (newest first) are killed, the busy one stays
        setDesired("1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(control().getData()).containsEntry(JobConfigKeys.APPLIED_EXECUTORS, "1"));
        assertThat(control.killed).containsExactly(List.of("3", "2"));
        assertThat(control.running).containsExactly("1");
        assertThat(control.requested).containsExactly(5, 1);

        // nonsense is ignored and keeps the last applied count
        setDesired("many");
        setDesired("2");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(control().getData()).containsEntry(JobConfigKeys.APPLIED_EXECUTORS, "2"));
        assertThat(control.requested).containsExactly(5, 1, 2);
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
