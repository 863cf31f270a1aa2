package dev.spate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spate.api.validation.CrdRuleEvaluator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl explain streamingjob.spec...} helps only if every field says what it is: every
 * property of the committed CRD's schema, at any depth, has a description (generated from the
 * {@code @JsonPropertyDescription} on the model's fields).
 *
 * <p>Fields typed with Kubernetes' own {@code core/v1} types ({@link PodSettings}: {@code
 * imagePullSecrets}, {@code tolerations}, {@code affinity}) need a description of their own that
 * names the pod field they stand for; their inner fields are Kubernetes' and explained by {@code
 * kubectl explain pod.spec.<field>}, so they are not walked.
 */
class CrdDescriptionsTest {

  /** Fields of Kubernetes core/v1 types; their description must point at the pod's field. */
  private static final List<String> KUBERNETES_TYPED =
      List.of("imagePullSecrets", "tolerations", "affinity");

  @Test
  void everyFieldHasADescription() throws IOException {
    JsonNode schema;
    try (InputStream in =
        CrdRuleEvaluator.class
            .getClassLoader()
            .getResourceAsStream(CrdRuleEvaluator.STREAMING_JOB_CRD)) {
      schema =
          new ObjectMapper(new YAMLFactory())
              .readTree(in)
              .at("/spec/versions/0/schema/openAPIV3Schema");
    }
    List<String> undescribed = new ArrayList<>();
    List<String> described = new ArrayList<>();
    walk(schema.get("properties").get("spec"), "spec", undescribed, described);
    walk(schema.get("properties").get("status"), "status", undescribed, described);
    assertThat(undescribed).as("fields without a description").isEmpty();
    assertThat(described)
        .contains(
            "spec.kafka.inputTopics",
            "status.kafka.lag",
            "spec.driver.affinity",
            "spec.executor.tolerations")
        .hasSizeGreaterThan(70);
  }

  private static void walk(
      JsonNode node, String path, List<String> undescribed, List<String> described) {
    String description = node.path("description").asText("");
    if (description.isBlank()) {
      undescribed.add(path);
    } else {
      described.add(path);
    }
    String field = path.substring(path.lastIndexOf('.') + 1);
    if (KUBERNETES_TYPED.contains(field)) {
      if (!description.contains("kubectl explain pod.spec." + field)) {
        undescribed.add(path + " (must name kubectl explain pod.spec." + field + ")");
      }
      return;
    }
    JsonNode properties = node.path("properties");
    for (Map.Entry<String, JsonNode> e : properties.properties()) {
      walk(e.getValue(), path + "." + e.getKey(), undescribed, described);
    }
    JsonNode items = node.path("items").path("properties");
    for (Map.Entry<String, JsonNode> e : items.properties()) {
      walk(e.getValue(), path + "[]." + e.getKey(), undescribed, described);
    }
  }
}
