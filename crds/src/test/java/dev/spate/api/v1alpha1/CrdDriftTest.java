package dev.spate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed CRD ({@code src/main/resources/META-INF/spate/streamingjobs.spate.dev-v1.yml}) is
 * exactly what fabric8's crd-generator-maven-plugin makes of the classes (in {@code
 * target/generated-crd}, process-classes), with two documented changes: the generator orders
 * printer columns by JSON path, kubectl shows them in list order, so the committed file lists them
 * in the order {@link StreamingJob} declares them; and {@code status.conditions} gets the list-map
 * shape of Kubernetes' {@code metav1.Condition} lists, which the generator has no annotation for
 * ({@link #withConditionListShape}).
 *
 * <p>With {@code -Pregenerate-crd} ({@code spate.crd.regenerate=true}) this test writes the
 * committed file instead of comparing.
 */
class CrdDriftTest {

  static final String FILE = StreamingJob.CRD_NAME + "-v1.yml";
  static final String REGENERATE = "./mvnw -B -pl crds -Pregenerate-crd test";
  private static final String HEADER =
      "# Generated from the classes in dev.spate.api.v1alpha1 by fabric8's crd-generator-maven-plugin\n"
          + "# (printer columns in declaration order). Do not edit: change the classes, then run\n"
          + "#   "
          + REGENERATE
          + "\n";

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  @Test
  void committedCrdIsWhatTheGeneratorMakesOfTheClasses() throws IOException {
    Path generated = dir("spate.crd.generated.dir", "target/generated-crd").resolve(FILE);
    Path committed =
        dir("spate.crd.committed.dir", "src/main/resources/META-INF/spate").resolve(FILE);
    assertThat(generated)
        .as("the crd-generator-maven-plugin output (runs at process-classes)")
        .exists();
    JsonNode expected =
        withConditionListShape(withDeclaredPrinterColumnOrder(YAML.readTree(generated.toFile())));

    if (Boolean.getBoolean("spate.crd.regenerate")) {
      Files.createDirectories(committed.getParent());
      Files.writeString(
          committed, HEADER + YAML.writeValueAsString(expected), StandardCharsets.UTF_8);
    }

    assertThat(committed).exists();
    JsonNode actual = YAML.readTree(committed.toFile());
    if (!actual.equals(expected)) {
      fail(
          "The committed CRD "
              + committed
              + " differs from what the CRD generator makes of the classes in dev.spate.api.v1alpha1"
              + " (first difference at "
              + firstDifference(expected, actual, "")
              + "). Regenerate it with\n  "
              + REGENERATE
              + "\nthen review and commit the file.");
    }
  }

  @Test
  void regeneratedFileReadsBackAsTheSameTree() throws IOException {
    Path generated = dir("spate.crd.generated.dir", "target/generated-crd").resolve(FILE);
    JsonNode expected =
        withConditionListShape(withDeclaredPrinterColumnOrder(YAML.readTree(generated.toFile())));
    assertThat(YAML.readTree(HEADER + YAML.writeValueAsString(expected))).isEqualTo(expected);
  }

  /**
   * {@code status.conditions} shaped as Kubernetes' own {@code metav1.Condition} lists, which the
   * generator has no annotation for: a list-map keyed by {@code type} ({@code
   * x-kubernetes-list-type: map}, {@code x-kubernetes-list-map-keys: [type]}; at most one condition
   * per type, merged by type) and {@code lastTransitionTime} with {@code format: date-time}.
   */
  static JsonNode withConditionListShape(JsonNode crd) {
    JsonNode copy = crd.deepCopy();
    for (JsonNode version : copy.path("spec").path("versions")) {
      JsonNode conditions =
          version.at("/schema/openAPIV3Schema/properties/status/properties/conditions");
      if (conditions instanceof ObjectNode list) {
        list.put("x-kubernetes-list-type", "map");
        list.putArray("x-kubernetes-list-map-keys").add("type");
        if (list.at("/items/properties/lastTransitionTime") instanceof ObjectNode time) {
          time.put("format", "date-time");
        }
      }
    }
    return copy;
  }

  /** Printer columns sorted as {@link StreamingJob}'s {@code @AdditionalPrinterColumn}s are. */
  static JsonNode withDeclaredPrinterColumnOrder(JsonNode crd) {
    List<String> order =
        List.of(StreamingJob.class.getAnnotationsByType(AdditionalPrinterColumn.class)).stream()
            .map(AdditionalPrinterColumn::name)
            .toList();
    JsonNode copy = crd.deepCopy();
    for (JsonNode version : copy.path("spec").path("versions")) {
      if (version.get("additionalPrinterColumns") instanceof ArrayNode columns) {
        List<JsonNode> sorted = new ArrayList<>();
        columns.forEach(sorted::add);
        sorted.sort(
            Comparator.comparingInt(
                c -> {
                  int i = order.indexOf(c.path("name").asText());
                  return i < 0 ? Integer.MAX_VALUE : i;
                }));
        ((ObjectNode) version).set("additionalPrinterColumns", columns.removeAll().addAll(sorted));
      }
    }
    return copy;
  }

  private static Path dir(String property, String fallback) {
    String value = System.getProperty(property);
    return Path.of(value != null && !value.isBlank() ? value : fallback);
  }

  private static String firstDifference(JsonNode expected, JsonNode actual, String path) {
    if (expected == null || actual == null || expected.getNodeType() != actual.getNodeType()) {
      return path.isEmpty() ? "/" : path;
    }
    if (expected.isObject()) {
      for (Map.Entry<String, JsonNode> e : expected.properties()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) {
          return firstDifference(e.getValue(), actual.get(e.getKey()), path + "/" + e.getKey());
        }
      }
      for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!expected.has(name)) {
          return path + "/" + name;
        }
      }
    } else if (expected.isArray()) {
      for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
        if (i >= expected.size() || i >= actual.size() || !expected.get(i).equals(actual.get(i))) {
          return firstDifference(expected.get(i), actual.get(i), path + "/" + i);
        }
      }
    }
    return path.isEmpty() ? "/" : path;
  }
}
