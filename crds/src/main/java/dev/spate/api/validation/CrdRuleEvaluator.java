package dev.spate.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.spate.api.v1alpha1.StreamingJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates StreamingJob manifests by the rules of a CRD's {@code openAPIV3Schema}, as the
 * Kubernetes API server would on create/update: it applies the schema's defaults, checks the
 * OpenAPI constraints ({@code type}, {@code required}, {@code enum}, {@code minimum}/{@code
 * maximum}, {@code minLength}/{@code maxLength}, {@code pattern}, {@code minItems}/{@code
 * maxItems}, {@code minProperties}/{@code maxProperties}, unknown fields) and evaluates every CEL
 * rule of {@code x-kubernetes-validations} at the node it is declared on (objects, fields, list
 * items, map values), with {@code self} bound to that node. It uses the plain CEL library for Java
 * ({@code dev.cel:cel}), so the CRD must use only standard CEL functions ({@code matches}, {@code
 * size}, {@code has}, {@code all}, {@code exists}, {@code exists_one}, {@code startsWith}, {@code
 * duration}, ...): a Kubernetes-only function makes {@link #fromCrd} fail with a compile error.
 *
 * <p>Like the API server, CEL rules are not evaluated when the object has type errors (a string
 * where an integer belongs); a violation says so. Transition rules (those reading {@code oldSelf})
 * are skipped: there is no old object here. CEL cost limits are not checked.
 *
 * <p>Thread-safe once built; build it once ({@link #forStreamingJob()}) and reuse it.
 */
public final class CrdRuleEvaluator {

  /** Classpath resource of the committed StreamingJob CRD. */
  public static final String STREAMING_JOB_CRD = "META-INF/spate/streamingjobs.spate.dev-v1.yml";

  /** Message added when CEL rules were skipped because of type errors (as the API server says). */
  public static final String RULES_SKIPPED =
      "some validation rules were not checked because the object was invalid; correct the existing"
          + " errors to complete validation";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private final Schema root;

  private CrdRuleEvaluator(Schema root) {
    this.root = root;
  }

  /**
   * The evaluator of the committed StreamingJob CRD ({@value #STREAMING_JOB_CRD}), version {@code
   * v1alpha1}.
   *
   * @return the evaluator
   * @throws IllegalStateException if the resource is missing or a rule does not compile
   */
  public static CrdRuleEvaluator forStreamingJob() {
    try (InputStream in =
        CrdRuleEvaluator.class.getClassLoader().getResourceAsStream(STREAMING_JOB_CRD)) {
      if (in == null) {
        throw new IllegalStateException("CRD resource not on the classpath: " + STREAMING_JOB_CRD);
      }
      return fromCrd(YAML.readTree(in), StreamingJob.VERSION);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + STREAMING_JOB_CRD, e);
    }
  }

  /**
   * The evaluator of one version of a CustomResourceDefinition.
   *
   * @param crd the CRD ({@code apiextensions.k8s.io/v1}) as a JSON/YAML tree
   * @param version the version whose schema applies, e.g. {@code v1alpha1}
   * @return the evaluator
   * @throws IllegalArgumentException if the version or its schema is missing
   * @throws IllegalStateException if a CEL rule does not compile with standard CEL
   */
  public static CrdRuleEvaluator fromCrd(JsonNode crd, String version) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        JsonNode schema = v.path("schema").path("openAPIV3Schema");
        if (!schema.isObject()) {
          throw new IllegalArgumentException("version " + version + " has no openAPIV3Schema");
        }
        return new CrdRuleEvaluator(Schema.compile(schema, new Cel()));
      }
    }
    throw new IllegalArgumentException("CRD has no version " + version);
  }

  /**
   * Validates a StreamingJob (its spec and, if set, its status).
   *
   * @param job the resource
   * @return the violations, empty when valid
   */
  public List<Violation> validate(StreamingJob job) {
    return validate(JSON.valueToTree(job));
  }

  /**
   * Validates a whole resource tree ({@code apiVersion}, {@code kind}, {@code metadata}, {@code
   * spec}, {@code status}); paths start at the root ({@code spec.kafka.outputTopic}).
   *
   * @param resource the resource, e.g. parsed from a manifest
   * @return the violations, empty when valid
   */
  public List<Violation> validate(JsonNode resource) {
    return run(root, resource, "", true);
  }

  /**
   * Validates a spec alone; paths still start with {@code spec.}.
   *
   * @param spec the {@code spec} object
   * @return the violations, empty when valid
   */
  public List<Violation> validateSpec(JsonNode spec) {
    Schema specSchema = root.properties.get("spec");
    if (specSchema == null) {
      throw new IllegalStateException("the CRD schema has no spec");
    }
    return run(specSchema, spec, "spec", false);
  }

  /**
   * The resource with the schema's defaults applied, as the API server stores it: a property with a
   * {@code default} that is absent (or null) from an object that is present gets the default;
   * objects that are absent stay absent.
   *
   * @param resource the resource tree (not modified)
   * @return a defaulted copy
   */
  public JsonNode withDefaults(JsonNode resource) {
    JsonNode copy = resource.deepCopy();
    applyDefaults(copy, root);
    return copy;
  }

  private List<Violation> run(Schema schema, JsonNode node, String path, boolean atRoot) {
    JsonNode copy = node.deepCopy();
    applyDefaults(copy, schema);
    Walk walk = new Walk(atRoot);
    walk.check(copy, schema, path);
    if (walk.typeErrors) {
      walk.violations.add(new Violation(path, RULES_SKIPPED));
    } else {
      walk.evaluateRules();
    }
    return List.copyOf(walk.violations);
  }

  private static void applyDefaults(JsonNode node, Schema schema) {
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, Schema> e : schema.properties.entrySet()) {
        JsonNode child = object.get(e.getKey());
        if ((child == null || child.isNull()) && e.getValue().defaultValue != null) {
          object.set(e.getKey(), e.getValue().defaultValue.deepCopy());
        }
      }
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        Schema child = schema.properties.get(e.getKey());
        if (child == null) {
          child = schema.additionalProperties;
        }
        if (child != null) {
          applyDefaults(e.getValue(), child);
        }
      }
    } else if (node instanceof ArrayNode array && schema.items != null) {
      for (JsonNode item : array) {
        applyDefaults(item, schema.items);
      }
    }
  }

  /** One validation run: OpenAPI checks while walking, CEL rules collected and run at the end. */
  private static final class Walk {
    final List<Violation> violations = new ArrayList<>();
    final List<PendingRule> pending = new ArrayList<>();
    final boolean atRoot;
    boolean typeErrors;

    Walk(boolean atRoot) {
      this.atRoot = atRoot;
    }

    void check(JsonNode node, Schema schema, String path) {
      if (node == null || node.isNull()) {
        return; // the API server prunes nulls of non-nullable fields before validating
      }
      if (!schema.typeMatches(node)) {
        typeErrors = true;
        add(
            path,
            "Invalid value: \""
                + jsonType(node)
                + "\": "
                + path
                + " in body must be of type "
                + schema.type
                + ": \""
                + jsonType(node)
                + "\"");
        return;
      }
      if (!schema.enumValues.isEmpty() && !schema.enumValues.contains(node)) {
        StringBuilder supported = new StringBuilder();
        for (JsonNode v : schema.enumValues) {
          supported.append(supported.length() == 0 ? "" : ", ").append(v);
        }
        add(path, "Unsupported value: " + node + ": supported values: " + supported);
      }
      if (node.isNumber()) {
        checkNumber(node, schema, path);
      } else if (node.isTextual()) {
        checkString(node.asText(), schema, path);
      } else if (node.isArray()) {
        checkArray(node, schema, path);
      } else if (node.isObject()) {
        checkObject(node, schema, path, path.equals("") && atRoot);
      }
      for (Rule rule : schema.rules) {
        pending.add(new PendingRule(rule, node, path));
      }
    }

    private void checkNumber(JsonNode node, Schema schema, String path) {
      double value = node.asDouble();
      if (schema.minimum != null
          && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
        add(
            path,
            "Invalid value: "
                + node
                + ": "
                + path
                + " in body should be greater than "
                + (schema.exclusiveMinimum ? "" : "or equal to ")
                + number(schema.minimum));
      }
      if (schema.maximum != null
          && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
        add(
            path,
            "Invalid value: "
                + node
                + ": "
                + path
                + " in body should be less than "
                + (schema.exclusiveMaximum ? "" : "or equal to ")
                + number(schema.maximum));
      }
    }

    private void checkString(String value, Schema schema, String path) {
      int length = value.codePointCount(0, value.length());
      if (schema.maxLength != null && length > schema.maxLength) {
        add(path, "Too long: may not be more than " + schema.maxLength + " bytes");
      }
      if (schema.minLength != null && length < schema.minLength) {
        add(
            path,
            "Invalid value: \""
                + value
                + "\": "
                + path
                + " in body should be at least "
                + schema.minLength
                + " chars long");
      }
      if (schema.pattern != null && !schema.pattern.matcher(value).find()) {
        add(
            path,
            "Invalid value: \""
                + value
                + "\": "
                + path
                + " in body should match '"
                + schema.pattern.pattern()
                + "'");
      }
    }

    private void checkArray(JsonNode node, Schema schema, String path) {
      if (schema.maxItems != null && node.size() > schema.maxItems) {
        add(path, "Too many: " + node.size() + ": must have at most " + schema.maxItems + " items");
      }
      if (schema.minItems != null && node.size() < schema.minItems) {
        add(
            path,
            "Invalid value: "
                + node.size()
                + ": "
                + path
                + " in body should have at least "
                + schema.minItems
                + " items");
      }
      if (schema.items != null) {
        for (int i = 0; i < node.size(); i++) {
          check(node.get(i), schema.items, path + "[" + i + "]");
        }
      }
    }

    private void checkObject(JsonNode node, Schema schema, String path, boolean resourceRoot) {
      if (schema.maxProperties != null && node.size() > schema.maxProperties) {
        add(
            path,
            "Too many: " + node.size() + ": must have at most " + schema.maxProperties + " items");
      }
      if (schema.minProperties != null && node.size() < schema.minProperties) {
        add(
            path,
            "Invalid value: "
                + node.size()
                + ": "
                + path
                + " in body should have at least "
                + schema.minProperties
                + " properties");
      }
      for (String name : schema.required) {
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
          add(child(path, name), "Required value");
        }
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        Schema child = schema.properties.get(e.getKey());
        if (child != null) {
          check(e.getValue(), child, child(path, e.getKey()));
        } else if (schema.additionalProperties != null) {
          check(e.getValue(), schema.additionalProperties, path + "[" + e.getKey() + "]");
        } else if (resourceRoot && ROOT_FIELDS.contains(e.getKey())) {
          // apiVersion, kind and metadata are validated by the API server itself
        } else if (!schema.preserveUnknownFields && !schema.properties.isEmpty()) {
          add(child(path, e.getKey()), "unknown field \"" + child(path, e.getKey()) + "\"");
        }
      }
    }

    void evaluateRules() {
      for (PendingRule p : pending) {
        Violation v = p.rule.evaluate(p.node, p.path);
        if (v != null) {
          violations.add(v);
        }
      }
    }

    private void add(String path, String message) {
      violations.add(new Violation(path, message));
    }
  }

  private record PendingRule(Rule rule, JsonNode node, String path) {}

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /**
   * A JSON node as a CEL value: object to map, array to list, integer to {@code long}, number to
   * {@code double}; null members are dropped (the API server prunes them).
   */
  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isNull()) {
          map.put(e.getKey(), toCel(e.getValue()));
        }
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static String jsonType(JsonNode node) {
    if (node.isTextual()) {
      return "string";
    }
    if (node.isIntegralNumber()) {
      return "integer";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    if (node.isArray()) {
      return "array";
    }
    return "object";
  }

  /** The compiled schema of one node. */
  private static final class Schema {
    String type;
    final Map<String, Schema> properties = new LinkedHashMap<>();
    final List<String> required = new ArrayList<>();
    Schema items;
    Schema additionalProperties;
    final List<JsonNode> enumValues = new ArrayList<>();
    Double minimum;
    Double maximum;
    boolean exclusiveMinimum;
    boolean exclusiveMaximum;
    Integer minLength;
    Integer maxLength;
    Integer minItems;
    Integer maxItems;
    Integer minProperties;
    Integer maxProperties;
    Pattern pattern;
    JsonNode defaultValue;
    boolean preserveUnknownFields;
    final List<Rule> rules = new ArrayList<>();

    static Schema compile(JsonNode json, Cel cel) {
      Schema s = new Schema();
      s.type = json.hasNonNull("type") ? json.get("type").asText() : null;
      for (Map.Entry<String, JsonNode> e : json.path("properties").properties()) {
        s.properties.put(e.getKey(), compile(e.getValue(), cel));
      }
      json.path("required").forEach(r -> s.required.add(r.asText()));
      if (json.path("items").isObject()) {
        s.items = compile(json.get("items"), cel);
      }
      if (json.path("additionalProperties").isObject()) {
        s.additionalProperties = compile(json.get("additionalProperties"), cel);
      }
      json.path("enum").forEach(s.enumValues::add);
      s.minimum = json.hasNonNull("minimum") ? json.get("minimum").asDouble() : null;
      s.maximum = json.hasNonNull("maximum") ? json.get("maximum").asDouble() : null;
      s.exclusiveMinimum = json.path("exclusiveMinimum").asBoolean(false);
      s.exclusiveMaximum = json.path("exclusiveMaximum").asBoolean(false);
      s.minLength = intOrNull(json, "minLength");
      s.maxLength = intOrNull(json, "maxLength");
      s.minItems = intOrNull(json, "minItems");
      s.maxItems = intOrNull(json, "maxItems");
      s.minProperties = intOrNull(json, "minProperties");
      s.maxProperties = intOrNull(json, "maxProperties");
      // OpenAPI patterns are RE2 as Kubernetes applies them (unanchored search); java.util.regex
      // agrees on the subset RE2 accepts.
      s.pattern = json.hasNonNull("pattern") ? Pattern.compile(json.get("pattern").asText()) : null;
      s.defaultValue = json.get("default");
      s.preserveUnknownFields = json.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      for (JsonNode r : json.path("x-kubernetes-validations")) {
        Rule rule = Rule.compile(r, cel);
        if (rule != null) {
          s.rules.add(rule);
        }
      }
      return s;
    }

    private static Integer intOrNull(JsonNode json, String field) {
      return json.hasNonNull(field) ? json.get(field).asInt() : null;
    }

    boolean typeMatches(JsonNode node) {
      if (type == null) {
        return true;
      }
      return switch (type) {
        case "string" -> node.isTextual();
        case "integer" -> node.isIntegralNumber();
        case "number" -> node.isNumber();
        case "boolean" -> node.isBoolean();
        case "array" -> node.isArray();
        case "object" -> node.isObject();
        default -> true;
      };
    }
  }

  /** One compiled {@code x-kubernetes-validations} entry. */
  private record Rule(
      String expression,
      String message,
      CelRuntime.Program program,
      CelRuntime.Program messageProgram,
      String fieldPath) {

    static Rule compile(JsonNode json, Cel cel) {
      String expression = json.path("rule").asText();
      if (expression.contains("oldSelf")) {
        return null; // a transition rule: only meaningful on update
      }
      String message = json.hasNonNull("message") ? json.get("message").asText() : null;
      String messageExpression =
          json.hasNonNull("messageExpression") ? json.get("messageExpression").asText() : null;
      String fieldPath = json.hasNonNull("fieldPath") ? json.get("fieldPath").asText() : "";
      return new Rule(
          expression,
          message,
          cel.program(expression),
          messageExpression == null ? null : cel.program(messageExpression),
          fieldPath);
    }

    Violation evaluate(JsonNode self, String path) {
      String at =
          fieldPath.isEmpty()
              ? path
              : child(path, fieldPath.startsWith(".") ? fieldPath.substring(1) : fieldPath);
      Object value = toCel(self);
      Object result;
      try {
        result = program.eval(Map.of("self", value));
      } catch (CelEvaluationException e) {
        return new Violation(at, "rule evaluation error: " + expression + ": " + e.getMessage());
      }
      if (Boolean.TRUE.equals(result)) {
        return null;
      }
      return new Violation(at, message(value));
    }

    private String message(Object self) {
      if (messageProgram != null) {
        try {
          Object m = messageProgram.eval(Map.of("self", self));
          if (m instanceof String s && !s.isBlank()) {
            return s;
          }
        } catch (CelEvaluationException e) {
          // fall back to the static message, as the API server does
        }
      }
      return message != null ? message : "failed rule: " + expression;
    }
  }

  /** The CEL environment of the rules: {@code self} of dynamic type, the standard macros. */
  private static final class Cel {
    private final CelCompiler compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("self", SimpleType.DYN)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .build();
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    CelRuntime.Program program(String expression) {
      try {
        CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
        return runtime.createProgram(ast);
      } catch (CelValidationException | CelEvaluationException e) {
        throw new IllegalStateException("CEL rule does not compile: " + expression, e);
      }
    }
  }
}
