package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which API calls each client of the sandbox API server made, as the RBAC grants a real API server
 * would have checked: {@code group/resource:verb} per caller, the caller named by its {@code
 * User-Agent} header. The verb follows the Kubernetes authorization rules ("Authorization: request
 * verbs"): {@code POST} is {@code create}; {@code GET} of one object {@code get}, of a collection
 * {@code list}, with {@code watch=true} {@code watch}; {@code PUT} {@code update}; {@code PATCH}
 * {@code patch}; {@code DELETE} of one object {@code delete}, of a collection {@code
 * deletecollection}. A subresource is written {@code resource/subresource}; the core group is
 * {@code ""}.
 *
 * <p>A create whose object carries {@code metadata.ownerReferences} also records the checks of the
 * {@code OwnerReferencesPermissionEnforcement} admission plugin (Kubernetes "Admission controllers
 * reference"; off in a default kube-apiserver, on in OpenShift and other hardened clusters): {@code
 * delete} on the created resource ("cannot set an ownerRef on a resource you can't delete"), and
 * for each reference with {@code blockOwnerDeletion: true}, {@code update} on the owner's {@code
 * finalizers} subresource. The owner's resource is its kind in lower case plus {@code s}, which
 * holds for every owner kind Spate and Spark use (StreamingJob, Pod). Only a {@code POST} is
 * inspected: the plugin checks an update only when it changes the references, which neither Spate
 * nor Spark does.
 *
 * <p>The sandbox does no authorization; this log lets a test compare what the operator and the
 * drivers really did with what the install grants them, both ways: every call granted, every grant
 * used.
 */
public final class ApiAccessLog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Set<String>> byCaller = new ConcurrentHashMap<>();

  /**
   * Records one request.
   *
   * @param userAgent the request's {@code User-Agent} header, or null ({@code "unknown"})
   * @param method the HTTP method
   * @param path the request path with its query
   */
  public void record(String userAgent, String method, String path) {
    record(userAgent, method, path, null);
  }

  /**
   * Records one request with its body, adding the owner-reference checks of a create.
   *
   * @param userAgent the request's {@code User-Agent} header, or null ({@code "unknown"})
   * @param method the HTTP method
   * @param path the request path with its query
   * @param body the request body (JSON), or null
   */
  public void record(String userAgent, String method, String path, String body) {
    String grant = grant(method, path);
    if (grant == null) {
      return;
    }
    Set<String> grants =
        byCaller.computeIfAbsent(
            userAgent == null ? "unknown" : userAgent, k -> ConcurrentHashMap.newKeySet());
    grants.add(grant);
    if ("POST".equalsIgnoreCase(method) && body != null && !body.isEmpty()) {
      grants.addAll(ownerReferenceChecks(grant, body));
    }
  }

  /**
   * The grants used by callers whose {@code User-Agent} starts with the prefix.
   *
   * @param userAgentPrefix e.g. {@code spate-operator/}
   * @return sorted {@code group/resource:verb} strings
   */
  public Set<String> used(String userAgentPrefix) {
    Set<String> used = new TreeSet<>();
    byCaller.forEach(
        (agent, grants) -> {
          if (agent.startsWith(userAgentPrefix)) {
            used.addAll(grants);
          }
        });
    return used;
  }

  /**
   * @return the callers seen, by {@code User-Agent}
   */
  public Set<String> callers() {
    return new TreeSet<>(byCaller.keySet());
  }

  /**
   * The grants {@code OwnerReferencesPermissionEnforcement} checks when an object is created.
   *
   * @param createGrant the create's own grant, {@code group/resource:create}
   * @param body the created object as JSON (a body that is not JSON checks nothing)
   * @return {@code group/resource:delete} when the object has owner references, plus {@code
   *     ownerGroup/ownerResource/finalizers:update} per reference that blocks its owner's deletion
   */
  static Set<String> ownerReferenceChecks(String createGrant, String body) {
    Set<String> checks = new TreeSet<>();
    JsonNode refs;
    try {
      refs = JSON.readTree(body).path("metadata").path("ownerReferences");
    } catch (IOException e) {
      return checks;
    }
    if (!refs.isArray() || refs.isEmpty()) {
      return checks;
    }
    checks.add(createGrant.substring(0, createGrant.lastIndexOf(':')) + ":delete");
    for (JsonNode ref : refs) {
      if (ref.path("blockOwnerDeletion").asBoolean(false)) {
        String apiVersion = ref.path("apiVersion").asText("");
        String group = apiVersion.contains("/") ? apiVersion.split("/")[0] : "";
        String resource = ref.path("kind").asText("").toLowerCase(Locale.ROOT) + "s";
        checks.add(group + "/" + resource + "/finalizers:update");
      }
    }
    return checks;
  }

  /**
   * The RBAC grant a request needs ({@link RbacAuthorizer#attributes}).
   *
   * @param method HTTP method
   * @param path the request path with its query
   * @return {@code group/resource:verb}, or null for a non-resource path (discovery, version)
   */
  static String grant(String method, String path) {
    RbacAuthorizer.Attributes a = RbacAuthorizer.attributes(method, path);
    return a == null ? null : a.apiGroup() + "/" + a.resource() + ":" + a.verb();
  }
}
