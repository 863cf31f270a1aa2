package dev.spate.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.rbac.ApiAccess;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The job's own driver ServiceAccount, Role and RoleBinding as pure functions of the plan: golden
 * files, the Role granting exactly what {@link ApiAccess#DRIVER} lists, names where Spark allows
 * them, and only permissions the operator's install holds (else Kubernetes refuses the Role).
 */
class DriverRbacTest {

  private static final OperatorConfig CONFIG =
      OperatorConfig.defaults().withDefaultImage("ghcr.io/spate-dev/spate-spark:0.1.0");

  private static JobPlan plan(String job, int attempt) {
    return JobPlan.of(TestJobs.load(job), CONFIG, 3).forAttempt(3, null, attempt, true);
  }

  /** {@code group/resource:verb} of every rule, names ignored (as {@link ApiAccess.Rule}). */
  private static Set<String> grants(List<PolicyRule> rules) {
    Set<String> grants = new TreeSet<>();
    for (PolicyRule r : rules) {
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          for (String v : r.getVerbs()) {
            grants.add(g + "/" + res + ":" + v);
          }
        }
      }
    }
    return grants;
  }

  @Test
  void objectsMatchGoldenFiles() throws IOException {
    JobPlan plan = plan("minimal", 1);
    GoldenFilesTest.assertGolden(
        "minimal.driver-service-account.yaml",
        Serialization.asYaml(DriverServiceAccount.build(plan)));
    GoldenFilesTest.assertGolden(
        "minimal.driver-role.yaml", Serialization.asYaml(DriverRole.build(plan)));
    GoldenFilesTest.assertGolden(
        "minimal.driver-role-binding.yaml", Serialization.asYaml(DriverRoleBinding.build(plan)));
  }

  @Test
  void driverPodRunsUnderTheJobsOwnServiceAccountUnlessTheSpecNamesOne() {
    JobPlan own = plan("minimal", 1);
    assertThat(own.driverServiceAccount()).isEqualTo("clicks-per-user-driver");
    assertThat(DriverPod.build(own).getSpec().getServiceAccountName())
        .isEqualTo("clicks-per-user-driver");
    assertThat(SparkProperties.owned(own))
        .containsEntry(
            "spark.kubernetes.authenticate.driver.serviceAccountName", "clicks-per-user-driver");
    assertThat(DriverRbacCondition.operatorManaged(TestJobs.load("minimal"))).isTrue();

    JobPlan named = plan("full", 1);
    assertThat(named.driverServiceAccount()).isEqualTo("spark-airline");
    assertThat(DriverRbacCondition.operatorManaged(TestJobs.load("full"))).isFalse();
  }

  @Test
  void executorsRunWithoutTheServiceAccountsToken() {
    // Spark gives executors the driver's ServiceAccount; they call no API, so no token
    assertThat(
            ExecutorPodTemplate.build(plan("minimal", 1))
                .getSpec()
                .getAutomountServiceAccountToken())
        .isFalse();
  }

  @Test
  void roleGrantsExactlyWhatADriverCalls() {
    assertThat(grants(DriverRole.build(plan("minimal", 1)).getRules()))
        .containsExactlyElementsOf(ApiAccess.grants(ApiAccess.DRIVER));
  }

  @Test
  void operatorInstallHoldsEveryPermissionItGrantsSoKubernetesLetsItCreateTheRole() {
    assertThat(ApiAccess.operatorInstallGrants())
        .containsAll(grants(DriverRole.build(plan("minimal", 1)).getRules()));
  }

  @Test
  void controlConfigMapAndDriverPodAreNamedAndTheDriverPodFollowsTheAttempt() {
    Role first = DriverRole.build(plan("minimal", 1));
    Role third = DriverRole.build(plan("minimal", 3));
    assertThat(namedIn(first, "configmaps")).containsExactly("clicks-per-user-control");
    assertThat(namedIn(first, "pods")).containsExactly("clicks-per-user-driver-1");
    assertThat(namedIn(third, "pods")).containsExactly("clicks-per-user-driver-3");
    // every verb on the control ConfigMap is restricted to it: get, list, watch, patch
    assertThat(
            first.getRules().stream()
                .filter(r -> r.getResources().contains("configmaps"))
                .filter(r -> r.getVerbs().contains("patch") || r.getVerbs().contains("get"))
                .allMatch(r -> !r.getResourceNames().isEmpty()))
        .isTrue();
  }

  @Test
  void namedRulesUseOnlyVerbsKubernetesCanRestrictByName() {
    // RBAC: resourceNames cannot restrict create or deletecollection (no name in the request);
    // list and watch only with a metadata.name field selector (what fabric8's withName sends)
    for (PolicyRule r : DriverRole.build(plan("minimal", 1)).getRules()) {
      if (!r.getResourceNames().isEmpty()) {
        assertThat(r.getVerbs()).doesNotContain("create", "deletecollection");
      }
    }
  }

  @Test
  void longJobNamesStayValidObjectNames() {
    String job = "j".repeat(300);
    JobNames names = new JobNames(job);
    assertThat(names.driverServiceAccount()).hasSizeLessThanOrEqualTo(253).endsWith("-driver");
    assertThat(new JobNames("short").driverServiceAccount()).isEqualTo("short-driver");
  }

  private static List<String> namedIn(Role role, String resource) {
    return role.getRules().stream()
        .filter(r -> r.getResources().contains(resource))
        .flatMap(r -> r.getResourceNames().stream())
        .toList();
  }
}
