package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewSpecBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SandboxApiServerTest {

  private static SandboxApiServer api;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = SandboxApiServer.start(false);
    client = api.client();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static Pod pod(String ns, String name, Map<String, String> labels) {
    return client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("spark")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream().map(i -> i.getMetadata().getName()).sorted().toList();
  }

  @Test
  void newPodsArePending() {
    Pod created = pod("pending", "p1", Map.of());
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(client.pods().inNamespace("pending").withName("p1").get().getStatus().getPhase())
        .isEqualTo("Pending");
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @Test
  void setBasedLabelSelectorsOnListAndDeleteCollection() {
    String ns = "sets";
    pod(ns, "e1", Map.of("app", "a", "exec", "1"));
    pod(ns, "e2", Map.of("app", "a", "exec", "2"));
    pod(ns, "e3", Map.of("app", "a", "exec", "3"));
    pod(ns, "other", Map.of("app", "b", "exec", "1"));

    assertThat(
            names(
                client
                    .pods()
                    .inNamespace(ns)
                    .withLabel("app", "a")
                    .withLabelIn("exec", "1", "2")
                    .list()
                    .getItems()))
        .containsExactly("e1", "e2");
    assertThat(
            names(client.pods().inNamespace(ns).withLabelNotIn("exec", "1", "2").list().getItems()))
        .containsExactly("e3");
    assertThat(names(client.pods().inNamespace(ns).withoutLabel("app", "a").list().getItems()))
        .containsExactly("other");

    client.pods().inNamespace(ns).withLabel("app", "a").withLabelIn("exec", "1", "3").delete();

    assertThat(names(client.pods().inNamespace(ns).list().getItems()))
        .containsExactly("e2", "other");
  }

  @Test
  void statusPhaseFieldSelector() {
    String ns = "phases";
    pod(ns, "running", Map.of());
    pod(ns, "done", Map.of());
    pod(ns, "waiting", Map.of());
    client
        .pods()
        .inNamespace(ns)
        .withName("running")
        .editStatus(
            p -> {
              p.getStatus().setPhase("Running");
              return p;
            });
    client
        .pods()
        .inNamespace(ns)
        .withName("done")
        .editStatus(
            p -> {
              p.getStatus().setPhase("Succeeded");
              return p;
            });

    assertThat(
            names(
                client
                    .pods()
                    .inNamespace(ns)
                    .withField("status.phase", "Running")
                    .list()
                    .getItems()))
        .containsExactly("running");
    assertThat(
            names(
                client
                    .pods()
                    .inNamespace(ns)
                    .withoutField("status.phase", "Succeeded")
                    .list()
                    .getItems()))
        .containsExactly("running", "waiting");
    assertThat(
            names(
                client
                    .pods()
                    .inAnyNamespace()
                    .withField("metadata.namespace", ns)
                    .withField("status.phase", "Pending")
                    .list()
                    .getItems()))
        .containsExactly("waiting");
  }

  @Test
  void watchSeesOnlyMatchingObjectsWithTransitions() {
    String ns = "watch";
    List<String> events = new CopyOnWriteArrayList<>();
    pod(ns, "before", Map.of("exec", "1"));
    try (Watch ignored =
        client
            .pods()
            .inNamespace(ns)
            .withLabelIn("exec", "1", "2")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    events.add(action + " " + pod.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      pod(ns, "in", Map.of("exec", "2"));
      pod(ns, "out", Map.of("exec", "3"));
      client
          .pods()
          .inNamespace(ns)
          .withName("in")
          .edit(
              p -> {
                p.getMetadata().getLabels().put("exec", "9");
                return p;
              });
      client
          .pods()
          .inNamespace(ns)
          .withName("out")
          .edit(
              p -> {
                p.getMetadata().getLabels().put("exec", "1");
                return p;
              });
      client.pods().inNamespace(ns).withName("out").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(events)
                      .containsExactly(
                          "ADDED before", "ADDED in", "DELETED in", "ADDED out", "DELETED out"));
    }
  }

  @Test
  void deletingAnOwnerGarbageCollectsDependentsRecursively() {
    String ns = "gc";
    ConfigMap owner =
        client
            .configMaps()
            .inNamespace(ns)
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build())
            .create();
    Pod child =
        client
            .pods()
            .inNamespace(ns)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("child")
                    .withOwnerReferences(
                        new OwnerReferenceBuilder()
                            .withApiVersion("v1")
                            .withKind("ConfigMap")
                            .withName("owner")
                            .withUid(owner.getMetadata().getUid())
                            .build())
                    .endMetadata()
                    .build())
            .create();
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("grandchild")
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withName("child")
                        .withUid(child.getMetadata().getUid())
                        .build())
                .endMetadata()
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder().withNewMetadata().withName("unrelated").endMetadata().build())
        .create();

    client.configMaps().inNamespace(ns).withName("owner").delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
              assertThat(api.dispatcher().garbageCollector().busy()).isFalse();
            });
    assertThat(names(client.configMaps().inNamespace(ns).list().getItems()))
        .containsExactly("unrelated");
  }

  @Test
  void aDependentCreatedAfterItsOwnerIsGoneIsCollected() {
    String ns = "orphans";
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("orphan")
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withName("gone-driver")
                        .withUid("uid-of-a-deleted-pod")
                        .build())
                .endMetadata()
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(ns)
        .resource(new ConfigMapBuilder().withNewMetadata().withName("kept").endMetadata().build())
        .create();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(api.dispatcher().garbageCollector().busy()).isFalse();
              assertThat(names(client.configMaps().inNamespace(ns).list().getItems()))
                  .containsExactly("kept");
            });
  }

  @Test
  void reportsAVersion() {
    assertThat(client.getKubernetesVersion().getGitVersion())
        .isEqualTo(SandboxApiServer.KUBERNETES_VERSION);
  }

  @Test
  void rulesReviewAllowsEverythingSoJosdkMayRunLeaderElection() {
    SelfSubjectRulesReview review = new SelfSubjectRulesReview();
    review.setSpec(new SelfSubjectRulesReviewSpecBuilder().withNamespace("spate-system").build());
    SelfSubjectRulesReview answer = client.resource(review).create();
    assertThat(answer.getStatus().getIncomplete()).isFalse();
    assertThat(answer.getStatus().getResourceRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("*");
              assertThat(r.getResources()).containsExactly("*");
              assertThat(r.getVerbs()).containsExactly("*");
            });
  }

  @Test
  void staleStatusWriteConflictsAsOnARealApiServer() {
    Pod created = pod("locking", "s1", Map.of());
    Pod stale = client.pods().inNamespace("locking").withName("s1").get();
    Pod fresh = client.pods().inNamespace("locking").withName("s1").get();
    fresh.getStatus().setPhase("Running");
    Pod written = client.pods().inNamespace("locking").resource(fresh).updateStatus();
    assertThat(written.getMetadata().getResourceVersion())
        .isNotEqualTo(created.getMetadata().getResourceVersion());

    stale.getStatus().setPhase("Failed");
    assertThatThrownBy(() -> client.pods().inNamespace("locking").resource(stale).updateStatus())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.pods().inNamespace("locking").withName("s1").get().getStatus().getPhase())
        .as("the stale write changed nothing")
        .isEqualTo("Running");
  }

  @Test
  void staleLeaseRenewalConflicts() {
    Lease lease =
        client
            .leases()
            .inNamespace("spate-system")
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName("l1")
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity("a")
                    .endSpec()
                    .build())
            .create();
    Lease takenOver = client.leases().inNamespace("spate-system").withName("l1").get();
    takenOver.getSpec().setHolderIdentity("b");
    client.leases().inNamespace("spate-system").resource(takenOver).update();

    lease.getSpec().setHolderIdentity("a");
    assertThatThrownBy(() -> client.leases().inNamespace("spate-system").resource(lease).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(
            client
                .leases()
                .inNamespace("spate-system")
                .withName("l1")
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("b");
  }
}
