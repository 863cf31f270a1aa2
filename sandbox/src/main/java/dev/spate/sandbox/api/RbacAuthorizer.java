package dev.spate.sandbox.api;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Locale;

/**
 * Kubernetes RBAC's decision for one REST request against the rules of a Role, for tests: the
 * sandbox API server authorizes nothing, so a test records what a client asked and checks it here.
 *
 * <p>Request attributes as the API server derives them ({@code RequestInfoFactory} in
 * k8s.io/apiserver): the verb from the HTTP method ({@code GET} with a name {@code get}, without
 * {@code list}, or {@code watch} with {@code watch=true}; {@code POST} {@code create}; {@code PUT}
 * {@code update}; {@code PATCH} {@code patch}; {@code DELETE} with a name {@code delete}, without
 * {@code deletecollection}); for list and watch, the name of a {@code metadata.name=<x>} field
 * selector. A rule allows a request when its API groups, resources (with {@code /subresource}),
 * verbs and, if it has any, {@code resourceNames} match ("Using RBAC Authorization": {@code *}
 * matches everything; a rule with resourceNames never matches a request without a name).
 */
public final class RbacAuthorizer {

  /**
   * What RBAC decides on.
   *
   * @param verb the RBAC verb
   * @param apiGroup the API group, {@code ""} for core
   * @param resource plural resource, {@code pods/status} for a subresource
   * @param namespace namespace, or null
   * @param name the object's name, or null
   */
  public record Attributes(
      String verb, String apiGroup, String resource, String namespace, String name) {

    @Override
    public String toString() {
      return verb
          + " "
          + (apiGroup.isEmpty() ? "" : apiGroup + "/")
          + resource
          + (name == null ? "" : " " + name)
          + (namespace == null ? "" : " in " + namespace);
    }
  }

  private RbacAuthorizer() {}

  /**
   * The attributes of a request.
   *
   * @param method HTTP method
   * @param path the request path with its query
   * @return the attributes; null for a path that is no API object path (discovery, {@code
   *     /version})
   */
  public static Attributes attributes(String method, String path) {
    ApiPath api = ApiPath.parse(path);
    if (api.resource() == null) {
      return null;
    }
    String group =
        api.prefix().startsWith("/apis/") ? api.prefix().split("/")[2] : ""; // /apis/<g>/<v>
    String resource =
        api.subresource() == null ? api.resource() : api.resource() + "/" + api.subresource();
    String name = api.name();
    String verb =
        switch (method.toUpperCase(Locale.ROOT)) {
          case "GET", "HEAD" -> watch(api) ? "watch" : name != null ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name != null ? "delete" : "deletecollection";
          default -> method.toLowerCase(Locale.ROOT);
        };
    if (name == null && (verb.equals("list") || verb.equals("watch"))) {
      name = exactName(api.query().get("fieldSelector"));
    }
    return new Attributes(verb, group, resource, api.namespace(), name);
  }

  /**
   * @param rules a Role's rules
   * @param request the request's attributes
   * @return whether some rule allows the request
   */
  public static boolean allows(List<PolicyRule> rules, Attributes request) {
    return rules.stream().anyMatch(r -> allows(r, request));
  }

  private static boolean allows(PolicyRule rule, Attributes request) {
    return matches(rule.getApiGroups(), request.apiGroup())
        && matches(rule.getResources(), request.resource())
        && matches(rule.getVerbs(), request.verb())
        && (rule.getResourceNames() == null
            || rule.getResourceNames().isEmpty()
            || (request.name() != null && rule.getResourceNames().contains(request.name())));
  }

  private static boolean matches(List<String> allowed, String value) {
    return allowed != null && (allowed.contains("*") || allowed.contains(value));
  }

  private static boolean watch(ApiPath api) {
    String w = api.query().get("watch");
    return w != null && (w.equals("true") || w.equals("1"));
  }

  /** The name required by a field selector such as {@code metadata.name=x}, or null. */
  private static String exactName(String fieldSelector) {
    if (fieldSelector == null) {
      return null;
    }
    for (String term : fieldSelector.split(",")) {
      String t = term.trim();
      for (String op : new String[] {"==", "="}) {
        if (t.startsWith("metadata.name" + op)) {
          String v = t.substring(("metadata.name" + op).length());
          return v.isEmpty() ? null : v;
        }
      }
    }
    return null;
  }
}
