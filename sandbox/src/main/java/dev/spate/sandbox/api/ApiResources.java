package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersions;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource types the sandbox API serves, for discovery ({@code /api}, {@code /apis}, {@code
 * /api/v1}, {@code /apis/<group>/<version>}) and for the server-side Table output: the built-in
 * types Spark, the operator and a StreamingJob user touch (pods, services, config maps, secrets,
 * events, namespaces, service accounts, PVCs, RBAC, leases, CRDs), plus every served version of
 * every stored CustomResourceDefinition with its short names, categories, subresources and {@code
 * additionalPrinterColumns}. Discovery documents are the legacy (v1) shapes from Kubernetes' "API
 * discovery" (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api), built
 * with fabric8's model; kubectl falls back to them when the server does not answer with the
 * aggregated format.
 *
 * <p>Pure: an instance is a snapshot built from the stored CRDs ({@link #of}).
 */
public final class ApiResources {

  /** Verbs every served resource supports here (the CRUD mock implements them all). */
  static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /**
   * One served resource type.
   *
   * @param group API group, empty for the core group
   * @param version version, e.g. {@code v1}
   * @param plural resource name, e.g. {@code pods}
   * @param singular singular name
   * @param kind kind, e.g. {@code Pod}
   * @param namespaced whether objects live in a namespace
   * @param shortNames short names ({@code po}, {@code sj})
   * @param categories categories ({@code all})
   * @param subresources subresource names ({@code status}, {@code log})
   * @param printerColumns the CRD version's {@code additionalPrinterColumns} (empty for built-in
   *     types, whose columns {@link TableConverter} knows)
   * @param schema the CRD version's {@code openAPIV3Schema}, null for built-in types
   */
  public record Resource(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      List<String> subresources,
      List<JsonNode> printerColumns,
      JsonNode schema) {

    /**
     * @return {@code group/version}, or {@code version} for the core group
     */
    public String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /**
     * @return the path prefix, {@code /api/v1} or {@code /apis/<group>/<version>}
     */
    public String prefix() {
      return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    /**
     * @return true for a type defined by a CustomResourceDefinition
     */
    public boolean custom() {
      return schema != null;
    }
  }

  private static final List<Resource> BUILT_IN =
      List.of(
          inAll(builtIn("", "v1", "pods", "Pod", true, List.of("po"), List.of("log", "status"))),
          inAll(builtIn("", "v1", "services", "Service", true, List.of("svc"), List.of("status"))),
          builtIn("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of()),
          builtIn("", "v1", "secrets", "Secret", true, List.of(), List.of()),
          builtIn("", "v1", "events", "Event", true, List.of("ev"), List.of()),
          builtIn("", "v1", "namespaces", "Namespace", false, List.of("ns"), List.of("status")),
          builtIn("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of()),
          builtIn(
              "",
              "v1",
              "persistentvolumeclaims",
              "PersistentVolumeClaim",
              true,
              List.of("pvc"),
              List.of("status")),
          builtIn("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of()),
          builtIn("rbac.authorization.k8s.io", "v1", "roles", "Role", true, List.of(), List.of()),
          builtIn(
              "rbac.authorization.k8s.io",
              "v1",
              "rolebindings",
              "RoleBinding",
              true,
              List.of(),
              List.of()),
          builtIn(
              "rbac.authorization.k8s.io",
              "v1",
              "clusterroles",
              "ClusterRole",
              false,
              List.of(),
              List.of()),
          builtIn(
              "rbac.authorization.k8s.io",
              "v1",
              "clusterrolebindings",
              "ClusterRoleBinding",
              false,
              List.of(),
              List.of()),
          builtIn("coordination.k8s.io", "v1", "leases", "Lease", true, List.of(), List.of()),
          builtIn(
              "apiextensions.k8s.io",
              "v1",
              "customresourcedefinitions",
              "CustomResourceDefinition",
              false,
              List.of("crd", "crds"),
              List.of("status")));

  private final List<Resource> resources;

  private ApiResources(List<Resource> resources) {
    this.resources = List.copyOf(resources);
  }

  /**
   * The built-in types plus the served versions of the given CRDs.
   *
   * @param crds stored {@code apiextensions.k8s.io/v1} CustomResourceDefinitions as JSON trees
   * @return the snapshot
   */
  public static ApiResources of(List<JsonNode> crds) {
    List<Resource> all = new ArrayList<>(BUILT_IN);
    for (JsonNode crd : crds) {
      JsonNode spec = crd.path("spec");
      JsonNode names = spec.path("names");
      for (JsonNode v : spec.path("versions")) {
        if (!v.path("served").asBoolean(true)) {
          continue;
        }
        List<String> sub = new ArrayList<>();
        v.path("subresources").fieldNames().forEachRemaining(sub::add);
        List<JsonNode> columns = new ArrayList<>();
        v.path("additionalPrinterColumns").forEach(columns::add);
        all.add(
            new Resource(
                spec.path("group").asText(),
                v.path("name").asText(),
                names.path("plural").asText(),
                names.path("singular").asText(names.path("kind").asText().toLowerCase()),
                names.path("kind").asText(),
                !"Cluster".equals(spec.path("scope").asText()),
                texts(names.path("shortNames")),
                texts(names.path("categories")),
                List.copyOf(sub),
                List.copyOf(columns),
                v.path("schema").path("openAPIV3Schema")));
      }
    }
    return new ApiResources(all);
  }

  /**
   * @return every served resource type
   */
  public List<Resource> all() {
    return resources;
  }

  /**
   * @param prefix {@code /api/v1} or {@code /apis/<group>/<version>}
   * @param plural resource name
   * @return the resource type served at that path
   */
  public Optional<Resource> find(String prefix, String plural) {
    return resources.stream()
        .filter(r -> r.prefix().equals(prefix) && r.plural().equals(plural))
        .findFirst();
  }

  /**
   * @return {@code /api}: the core group's versions
   */
  public APIVersions coreVersions() {
    return new APIVersionsBuilder()
        .withVersions("v1")
        .addNewServerAddressByClientCIDR("0.0.0.0/0", "")
        .build();
  }

  /**
   * @return {@code /apis}: every named group with its versions (the first a CRD lists is preferred)
   */
  public APIGroupList groups() {
    Map<String, List<String>> versions = new LinkedHashMap<>();
    for (Resource r : resources) {
      if (!r.group().isEmpty()) {
        List<String> vs = versions.computeIfAbsent(r.group(), g -> new ArrayList<>());
        if (!vs.contains(r.version())) {
          vs.add(r.version());
        }
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versions.forEach((g, vs) -> groups.add(group(g, vs)));
    return new APIGroupListBuilder().withGroups(groups).build();
  }

  /**
   * @param group a group name
   * @return {@code /apis/<group>}, if served
   */
  public Optional<APIGroup> group(String group) {
    return groups().getGroups().stream().filter(g -> g.getName().equals(group)).findFirst();
  }

  private static APIGroup group(String name, List<String> versions) {
    List<GroupVersionForDiscovery> gvs =
        versions.stream().map(v -> new GroupVersionForDiscovery(name + "/" + v, v)).toList();
    return new APIGroupBuilder()
        .withName(name)
        .withVersions(gvs)
        .withPreferredVersion(gvs.get(0))
        .build();
  }

  /**
   * @param prefix {@code /api/v1} or {@code /apis/<group>/<version>}
   * @return the resource list of that group version (with {@code <plural>/<subresource>} entries),
   *     empty when nothing is served there
   */
  public Optional<APIResourceList> resourceList(String prefix) {
    List<APIResource> out = new ArrayList<>();
    String groupVersion = null;
    for (Resource r : resources) {
      if (!r.prefix().equals(prefix)) {
        continue;
      }
      groupVersion = r.groupVersion();
      out.add(
          new APIResourceBuilder()
              .withName(r.plural())
              .withSingularName(r.singular())
              .withNamespaced(r.namespaced())
              .withKind(r.kind())
              .withVerbs(VERBS)
              .withShortNames(r.shortNames().isEmpty() ? null : r.shortNames())
              .withCategories(r.categories().isEmpty() ? null : r.categories())
              .build());
      for (String sub : r.subresources()) {
        out.add(
            new APIResourceBuilder()
                .withName(r.plural() + "/" + sub)
                .withSingularName("")
                .withNamespaced(r.namespaced())
                .withKind(sub.equals("log") ? "Pod" : r.kind())
                .withVerbs(sub.equals("log") ? List.of("get") : List.of("get", "patch", "update"))
                .build());
      }
    }
    if (groupVersion == null) {
      return Optional.empty();
    }
    return Optional.of(
        new APIResourceListBuilder().withGroupVersion(groupVersion).withResources(out).build());
  }

  private static Resource builtIn(
      String group,
      String version,
      String plural,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> subresources) {
    return new Resource(
        group,
        version,
        plural,
        kind.toLowerCase(),
        kind,
        namespaced,
        shortNames,
        List.of(),
        subresources,
        List.of(),
        null);
  }

  /** The type in the {@code all} category, as pods and services are ({@code kubectl get all}). */
  private static Resource inAll(Resource r) {
    return new Resource(
        r.group(),
        r.version(),
        r.plural(),
        r.singular(),
        r.kind(),
        r.namespaced(),
        r.shortNames(),
        List.of("all"),
        r.subresources(),
        r.printerColumns(),
        r.schema());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }
}
