package dev.spate.sandbox.api;

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
 * <p>The sandbox does no authorization; this log lets a test compare what the operator and the
 * drivers really did with what the install grants them, both ways: every call granted, every grant
 * used.
 */
public final class ApiAccessLog {

  private final Map<String, Set<String>> byCaller = new ConcurrentHashMap<>();

  /**
   * Records one request.
   *
   * @param userAgent the request's {@code User-Agent} header, or null ({@code "unknown"})
   * @param method the HTTP method
   * @param path the request path with its query
   */
  public void record(String userAgent, String method, String path) {
    String grant = grant(method, path);
    if (grant != null) {
      byCaller
          .computeIfAbsent(
              userAgent == null ? "unknown" : userAgent, k -> ConcurrentHashMap.newKeySet())
          .add(grant);
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
