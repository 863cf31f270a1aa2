package dev.spate.operator.reconciler;

import static dev.spate.operator.reconciler.ControllerHarness.assertOwnedBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.DriverSpec;
import dev.spate.api.v1alpha1.StreamingJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each job's own driver ServiceAccount, Role and RoleBinding, on the fabric8 CRUD mock: created
 * with owner references before the driver pod that uses them, the Role following the driver
 * attempt, none for a job that names its own ServiceAccount, and removed when a job switches to
 * one. The mock enforces no RBAC: that the Role suffices for Spark on a real API server is not
 * proven here (see deploy/README.md "Security").
 */
@EnableKubernetesMockClient(crud = true)
class DriverRbacControllerTest {

  static KubernetesClient client;

  @RegisterExtension final ControllerHarness h = new ControllerHarness(client, "rbac");

  private ServiceAccount serviceAccount(String name) {
    return client.serviceAccounts().inNamespace(h.ns).withName(name).get();
  }

  private Role role(String name) {
    return client.rbac().roles().inNamespace(h.ns).withName(name).get();
  }

  private RoleBinding roleBinding(String name) {
    return client.rbac().roleBindings().inNamespace(h.ns).withName(name).get();
  }

  private static List<String> namedPods(Role role) {
    return role.getRules().stream()
        .filter(r -> r.getResources().contains("pods"))
        .map(PolicyRule::getResourceNames)
        .flatMap(List::stream)
        .toList();
  }

  @Test
  void jobWithoutServiceAccountGetsItsOwnAndTheDriverRunsUnderIt() {
    h.startOperator("op-1", Map.of());
    StreamingJob created = h.client.resource(h.job("clicks", "fake:9092")).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(h.driver("clicks")).isNotNull());
    // created in the same reconcile, before the driver pod
    ServiceAccount sa = serviceAccount("clicks-driver");
    Role role = role("clicks-driver");
    RoleBinding binding = roleBinding("clicks-driver");
    assertThat(sa).isNotNull();
    assertThat(role).isNotNull();
    assertThat(binding).isNotNull();
    for (HasMetadata owned : List.of(sa, role, binding)) {
      assertOwnedBy(owned, created);
    }
    assertThat(h.driver("clicks").getSpec().getServiceAccountName()).isEqualTo("clicks-driver");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo("clicks-driver");
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo("clicks-driver");
              assertThat(s.getNamespace()).isEqualTo(h.ns);
            });
    assertThat(namedPods(role)).containsExactly("clicks-driver-1");
    assertThat(
            role.getRules().stream()
                .filter(r -> r.getResources().contains("configmaps"))
                .flatMap(r -> r.getResourceNames().stream()))
        .containsExactly("clicks-control");
    assertThat(h.configMap("clicks-spark-conf").getData().get("spark.properties"))
        .contains("spark.kubernetes.authenticate.driver.serviceAccountName=clicks-driver");
  }

  @Test
  void theRoleNamesTheDriverPodOfTheNewAttempt() {
    h.startOperator("op-1", Map.of());
    StreamingJob job = h.job("flaky", "fake:9092");
    dev.spate.api.v1alpha1.RestartPolicySpec policy =
        new dev.spate.api.v1alpha1.RestartPolicySpec();
    dev.spate.api.v1alpha1.BackoffSpec backoff = new dev.spate.api.v1alpha1.BackoffSpec();
    backoff.setInitial("1s");
    policy.setBackoff(backoff);
    job.getSpec().setRestartPolicy(policy);
    h.client.resource(job).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(h.driver("flaky")).isNotNull());
    h.driverReady("flaky");
    h.driverEnded("flaky", "Failed", 1, "boom");

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(h.driver("flaky"))
                    .isNotNull()
                    .extracting(p -> p.getMetadata().getName())
                    .isEqualTo("flaky-driver-2"));
    // the Role was updated in the reconcile that created the new driver, before it
    assertThat(namedPods(role("flaky-driver"))).containsExactly("flaky-driver-2");
  }

  @Test
  void jobNamingAServiceAccountGetsNoneAndSwitchingToOneRemovesTheJobsOwn() {
    h.startOperator("op-1", Map.of());
    StreamingJob job = h.job("byo", "fake:9092");
    DriverSpec driver = new DriverSpec();
    driver.setServiceAccountName("team-spark");
    job.getSpec().setDriver(driver);
    h.client.resource(job).create();
    StreamingJob plain = h.job("plain", "fake:9092");
    h.client.resource(plain).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(h.driver("byo")).isNotNull();
              assertThat(h.driver("plain")).isNotNull();
            });
    assertThat(h.driver("byo").getSpec().getServiceAccountName()).isEqualTo("team-spark");
    assertThat(serviceAccount("byo-driver")).isNull();
    assertThat(role("byo-driver")).isNull();
    assertThat(roleBinding("byo-driver")).isNull();
    assertThat(
            client.rbac().roles().inNamespace(h.ns).list().getItems().stream()
                .map(r -> r.getMetadata().getName()))
        .as("only the job without a ServiceAccount has a Role")
        .containsExactly("plain-driver");

    // the other job switches to a ServiceAccount of its own: a restart with it, and its Spate
    // ServiceAccount, Role and RoleBinding go
    h.edit(
        "plain",
        j -> {
          DriverSpec d = new DriverSpec();
          d.setServiceAccountName("team-spark");
          j.getSpec().setDriver(d);
          return j;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(serviceAccount("plain-driver")).isNull();
              assertThat(role("plain-driver")).isNull();
              assertThat(roleBinding("plain-driver")).isNull();
              assertThat(h.driver("plain"))
                  .isNotNull()
                  .extracting(p -> p.getSpec().getServiceAccountName())
                  .isEqualTo("team-spark");
            });
  }

  @Test
  void aForeignRoleOfTheSameNameIsNeitherTakenOverNorUsed() {
    // a Role <job>-driver the operator did not create (no managed-by label, no owner)
    client
        .rbac()
        .roles()
        .inNamespace(h.ns)
        .resource(
            new io.fabric8.kubernetes.api.model.rbac.RoleBuilder()
                .withNewMetadata()
                .withName("taken-driver")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources("secrets")
                .withVerbs("get")
                .endRule()
                .build())
        .create();
    h.startOperator("op-1", Map.of());
    h.client.resource(h.job("taken", "fake:9092")).create();
    StreamingJob other = h.job("other", "fake:9092");
    h.client.resource(other).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(h.driver("other")).isNotNull());
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(h.driver("taken")).as("no driver").isNull());
    Role role = role("taken-driver");
    assertThat(role.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(role.getRules())
        .singleElement()
        .satisfies(r -> assertThat(r.getResources()).containsExactly("secrets"));
  }
}
