package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.api.validation.Violation;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission of custom resources as the API server does it on create, update and patch: the CRD
 * version's schema defaults are applied, then its OpenAPI constraints and CEL {@code
 * x-kubernetes-validations} are checked by {@link CrdRuleEvaluator}; a rejected object gets the API
 * server's {@code 422 Invalid} Status ({@code <Kind>.<group> "<name>" is invalid: <field>:
 * <message>}, one cause per violation), which {@code kubectl apply} prints as {@code The <Kind>
 * "<name>" is invalid: ...}. Unknown fields follow the request's {@code fieldValidation}: {@code
 * Strict} (kubectl's default) rejects them with {@code 400 BadRequest} ({@code strict decoding
 * error: unknown field "spec.x"}), otherwise they are accepted.
 *
 * <p>Status is not validated (it is written by the operator through the status subresource; the
 * sandbox does not check it). Evaluators are built once per CRD schema and cached.
 */
public final class Admission {

  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UNKNOWN_FIELD = "unknown field ";

  private final Map<String, CrdRuleEvaluator> evaluators = new ConcurrentHashMap<>();

  /**
   * The outcome of admission.
   *
   * @param object the object to store (with the schema's defaults), when admitted
   * @param code HTTP status of the rejection (422 or 400), 0 when admitted
   * @param status the rejection's {@code Status} object, null when admitted
   */
  public record Outcome(JsonNode object, int code, ObjectNode status) {
    /**
     * @return true when the object may be stored
     */
    public boolean admitted() {
      return code == 0;
    }
  }

  /**
   * Defaults and validates a custom resource about to be stored.
   *
   * @param resource its type (must be {@link ApiResources.Resource#custom()})
   * @param object the whole object as it would be stored
   * @param fieldValidation the request's {@code fieldValidation} parameter ({@code Strict}, {@code
   *     Warn}, {@code Ignore}) or null
   * @return the defaulted object, or the rejection
   */
  public Outcome admit(ApiResources.Resource resource, JsonNode object, String fieldValidation) {
    CrdRuleEvaluator evaluator = evaluator(resource);
    if (evaluator == null) {
      return new Outcome(object, 0, null);
    }
    ObjectNode withoutStatus = object.deepCopy();
    withoutStatus.remove("status");
    List<Violation> violations = evaluator.validate(withoutStatus);
    List<Violation> unknown = new ArrayList<>();
    List<Violation> invalid = new ArrayList<>();
    for (Violation v : violations) {
      (v.message().startsWith(UNKNOWN_FIELD) ? unknown : invalid).add(v);
    }
    String name = object.path("metadata").path("name").asText("");
    if ("strict".equalsIgnoreCase(fieldValidation) && !unknown.isEmpty()) {
      return new Outcome(null, 400, strictDecodingError(resource, unknown));
    }
    if (!invalid.isEmpty()) {
      return new Outcome(null, 422, invalid(resource, name, invalid));
    }
    JsonNode defaulted = evaluator.withDefaults(object);
    return new Outcome(defaulted, 0, null);
  }

  private CrdRuleEvaluator evaluator(ApiResources.Resource resource) {
    if (!resource.custom() || !resource.schema().isObject()) {
      return null;
    }
    String key = resource.group() + "/" + resource.version() + "/" + resource.schema().toString();
    try {
      return evaluators.computeIfAbsent(
          key,
          k -> {
            ObjectNode crd = JSON.createObjectNode();
            ObjectNode version =
                crd.putObject("spec")
                    .putArray("versions")
                    .addObject()
                    .put("name", resource.version());
            version.putObject("schema").set("openAPIV3Schema", resource.schema());
            return CrdRuleEvaluator.fromCrd(crd, resource.version());
          });
    } catch (RuntimeException e) {
      LOG.warn(
          "no admission for {}: its schema cannot be evaluated ({})",
          resource.plural() + "." + resource.group(),
          e.getMessage());
      return null;
    }
  }

  /**
   * The API server's {@code 422 Invalid} Status.
   *
   * @param resource the type
   * @param name the object's name
   * @param violations what is wrong (at least one)
   * @return the Status object
   */
  static ObjectNode invalid(
      ApiResources.Resource resource, String name, List<Violation> violations) {
    List<String> parts = violations.stream().map(Violation::toString).toList();
    String detail = parts.size() == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]";
    String qualifiedKind = resource.kind() + "." + resource.group();
    ObjectNode status =
        status(422, "Invalid", qualifiedKind + " \"" + name + "\" is invalid: " + detail);
    ObjectNode details =
        status
            .putObject("details")
            .put("name", name)
            .put("group", resource.group())
            .put("kind", resource.kind());
    ArrayNode causes = details.putArray("causes");
    for (Violation v : violations) {
      causes
          .addObject()
          .put("reason", causeReason(v.message()))
          .put("message", v.message())
          .put("field", v.path());
    }
    return status;
  }

  private static ObjectNode strictDecodingError(
      ApiResources.Resource resource, List<Violation> unknown) {
    List<String> fields = unknown.stream().map(Violation::message).toList();
    String message =
        resource.kind()
            + " in version \""
            + resource.version()
            + "\" cannot be handled as a "
            + resource.kind()
            + ": strict decoding error: "
            + String.join(", ", fields);
    return status(400, "BadRequest", message);
  }

  /** The {@code metav1.CauseType} of a field error, from its message's leading words. */
  static String causeReason(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.startsWith("required value")) {
      return "FieldValueRequired";
    }
    if (m.startsWith("unsupported value")) {
      return "FieldValueNotSupported";
    }
    if (m.startsWith("too long")) {
      return "FieldValueTooLong";
    }
    if (m.startsWith("too many")) {
      return "FieldValueTooMany";
    }
    if (m.startsWith("forbidden")) {
      return "FieldValueForbidden";
    }
    return "FieldValueInvalid";
  }

  /**
   * A {@code v1 Status} failure.
   *
   * @param code HTTP status
   * @param reason {@code StatusReason}, e.g. {@code Invalid}
   * @param message the message kubectl prints
   * @return the Status object
   */
  static ObjectNode status(int code, String reason, String message) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return s;
  }

  /**
   * Applies a patch as the API server does for custom resources.
   *
   * @param contentType the request's Content-Type: {@code application/json-patch+json} (RFC 6902),
   *     {@code application/merge-patch+json} (RFC 7386) or {@code
   *     application/strategic-merge-patch+json} (applied as a merge patch: custom resources have no
   *     patch strategies, and the API server rejects strategic merge for them)
   * @param current the stored object
   * @param patch the patch document
   * @return the patched object
   * @throws IllegalArgumentException for another patch type
   */
  public static JsonNode applyPatch(String contentType, JsonNode current, JsonNode patch) {
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/json-patch+json")) {
      return JsonPatch.apply(patch, current);
    }
    if (type.startsWith("application/merge-patch+json")
        || type.startsWith("application/strategic-merge-patch+json")) {
      return mergePatch(current, patch);
    }
    throw new IllegalArgumentException("unsupported patch type " + contentType);
  }

  /**
   * RFC 7386 JSON merge patch: objects merge recursively, {@code null} removes a member, anything
   * else replaces.
   *
   * @param target the document (not modified)
   * @param patch the patch
   * @return the merged document
   */
  public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), mergePatch(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }
}
