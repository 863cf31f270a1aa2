package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.rbac.ApiAccess;
import dev.spate.sandbox.api.ApiAccessLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the calls the operator and the drivers made on the sandbox API server ({@link
 * ApiAccessLog}) with the grants the install gives them ({@link ApiAccess}, which the deploy tests
 * pin to the RBAC YAML): every call made is granted. The operator is the caller whose {@code
 * User-Agent} starts with {@link ApiAccess#USER_AGENT_PREFIX}; a driver is Spark's own Kubernetes
 * client (fabric8 6.x, as Spark 3.5 bundles it: the executor pod allocator and Spate's driver
 * plugin).
 */
final class GrantsUsed {

  /** User-Agent prefix of a Spark 3.5 driver's Kubernetes client (fabric8 6.x). */
  static final String DRIVER_USER_AGENT_PREFIX = "fabric8-kubernetes-client/6.";

  /**
   * Operator grants the chaos scenario does not reach, each with the code path that needs it. The
   * sandbox runs the operator in the merge-patch mode (its mock has no server-side apply), never
   * answers a patch with 409 Conflict, and starts no replica whose access check could fail.
   */
  static final Map<String, String> OPERATOR_NOT_EXERCISED_IN_SANDBOX =
      Map.ofEntries(
          Map.entry(
              "spate.dev/streamingjobs:get",
              "JOSDK reads the job again when its finalizer patch meets 409 Conflict"
                  + " (ReconciliationDispatcher.conflictRetryingPatch)"),
          Map.entry("/configmaps:patch", "server-side apply mode: dependents applied with a PATCH"),
          Map.entry("/services:patch", "server-side apply mode: dependents applied with a PATCH"),
          Map.entry(
              "/serviceaccounts:patch", "server-side apply mode: dependents applied with a PATCH"),
          Map.entry(
              "rbac.authorization.k8s.io/roles:patch",
              "server-side apply mode: dependents applied with a PATCH"),
          Map.entry(
              "rbac.authorization.k8s.io/rolebindings:patch",
              "server-side apply mode: dependents applied with a PATCH"),
          Map.entry(
              "/services:update",
              "merge-patch mode: a Service changed by someone else is put back with a PUT"),
          Map.entry(
              "rbac.authorization.k8s.io/rolebindings:update",
              "merge-patch mode: a RoleBinding changed by someone else is put back with a PUT"),
          Map.entry(
              "coordination.k8s.io/leases:update",
              "JOSDK's LeaderElectionManager.checkLeaseAccess refuses to start without get,"
                  + " create and update in a SelfSubjectRulesReview; fabric8 renews with a patch"));

  /**
   * Driver grants the chaos scenario does not reach, each with the Spark path that needs it
   * (Spark's {@code stop()} clean-up runs in {@code SandboxEndToEndTest}, whose driver stops
   * gracefully; the chaos scenario's drivers are killed or replaced).
   */
  static final Map<String, String> DRIVER_NOT_EXERCISED_IN_SANDBOX =
      Map.ofEntries(
          Map.entry(
              "/pods:deletecollection",
              "KubernetesClusterSchedulerBackend.stop deletes the executor pods by label"),
          Map.entry(
              "/configmaps:deletecollection",
              "KubernetesClusterSchedulerBackend.stop deletes the executor ConfigMap by label"),
          Map.entry(
              "/persistentvolumeclaims:create",
              "on-demand executor PVCs (a sparkConf volume with claimName OnDemand)"),
          Map.entry(
              "/persistentvolumeclaims:delete",
              "the owner-reference admission check when Spark creates an on-demand PVC"),
          Map.entry(
              "/persistentvolumeclaims:deletecollection",
              "KubernetesClusterSchedulerBackend.stop deletes on-demand PVCs by label"));

  private GrantsUsed() {}

  /**
   * Asserts that every grant of the operator and of the driver Role was used in this scenario or is
   * listed, with the code path that needs it, as out of this scenario's reach; and that every
   * listed grant is still granted and still unused, so the lists cannot go stale. Call it for the
   * scenario that reaches the most paths.
   *
   * @param log the sandbox's access log
   */
  static void assertEveryGrantUsedOrExplained(ApiAccessLog log) {
    assertThat(unused(operatorGrants(), operator(log)))
        .as("operator grants neither used nor explained: take them out of ApiAccess")
        .isEqualTo(new TreeSet<>(OPERATOR_NOT_EXERCISED_IN_SANDBOX.keySet()));
    assertThat(unused(ApiAccess.grants(ApiAccess.DRIVER), driver(log)))
        .as("driver grants neither used nor explained: take them out of ApiAccess")
        .isEqualTo(new TreeSet<>(DRIVER_NOT_EXERCISED_IN_SANDBOX.keySet()));
  }

  /** The grants no call used, sorted. */
  private static Set<String> unused(Set<String> granted, Set<String> used) {
    Set<String> unused = new TreeSet<>(granted);
    unused.removeAll(used);
    return unused;
  }

  /**
   * @param log the sandbox's access log
   * @return the operator's calls, as grants
   */
  static Set<String> operator(ApiAccessLog log) {
    return log.used(ApiAccess.USER_AGENT_PREFIX);
  }

  /**
   * @param log the sandbox's access log
   * @return the drivers' calls, as grants
   */
  static Set<String> driver(ApiAccessLog log) {
    return log.used(DRIVER_USER_AGENT_PREFIX);
  }

  /**
   * @return what the install grants the operator (cluster role, leader election role) and what
   *     Kubernetes grants every authenticated user
   */
  static Set<String> operatorGrants() {
    List<ApiAccess.Rule> rules = new ArrayList<>(ApiAccess.OPERATOR);
    rules.addAll(ApiAccess.OPERATOR_LEADER_ELECTION);
    rules.addAll(ApiAccess.OPERATOR_BUILT_IN);
    return ApiAccess.grants(rules);
  }

  /**
   * Asserts that the operator and the drivers made no call their RBAC does not grant, and prints
   * which grants the scenario did not use.
   *
   * @param log the sandbox's access log
   * @param scenario a name for the printed line
   */
  static void assertEveryCallGranted(ApiAccessLog log, String scenario) {
    Set<String> operator = operator(log);
    Set<String> driver = driver(log);
    assertThat(operator).as("the operator called the API (User-Agent)").isNotEmpty();
    assertThat(operator).as("operator calls granted by its RBAC").isSubsetOf(operatorGrants());
    assertThat(driver)
        .as("driver calls granted by the driver Role")
        .isSubsetOf(ApiAccess.grants(ApiAccess.DRIVER));
    Set<String> operatorUnused = unused(operatorGrants(), operator);
    Set<String> driverUnused = unused(ApiAccess.grants(ApiAccess.DRIVER), driver);
    System.out.println(
        "RBAC "
            + scenario
            + ": operator used "
            + operator
            + ", granted but not used here "
            + operatorUnused
            + "; drivers used "
            + driver
            + ", granted but not used here "
            + driverUnused);
  }
}
