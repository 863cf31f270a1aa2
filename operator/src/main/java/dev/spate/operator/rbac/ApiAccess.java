package dev.spate.operator.rbac;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every Kubernetes API call the operator and a Spate driver make, as RBAC rules: the one list the
 * install's RBAC (deploy/operator/clusterrole.yaml, lease-role.yaml, deploy/driver-rbac/) is tested
 * against, so that everything used is granted and nothing more. Change the code, change this list.
 */
public final class ApiAccess {

  /**
   * One API group + resource and the verbs used on it.
   *
   * @param apiGroup API group, {@code ""} for core
   * @param resource resource (plural), with subresource as {@code streamingjobs/status}
   * @param verbs RBAC verbs
   */
  public record Rule(String apiGroup, String resource, Set<String> verbs) {
    /**
     * @return one {@code group/resource:verb} string per verb, for set comparisons
     */
    public Set<String> grants() {
      Set<String> grants = new TreeSet<>();
      verbs.forEach(v -> grants.add(apiGroup + "/" + resource + ":" + v));
      return grants;
    }
  }

  /**
   * The operator, cluster-wide (it watches all or several namespaces): JOSDK informers list and
   * watch the StreamingJobs, driver pods, executor pods, Services and ConfigMaps; finalizer and
   * status updates on the StreamingJob; the dependents create/update/delete their ConfigMaps and
   * Service; the reconciler creates driver pods and deletes driver and executor pods; {@code
   * ReferencedSecrets} lists and watches, one informer per Secret name (field selector {@code
   * metadata.name}), only the Secrets jobs reference (client config for {@code SpecValidator} and
   * the Kafka AdminClient, checkpoint credentials for their key names), never with a GET; the
   * {@code SparkAuthSecret} dependent creates each job's Spark authentication Secret with a POST
   * (never updated; the garbage collector deletes it through its owner reference) and watches them
   * by label; {@code JobEvents} creates Events.
   */
  public static final List<Rule> OPERATOR =
      List.of(
          new Rule("spate.dev", "streamingjobs", Set.of("get", "list", "watch", "patch", "update")),
          new Rule("spate.dev", "streamingjobs/status", Set.of("get", "patch", "update")),
          new Rule("spate.dev", "streamingjobs/finalizers", Set.of("update")),
          new Rule("", "pods", Set.of("get", "list", "watch", "create", "delete")),
          new Rule(
              "",
              "services",
              Set.of("get", "list", "watch", "create", "update", "patch", "delete")),
          new Rule(
              "",
              "configmaps",
              Set.of("get", "list", "watch", "create", "update", "patch", "delete")),
          new Rule("", "secrets", Set.of("list", "watch", "create")),
          new Rule("", "events", Set.of("create")));

  /**
   * The operator in its own namespace only: the leader-election Lease (JOSDK/fabric8
   * LeaderElector).
   */
  public static final List<Rule> OPERATOR_LEADER_ELECTION =
      List.of(new Rule("coordination.k8s.io", "leases", Set.of("get", "create", "update")));

  /**
   * A Spate driver in its job's namespace: Spark 3.5's Kubernetes scheduler backend (executor pods:
   * create, watch, list, delete, delete by label at stop; the executor conf ConfigMap: create,
   * delete by label; driver services deleted by label at stop; on-demand PVCs) and the executor
   * scaling driver plugin (the control ConfigMap: get, watch, patch).
   */
  public static final List<Rule> DRIVER =
      List.of(
          new Rule(
              "", "pods", Set.of("get", "list", "watch", "create", "delete", "deletecollection")),
          new Rule(
              "",
              "configmaps",
              Set.of("get", "list", "watch", "create", "patch", "delete", "deletecollection")),
          new Rule("", "services", Set.of("deletecollection")),
          new Rule(
              "",
              "persistentvolumeclaims",
              Set.of("get", "list", "create", "delete", "deletecollection")));

  /**
   * @param rules rules
   * @return every {@code group/resource:verb} they grant
   */
  public static Set<String> grants(List<Rule> rules) {
    Set<String> grants = new TreeSet<>();
    rules.forEach(r -> grants.addAll(r.grants()));
    return grants;
  }

  private ApiAccess() {}
}
