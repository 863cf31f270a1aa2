package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI v3 documents kubectl reads
 * (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#openapi-v3): {@code /openapi/v3}
 * lists one document per group version; each document has, for every resource, the object and
 * collection paths whose operations declare {@code x-kubernetes-group-version-kind} and the {@code
 * fieldValidation} query parameter (so {@code kubectl apply} leaves validation to the server, see
 * {@code kubectl apply --validate}), and, for custom resources, the CRD version's schema under the
 * API server's name ({@code <reversed group>.<version>.<Kind>}, e.g. {@code
 * dev.spate.v1alpha1.StreamingJob}) for {@code kubectl explain}. Built-in types have paths but no
 * schemas: {@code kubectl explain pods} finds nothing here.
 */
public final class OpenApiV3 {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ObjectNode> documents = new LinkedHashMap<>();
  private final String version;

  /**
   * @param resources the served types
   * @param kubernetesVersion the version in each document's {@code info}
   */
  public OpenApiV3(ApiResources resources, String kubernetesVersion) {
    this.version = kubernetesVersion;
    for (ApiResources.Resource r : resources.all()) {
      ObjectNode doc = documents.computeIfAbsent(key(r), k -> newDocument());
      addPaths(doc, r);
      if (r.custom()) {
        addSchema(doc, r);
      }
    }
  }

  /**
   * @return the index {@code /openapi/v3}: {@code paths.<api/v1 | apis/g/v>.serverRelativeURL}
   */
  public ObjectNode index() {
    ObjectNode index = JSON.createObjectNode();
    ObjectNode paths = index.putObject("paths");
    documents.forEach(
        (key, doc) ->
            paths
                .putObject(key)
                .put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash(doc)));
    return index;
  }

  /**
   * @param key {@code api/v1} or {@code apis/<group>/<version>}
   * @return the document of that group version
   */
  public Optional<ObjectNode> document(String key) {
    return Optional.ofNullable(documents.get(key));
  }

  private ObjectNode newDocument() {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", version);
    doc.putObject("paths");
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static String key(ApiResources.Resource r) {
    return r.prefix().substring(1);
  }

  private static void addPaths(ObjectNode doc, ApiResources.Resource r) {
    String base = r.prefix() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
    ObjectNode paths = (ObjectNode) doc.get("paths");
    ObjectNode collection = paths.putObject(base);
    for (String op : List.of("get", "post")) {
      operation(collection, op, r, op.equals("post"));
    }
    ObjectNode item = paths.putObject(base + "/{name}");
    for (String op : List.of("get", "put", "patch", "delete")) {
      operation(item, op, r, op.equals("put") || op.equals("patch"));
    }
  }

  private static void operation(
      ObjectNode pathItem, String op, ApiResources.Resource r, boolean writes) {
    ObjectNode o = pathItem.putObject(op);
    o.putObject("x-kubernetes-group-version-kind")
        .put("group", r.group())
        .put("version", r.version())
        .put("kind", r.kind());
    if (writes) {
      o.putArray("parameters")
          .addObject()
          .put("name", "fieldValidation")
          .put("in", "query")
          .put(
              "description",
              "Ignore, Warn or Strict: what the server does with unknown or duplicate fields")
          .putObject("schema")
          .put("type", "string")
          .put("uniqueItems", true);
    }
    o.putObject("responses").putObject("200").put("description", "OK");
  }

  private static void addSchema(ObjectNode doc, ApiResources.Resource r) {
    ObjectNode schemas = (ObjectNode) doc.get("components").get("schemas");
    ObjectNode schema = r.schema().deepCopy();
    ObjectNode props =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    props
        .putObject("apiVersion")
        .put("type", "string")
        .put(
            "description",
            "APIVersion defines the versioned schema of this representation of an object.");
    props
        .putObject("kind")
        .put("type", "string")
        .put(
            "description",
            "Kind is a string value representing the REST resource this object represents.");
    props
        .putObject("metadata")
        .put("type", "object")
        .put(
            "description",
            "Standard object's metadata: name, namespace, labels, annotations, ownerReferences.");
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    schema
        .putArray("x-kubernetes-group-version-kind")
        .addObject()
        .put("group", r.group())
        .put("version", r.version())
        .put("kind", r.kind());
    schemas.set(schemaName(r), schema);
  }

  /**
   * @param r a resource type
   * @return the API server's schema name for it, e.g. {@code dev.spate.v1alpha1.StreamingJob}
   */
  static String schemaName(ApiResources.Resource r) {
    String[] parts = r.group().split("\\.");
    StringBuilder b = new StringBuilder();
    for (int i = parts.length - 1; i >= 0; i--) {
      b.append(parts[i]).append('.');
    }
    return b.append(r.version()).append('.').append(r.kind()).toString();
  }

  private static String hash(JsonNode doc) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-512")
              .digest(doc.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).toUpperCase(java.util.Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
