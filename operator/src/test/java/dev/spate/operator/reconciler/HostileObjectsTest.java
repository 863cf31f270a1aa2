package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.SpateOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Objects the API server stores but the operator's typed model cannot read (a string where a number
 * belongs, a number beyond the Java type, an unknown enum constant, a spec that is not an object):
 * created through the raw API as generic resources, before and after the operator starts, beside
 * good jobs. The operator must stay up, keep reconciling the good jobs, and report each unreadable
 * job as {@code InvalidSpec} (condition and Event). And two jobs on one checkpoint location: the
 * later one is refused, naming the earlier.
 */
@EnableKubernetesMockClient(crud = true)
class HostileObjectsTest {

  static KubernetesClient client;

  @RegisterExtension final ControllerHarness harness = new ControllerHarness(client, "unreadable");

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      raw() {
    return client
        .genericKubernetesResources(StreamingJob.API_VERSION, StreamingJob.KIND)
        .inNamespace(harness.ns);
  }

  /** A copy of the good test job as a raw map, with one value replaced at the given path. */
  @SuppressWarnings("unchecked")
  private GenericKubernetesResource rawJob(String name, List<String> path, Object value) {
    StreamingJob good = harness.job(name, "127.0.0.1:1");
    GenericKubernetesResource raw =
        client.getKubernetesSerialization().convertValue(good, GenericKubernetesResource.class);
    Map<String, Object> node = raw.getAdditionalProperties();
    for (String step : path.subList(0, path.size() - 1)) {
      node = (Map<String, Object>) node.computeIfAbsent(step, k -> new LinkedHashMap<>());
    }
    node.put(path.get(path.size() - 1), value);
    return raw;
  }

  @Test
  void unreadableJobsNeverStopTheOperatorAndGetInvalidSpec() {
    // one unreadable job exists before the operator starts (its informer's first list reads it)
    raw().resource(rawJob("cores-text", List.of("spec", "executor", "cores"), "lots")).create();
    client.resource(harness.job("good-before", "127.0.0.1:1")).create();

    SpateOperator operator = harness.startOperator("unreadable-op", Map.of());

    // more arrive while it runs (its informer's watch reads them)
    raw()
        .resource(rawJob("cores-too-big", List.of("spec", "driver", "cores"), 3_000_000_000L))
        .create();
    raw()
        .resource(rawJob("offsets-unknown", List.of("spec", "kafka", "startingOffsets"), "middle"))
        .create();
    raw().resource(rawJob("spec-text", List.of("spec"), "run my job please")).create();
    raw().resource(rawJob("status-garbage", List.of("status", "kafka", "lag"), "many")).create();
    client.resource(harness.job("good-after", "127.0.0.1:1")).create();

    Duration timeout = Duration.ofSeconds(30);
    for (String good : List.of("good-before", "good-after")) {
      await(good)
          .atMost(timeout)
          .untilAsserted(() -> assertThat(harness.current(good).getStatus()).isNotNull());
      await(good).atMost(timeout).until(() -> harness.driver(good) != null);
    }
    for (String bad : List.of("cores-text", "cores-too-big", "offsets-unknown", "spec-text")) {
      await(bad)
          .atMost(timeout)
          .untilAsserted(
              () -> {
                Optional<Condition> ready = readyOf(bad);
                assertThat(ready).isPresent();
                assertThat(ready.get().getStatus()).isEqualTo("False");
                assertThat(ready.get().getReason()).isEqualTo("InvalidSpec");
                assertThat(ready.get().getMessage()).contains("cannot be read");
              });
      assertThat(harness.driver(bad)).as("no driver for %s", bad).isNull();
    }
    await("InvalidSpec Events")
        .atMost(timeout)
        .untilAsserted(
            () ->
                assertThat(
                        harness.events("InvalidSpec").stream()
                            .map(e -> e.getInvolvedObject().getName())
                            .distinct())
                    .contains("cores-text", "cores-too-big", "offsets-unknown", "spec-text"));
    // a job whose status (not spec) is garbage is still run: the operator rewrites its status
    await("status-garbage").atMost(timeout).until(() -> harness.driver("status-garbage") != null);

    // the operator is still up: a job created now is reconciled
    client.resource(harness.job("good-last", "127.0.0.1:1")).create();
    await("good-last").atMost(timeout).until(() -> harness.driver("good-last") != null);
    assertThat(operator.isRunning()).isTrue();
  }

  /** The Ready condition read from the raw object (the typed model may not read it). */
  @SuppressWarnings("unchecked")
  private Optional<Condition> readyOf(String name) {
    GenericKubernetesResource raw = raw().withName(name).get();
    Object status = raw.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> map) || !(map.get("conditions") instanceof List<?> list)) {
      return Optional.empty();
    }
    return list.stream()
        .map(c -> client.getKubernetesSerialization().convertValue(c, Condition.class))
        .filter(c -> ConditionType.READY.value().equals(c.getType()))
        .findFirst();
  }

  @Test
  void aSecondJobOnAnotherJobsCheckpointGetsInvalidSpecNamingIt() {
    harness.startOperator("checkpoint-op", Map.of());
    StreamingJob first = harness.job("first", "127.0.0.1:1");
    client.resource(first).create();
    await("first").atMost(Duration.ofSeconds(30)).until(() -> harness.driver("first") != null);

    StreamingJob second = harness.job("second", "127.0.0.1:1");
    // the same location, spelled with a trailing slash
    second
        .getSpec()
        .getCheckpoint()
        .setLocation(first.getSpec().getCheckpoint().getLocation() + "/");
    client.resource(second).create();

    await("second refused")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Optional<Condition> ready = harness.condition("second", ConditionType.READY);
              assertThat(ready).isPresent();
              assertThat(ready.get().getReason()).isEqualTo("InvalidSpec");
              assertThat(ready.get().getMessage())
                  .contains("is already the checkpoint of StreamingJob " + harness.ns + "/first");
            });
    assertThat(harness.driver("second")).isNull();
    assertThat(harness.driver("first")).as("the first job keeps running").isNotNull();
  }
}
