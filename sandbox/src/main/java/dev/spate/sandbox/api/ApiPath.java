package dev.spate.sandbox.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed Kubernetes REST path such as {@code
 * /api/v1/namespaces/ns/pods/name/status?labelSelector=a%3Db&watch=true}: API prefix ({@code
 * /api/v1} or {@code /apis/<group>/<version>}), namespace, resource (plural), name, subresource and
 * the decoded query parameters.
 *
 * @param prefix {@code /api/v1} or {@code /apis/<group>/<version>}
 * @param namespace namespace, or null for cluster-wide paths
 * @param resource plural resource name, or null for discovery paths
 * @param name object name, or null for a collection
 * @param subresource e.g. {@code status}, or null
 * @param query decoded query parameters in request order (last value wins)
 */
public record ApiPath(
    String prefix,
    String namespace,
    String resource,
    String name,
    String subresource,
    Map<String, String> query) {

  /**
   * Parses a request path.
   *
   * @param path the request path with its query string
   * @return the parsed path; {@code resource} is null when the path is not an API object path
   */
  public static ApiPath parse(String path) {
    int q = path.indexOf('?');
    String rawPath = q < 0 ? path : path.substring(0, q);
    Map<String, String> query = new LinkedHashMap<>();
    if (q >= 0) {
      for (String pair : path.substring(q + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        query.put(key, value);
      }
    }
    List<String> segments = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        segments.add(s);
      }
    }
    int rest;
    String prefix;
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      prefix = "/api/" + segments.get(1);
      rest = 2;
    } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      prefix = "/apis/" + segments.get(1) + "/" + segments.get(2);
      rest = 3;
    } else {
      return new ApiPath(rawPath, null, null, null, null, query);
    }
    List<String> tail = segments.subList(rest, segments.size());
    String namespace = null;
    if (tail.size() >= 3 && tail.get(0).equals("namespaces")) {
      namespace = tail.get(1);
      tail = tail.subList(2, tail.size());
    }
    String resource = tail.size() > 0 ? tail.get(0) : null;
    String name = tail.size() > 1 ? tail.get(1) : null;
    String sub = tail.size() > 2 ? tail.get(2) : null;
    return new ApiPath(prefix, namespace, resource, name, sub, query);
  }

  /**
   * @return true for a collection path (a resource without a name)
   */
  public boolean isCollection() {
    return resource != null && name == null;
  }

  /**
   * @return true when the query asks for a watch ({@code watch=true} or {@code watch=1})
   */
  public boolean isWatch() {
    String w = query.get("watch");
    return "true".equals(w) || "1".equals(w);
  }

  /**
   * @return the selector given by the {@code labelSelector} and {@code fieldSelector} parameters
   */
  public ObjectSelector selector() {
    return ObjectSelector.parse(query.get("labelSelector"), query.get("fieldSelector"));
  }

  /**
   * @return the path of this collection (or object) without the selector parameters
   */
  public String withoutSelectors() {
    StringBuilder b = new StringBuilder(objectPath());
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      if (e.getKey().equals("labelSelector") || e.getKey().equals("fieldSelector")) {
        continue;
      }
      b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return b.toString();
  }

  /**
   * @return the path without query string
   */
  public String objectPath() {
    StringBuilder b = new StringBuilder(prefix);
    if (namespace != null) {
      b.append("/namespaces/").append(namespace);
    }
    if (resource != null) {
      b.append('/').append(resource);
    }
    if (name != null) {
      b.append('/').append(name);
    }
    if (subresource != null) {
      b.append('/').append(subresource);
    }
    return b.toString();
  }

  /**
   * Builds the path of one object.
   *
   * @param prefix {@code /api/v1} or {@code /apis/<group>/<version>}
   * @param namespace namespace or null for cluster-scoped objects
   * @param resource plural resource name
   * @param name object name
   * @return the object path
   */
  public static String objectPath(String prefix, String namespace, String resource, String name) {
    return new ApiPath(prefix, namespace, resource, name, null, Map.of()).objectPath();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
