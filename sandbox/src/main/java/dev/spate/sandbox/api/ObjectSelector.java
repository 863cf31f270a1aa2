package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A Kubernetes list selector — the {@code labelSelector} and {@code fieldSelector} query parameters
 * of a list, watch or delete-collection request — evaluated on an object's JSON.
 *
 * <p>Label requirements follow the API server's set-based grammar
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/): {@code key}, {@code
 * !key}, {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (v1,v2)}, {@code
 * key notin (v1,v2)}; {@code !=} and {@code notin} also match objects without the label. Field
 * requirements are {@code path=value}, {@code path==value} and {@code path!=value} on a dotted path
 * such as {@code metadata.name} or {@code status.phase}; a missing field compares as the empty
 * string, as the API server does. All requirements must hold.
 *
 * <p>Immutable and thread-safe; a pure function of the object's JSON.
 */
public final class ObjectSelector implements Predicate<JsonNode> {

  private static final ObjectSelector EVERYTHING = new ObjectSelector(List.of());

  private final List<Predicate<JsonNode>> requirements;

  private ObjectSelector(List<Predicate<JsonNode>> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /**
   * @return the selector that matches every object
   */
  public static ObjectSelector everything() {
    return EVERYTHING;
  }

  /**
   * Parses the two query parameters.
   *
   * @param labelSelector URL-decoded {@code labelSelector}, or null/blank for none
   * @param fieldSelector URL-decoded {@code fieldSelector}, or null/blank for none
   * @return the selector (all requirements must hold)
   * @throws IllegalArgumentException when a requirement does not parse, naming it
   */
  public static ObjectSelector parse(String labelSelector, String fieldSelector) {
    List<Predicate<JsonNode>> requirements = new ArrayList<>();
    for (String requirement : splitRequirements(labelSelector)) {
      requirements.add(parseLabelRequirement(requirement));
    }
    for (String requirement : splitRequirements(fieldSelector)) {
      requirements.add(parseFieldRequirement(requirement));
    }
    return requirements.isEmpty() ? EVERYTHING : new ObjectSelector(requirements);
  }

  /**
   * @return true when this selector has no requirement
   */
  public boolean isEverything() {
    return requirements.isEmpty();
  }

  @Override
  public boolean test(JsonNode object) {
    for (Predicate<JsonNode> requirement : requirements) {
      if (!requirement.test(object)) {
        return false;
      }
    }
    return true;
  }

  /** Splits on commas that are not inside a {@code (...)} value set. */
  static List<String> splitRequirements(String selector) {
    List<String> parts = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return parts;
    }
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : selector.toCharArray()) {
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        parts.add(current.toString().trim());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString().trim());
    parts.removeIf(String::isEmpty);
    return parts;
  }

  private static Predicate<JsonNode> parseLabelRequirement(String requirement) {
    java.util.regex.Matcher set =
        java.util.regex.Pattern.compile("^([^\\s!=(),]+)\\s+(in|notin)\\s*\\(([^)]*)\\)$")
            .matcher(requirement);
    if (set.matches()) {
      String key = set.group(1);
      Set<String> values = Set.copyOf(splitValues(set.group(3)));
      boolean in = set.group(2).equals("in");
      return object -> {
        String actual = label(object, key);
        return in
            ? actual != null && values.contains(actual)
            : actual == null || !values.contains(actual);
      };
    }
    java.util.regex.Matcher op =
        java.util.regex.Pattern.compile("^([^\\s!=(),]+)\\s*(==|=|!=)\\s*([^\\s!=(),]*)$")
            .matcher(requirement);
    if (op.matches()) {
      String key = op.group(1);
      String value = op.group(3);
      if (op.group(2).equals("!=")) {
        return object -> !value.equals(label(object, key));
      }
      return object -> value.equals(label(object, key));
    }
    if (requirement.matches("^![^\\s!=(),]+$")) {
      String key = requirement.substring(1);
      return object -> label(object, key) == null;
    }
    if (requirement.matches("^[^\\s!=(),]+$")) {
      return object -> label(object, requirement) != null;
    }
    throw new IllegalArgumentException("unable to parse label requirement: '" + requirement + "'");
  }

  private static Predicate<JsonNode> parseFieldRequirement(String requirement) {
    java.util.regex.Matcher op =
        java.util.regex.Pattern.compile("^([A-Za-z0-9_.]+)\\s*(==|=|!=)\\s*(.*)$")
            .matcher(requirement);
    if (!op.matches()) {
      throw new IllegalArgumentException(
          "unable to parse field requirement: '" + requirement + "'");
    }
    String[] path = op.group(1).split("\\.");
    String value = op.group(3).trim();
    boolean equal = !op.group(2).equals("!=");
    return object -> {
      JsonNode node = object;
      for (String segment : path) {
        node = node == null ? null : node.get(segment);
      }
      String actual = node == null || node.isNull() ? "" : node.asText();
      return equal == value.equals(actual);
    };
  }

  private static List<String> splitValues(String values) {
    List<String> out = new ArrayList<>();
    for (String v : values.split(",")) {
      if (!v.isBlank()) {
        out.add(v.trim());
      }
    }
    return out;
  }

  private static String label(JsonNode object, String key) {
    JsonNode labels = object.path("metadata").path("labels");
    JsonNode value = labels.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }
}
