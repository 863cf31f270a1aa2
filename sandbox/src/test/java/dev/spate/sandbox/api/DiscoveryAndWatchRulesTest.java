package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.APIResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure parts of what kubectl reads: discovery, OpenAPI v3, watch replay rules, log tails. */
class DiscoveryAndWatchRulesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private static ApiResources withWidgets() throws Exception {
    return ApiResources.of(
        List.of(
            json(
                """
                {"spec": {"group": "example.dev", "scope": "Cluster",
                  "names": {"kind": "Widget", "plural": "widgets", "singular": "widget",
                            "shortNames": ["wd"], "categories": ["all"]},
                  "versions": [
                    {"name": "v1", "served": true, "subresources": {"status": {}},
                     "schema": {"openAPIV3Schema": {"type": "object",
                       "properties": {"spec": {"type": "object", "description": "what it is"}}}}},
                    {"name": "v0", "served": false, "schema": {"openAPIV3Schema": {}}}]}}
                """)));
  }

  @Test
  void discoveryListsBuiltInTypesAndServedCrdVersions() throws Exception {
    ApiResources r = withWidgets();
    assertThat(r.coreVersions().getVersions()).containsExactly("v1");
    assertThat(r.groups().getGroups())
        .anySatisfy(
            g -> {
              assertThat(g.getName()).isEqualTo("example.dev");
              assertThat(g.getPreferredVersion().getGroupVersion()).isEqualTo("example.dev/v1");
              assertThat(g.getVersions()).hasSize(1);
            });
    List<APIResource> widgets = r.resourceList("/apis/example.dev/v1").orElseThrow().getResources();
    assertThat(widgets)
        .extracting(APIResource::getName)
        .containsExactly("widgets", "widgets/status");
    APIResource w = widgets.get(0);
    assertThat(w.getNamespaced()).isFalse();
    assertThat(w.getShortNames()).containsExactly("wd");
    assertThat(w.getCategories()).containsExactly("all");
    assertThat(w.getVerbs()).contains("get", "list", "watch", "patch", "create", "delete");
    assertThat(r.resourceList("/apis/example.dev/v0")).isEmpty();
    assertThat(r.resourceList("/api/v1").orElseThrow().getResources())
        .extracting(APIResource::getName)
        .contains("pods", "pods/log", "services", "configmaps", "events", "namespaces");
  }

  @Test
  void openApiV3HasAPathPerGroupVersionAndTheCrdSchemaForExplain() throws Exception {
    OpenApiV3 openApi = new OpenApiV3(withWidgets(), "v1.32.0");
    JsonNode index = openApi.index();
    assertThat(index.path("paths").path("apis/example.dev/v1").path("serverRelativeURL").asText())
        .startsWith("/openapi/v3/apis/example.dev/v1?hash=");
    assertThat(index.path("paths").has("api/v1")).isTrue();
    JsonNode doc = openApi.document("apis/example.dev/v1").orElseThrow();
    JsonNode schema = doc.path("components").path("schemas").path("dev.example.v1.Widget");
    assertThat(schema.path("properties").path("spec").path("description").asText())
        .isEqualTo("what it is");
    assertThat(schema.path("x-kubernetes-group-version-kind").get(0).path("kind").asText())
        .isEqualTo("Widget");
    JsonNode patch = doc.path("paths").path("/apis/example.dev/v1/widgets/{name}").path("patch");
    assertThat(patch.path("parameters").get(0).path("name").asText()).isEqualTo("fieldValidation");
  }

  @Test
  void aWatchFromAResourceVersionSkipsReplayedObjectsItAlreadyHas() throws Exception {
    JsonNode replayedOld =
        json("{\"type\": \"ADDED\", \"object\": {\"metadata\": {\"resourceVersion\": \"5\"}}}");
    JsonNode replayedNew =
        json("{\"type\": \"ADDED\", \"object\": {\"metadata\": {\"resourceVersion\": \"9\"}}}");
    JsonNode modified =
        json("{\"type\": \"MODIFIED\", \"object\": {\"metadata\": {\"resourceVersion\": \"4\"}}}");
    assertThat(KubectlServer.isNews(replayedOld, 7)).isFalse();
    assertThat(KubectlServer.isNews(replayedNew, 7)).isTrue();
    assertThat(KubectlServer.isNews(modified, 7)).isTrue();
    assertThat(KubectlServer.isNews(replayedOld, 0)).as("no resourceVersion: everything").isTrue();
    assertThat(KubectlServer.startingResourceVersion(null)).isZero();
    assertThat(KubectlServer.startingResourceVersion("12")).isEqualTo(12);
    assertThat(KubectlServer.startingResourceVersion("x")).isZero();
  }

  @Test
  void tombstonesAreFilteredByTypeNamespaceSelectorAndVersion() throws Exception {
    Tombstones t = new Tombstones();
    ApiPath a = ApiPath.parse("/api/v1/namespaces/ns/pods/a");
    t.add(
        a,
        json(
            "{\"metadata\": {\"name\": \"a\", \"namespace\": \"ns\", \"resourceVersion\": \"3\"}}"),
        10);
    t.add(
        ApiPath.parse("/api/v1/namespaces/other/pods/b"),
        json("{\"metadata\": {\"name\": \"b\", \"namespace\": \"other\"}}"),
        11);
    List<JsonNode> seen =
        t.since(
            ApiPath.parse("/api/v1/namespaces/ns/pods?watch=true&fieldSelector=metadata.name%3Da"),
            9);
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).path("metadata").path("resourceVersion").asText()).isEqualTo("10");
    assertThat(t.since(ApiPath.parse("/api/v1/namespaces/ns/pods?watch=true"), 10)).isEmpty();
    assertThat(t.since(ApiPath.parse("/api/v1/pods?watch=true"), 0)).hasSize(2);
    assertThat(t.since(ApiPath.parse("/api/v1/namespaces/ns/configmaps?watch=true"), 0)).isEmpty();
  }

  @Test
  void tailKeepsTheLastLines() {
    assertThat(KubectlFeatures.tail("a\nb\nc\n", "2")).isEqualTo("b\nc\n");
    assertThat(KubectlFeatures.tail("a\nb\nc", "1")).isEqualTo("c");
    assertThat(KubectlFeatures.tail("a\nb\n", "5")).isEqualTo("a\nb\n");
    assertThat(KubectlFeatures.tail("a\nb\n", null)).isEqualTo("a\nb\n");
    assertThat(KubectlFeatures.tail("a\nb\n", "-1")).isEqualTo("a\nb\n");
  }
}
