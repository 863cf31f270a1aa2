package dev.spate.operator.rbac;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every Kubernetes API call the operator and a Spate driver make, as RBAC rules: the one list the
 * install's RBAC (deploy/operator/clusterrole.yaml, lease-role.yaml, the namespaced component, the
 * Helm chart) and each job's driver Role ({@code DriverRole}) are tested against, so that
 * everything used is granted and nothing more. Change the code, change this list.
 */
public final class ApiAccess {

  /**
   * The {@code User-Agent} prefix of the operator's Kubernetes client: API server audit logs (and
   * the sandbox's access log) tell the operator's calls from a driver's by it. The full value is
   * {@value #USER_AGENT_PREFIX} followed by the operator version ({@code dev} when unknown).
   */
  public static final String USER_AGENT_PREFIX = "spate-operator/";

  /**
   * @return the operator client's {@code User-Agent}, e.g. {@code spate-operator/0.1.0}
   */
  public static String userAgent() {
    String version = ApiAccess.class.getPackage().getImplementationVersion();
    return USER_AGENT_PREFIX + (version == null ? "dev" : version);
  }

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
   * The operator, cluster-wide (it watches all or several namespaces), each verb with the code that
   * needs it:
   *
   * <ul>
   *   <li>StreamingJobs: JOSDK's informer lists and watches them; JOSDK adds and removes its
   *       finalizer with a JSON patch (a server-side apply PATCH adds it in that mode) and reads
   *       the job again with a GET when such a patch gets 409 Conflict ({@code
   *       ReconciliationDispatcher.conflictRetryingPatch}); the reconciler writes the whole status
   *       with a PUT on {@code streamingjobs/status} (optimistic locking; on 409 it waits for the
   *       informer, no GET). Every object the operator owns names its job with {@code
   *       blockOwnerDeletion: true}, which the {@code OwnerReferencesPermissionEnforcement}
   *       admission plugin allows only with {@code update} on {@code streamingjobs/finalizers}.
   *   <li>Pods: informers list and watch driver and executor pods; the reconciler creates the
   *       driver pod with a POST and deletes driver and executor pods one by one (DELETE).
   *   <li>ConfigMaps and the driver Service, each job's driver ServiceAccount, Role and RoleBinding
   *       {@code <job>-driver}: JOSDK dependents list and watch them, create them (a POST; a
   *       server-side apply PATCH in that mode) and bring a changed one back (a PUT; a server-side
   *       apply PATCH in that mode; the ServiceAccount is only created). {@code delete}: JOSDK
   *       deletes the driver RBAC objects when a job names a ServiceAccount of its own ({@code
   *       reconcilePrecondition}); for the others the garbage collector does, through the owner
   *       reference, and {@code OwnerReferencesPermissionEnforcement} lets only a subject that may
   *       {@code delete} an object create it with an owner reference.
   *   <li>Secrets: {@code ReferencedSecrets} lists and watches, one informer per Secret name (field
   *       selector {@code metadata.name}), only the Secrets jobs reference (client config for
   *       {@code SpecValidator} and the Kafka AdminClient, checkpoint credentials for their key
   *       names), never with a GET; the {@code SparkAuthSecret} dependent creates each job's Spark
   *       authentication Secret with a POST (never updated; {@code delete} for its owner reference,
   *       as above) and watches them by label.
   *   <li>Events: {@code JobEvents} creates them.
   * </ul>
   *
   * The install grants the operator these and {@link #DRIVER} ({@link #operatorInstallGrants()}).
   */
  public static final List<Rule> OPERATOR =
      List.of(
          new Rule("spate.dev", "streamingjobs", Set.of("get", "list", "watch", "patch")),
          new Rule("spate.dev", "streamingjobs/status", Set.of("update")),
          new Rule("spate.dev", "streamingjobs/finalizers", Set.of("update")),
          new Rule("", "pods", Set.of("list", "watch", "create", "delete")),
          new Rule("", "services", Set.of("list", "watch", "create", "update", "patch", "delete")),
          new Rule(
              "", "configmaps", Set.of("list", "watch", "create", "update", "patch", "delete")),
          new Rule("", "secrets", Set.of("list", "watch", "create", "delete")),
          new Rule("", "events", Set.of("create")),
          new Rule("", "serviceaccounts", Set.of("list", "watch", "create", "patch", "delete")),
          new Rule(
              "rbac.authorization.k8s.io",
              "roles",
              Set.of("list", "watch", "create", "update", "patch", "delete")),
          new Rule(
              "rbac.authorization.k8s.io",
              "rolebindings",
              Set.of("list", "watch", "create", "update", "patch", "delete")));

  /**
   * The operator in its own namespace only: the leader-election Lease. fabric8's LeaderElector gets
   * and creates the Lease and renews it with a {@code patch} (fabric8 7.x {@code
   * ResourceLock.update}); JOSDK's {@code LeaderElectionManager} refuses to start unless a {@code
   * SelfSubjectRulesReview} shows {@code get}, {@code create} and {@code update} on Leases.
   */
  public static final List<Rule> OPERATOR_LEADER_ELECTION =
      List.of(
          new Rule("coordination.k8s.io", "leases", Set.of("get", "create", "update", "patch")));

  /**
   * Calls the operator makes that Kubernetes grants every authenticated user through the built-in
   * {@code system:basic-user} ClusterRole, so the install ships no rule for them: JOSDK's
   * leader-election access check ({@code SelfSubjectRulesReview}).
   */
  public static final List<Rule> OPERATOR_BUILT_IN =
      List.of(new Rule("authorization.k8s.io", "selfsubjectrulesreviews", Set.of("create")));

  /**
   * A Spate driver in its job's namespace, as its Role ({@code DriverRole}) grants it: Spark 3.5's
   * Kubernetes scheduler backend (executor pods: create, list and watch by label, delete by name,
   * delete by label; its own driver pod: get; the executor conf ConfigMap: create, delete by label;
   * on-demand executor PVCs: create, list and delete by label) and the executor scaling driver
   * plugin (the control ConfigMap: get, list and watch by name, patch). The driver Role restricts
   * the driver pod's get and the control ConfigMap's verbs to those objects by name.
   */
  public static final List<Rule> DRIVER =
      List.of(
          new Rule(
              "", "pods", Set.of("get", "list", "watch", "create", "delete", "deletecollection")),
          new Rule(
              "",
              "configmaps",
              Set.of("get", "list", "watch", "create", "patch", "delete", "deletecollection")),
          new Rule(
              "",
              "persistentvolumeclaims",
              Set.of("list", "create", "delete", "deletecollection")));

  /**
   * What the install grants the operator in a job namespace: {@link #OPERATOR} and every grant of
   * {@link #DRIVER}. Kubernetes lets a subject create or bind a Role only with permissions it holds
   * itself ("Privilege escalation prevention" in Kubernetes' RBAC docs) unless it has the {@code
   * escalate} and {@code bind} verbs; the operator holds the drivers' permissions instead of those
   * two verbs, which would let it grant anything.
   *
   * @return the grants, {@code group/resource:verb}
   */
  public static Set<String> operatorInstallGrants() {
    Set<String> grants = grants(OPERATOR);
    grants.addAll(grants(DRIVER));
    return grants;
  }

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
