package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.rbac.ApiAccess;
import dev.spate.sandbox.api.ApiAccessLog;
import java.util.ArrayList;
import java.util.List;
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

  private GrantsUsed() {}

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
    Set<String> operatorUnused = new TreeSet<>(operatorGrants());
    operatorUnused.removeAll(operator);
    Set<String> driverUnused = new TreeSet<>(ApiAccess.grants(ApiAccess.DRIVER));
    driverUnused.removeAll(driver);
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
