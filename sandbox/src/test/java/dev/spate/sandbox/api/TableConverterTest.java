package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableConverterTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-30T12:10:00Z");

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private static ApiResources.Resource widgets() throws Exception {
    JsonNode crd =
        json(
            """
            {"spec": {"group": "example.dev", "scope": "Namespaced",
              "names": {"kind": "Widget", "plural": "widgets", "shortNames": ["wd"]},
              "versions": [{"name": "v1", "served": true,
                "subresources": {"status": {}},
                "schema": {"openAPIV3Schema": {"type": "object"}},
                "additionalPrinterColumns": [
                  {"name": "Phase", "type": "string", "jsonPath": ".status.phase"},
                  {"name": "Lag", "type": "integer", "jsonPath": ".status.lag"},
                  {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
                  {"name": "Message", "type": "string", "priority": 1,
                   "jsonPath": ".status.conditions[?(@.type==\\"Ready\\")].message"}]}]}}
            """);
    return ApiResources.of(List.of(crd)).find("/apis/example.dev/v1", "widgets").orElseThrow();
  }

  private static List<Object> cells(JsonNode row) {
    List<Object> out = new ArrayList<>();
    row.path("cells")
        .forEach(c -> out.add(c.isNull() ? null : c.isNumber() ? c.asLong() : c.asText()));
    return out;
  }

  @Test
  void customResourceRowsFollowThePrinterColumns() throws Exception {
    JsonNode list =
        json(
            """
            {"kind": "WidgetList", "metadata": {"resourceVersion": "42"}, "items": [
              {"metadata": {"name": "a", "namespace": "ns", "creationTimestamp": "2026-11-30T12:05:00Z",
                            "resourceVersion": "41"},
               "status": {"phase": "Running", "lag": 1204,
                          "conditions": [{"type": "Progressing", "message": "no"},
                                         {"type": "Ready", "message": "all good"}]}},
              {"metadata": {"name": "b", "creationTimestamp": "2026-11-28T12:10:00Z"}}]}
            """);
    ObjectNode table =
        TableConverter.of(widgets(), NOW).list(list, TableConverter.IncludeObject.METADATA);

    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("42");
    List<String> names = new ArrayList<>();
    List<Integer> priorities = new ArrayList<>();
    table.path("columnDefinitions").forEach(c -> names.add(c.path("name").asText()));
    table.path("columnDefinitions").forEach(c -> priorities.add(c.path("priority").asInt()));
    assertThat(names).containsExactly("Name", "Phase", "Lag", "Age", "Message");
    assertThat(priorities).containsExactly(0, 0, 0, 0, 1);
    assertThat(cells(table.path("rows").get(0)))
        .containsExactly("a", "Running", 1204L, "5m", "all good");
    assertThat(cells(table.path("rows").get(1))).containsExactly("b", null, null, "2d", null);
    JsonNode object = table.path("rows").get(0).path("object");
    assertThat(object.path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(object.path("metadata").path("namespace").asText()).isEqualTo("ns");
    assertThat(object.has("status")).isFalse();
  }

  @Test
  void watchEventsCarryColumnDefinitionsOnlyWhenAsked() throws Exception {
    TableConverter c = TableConverter.of(widgets(), NOW);
    JsonNode widget = json("{\"metadata\": {\"name\": \"a\", \"resourceVersion\": \"7\"}}");
    assertThat(
            c.single(widget, TableConverter.IncludeObject.OBJECT, true).path("columnDefinitions"))
        .hasSize(5);
    ObjectNode later = c.single(widget, TableConverter.IncludeObject.NONE, false);
    assertThat(later.path("columnDefinitions")).isEmpty();
    assertThat(later.path("rows").get(0).has("object")).isFalse();
    assertThat(later.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
  }

  @Test
  void podsShowReadyStatusRestartsAsKubectlDoes() throws Exception {
    ApiResources.Resource pods = ApiResources.of(List.of()).find("/api/v1", "pods").orElseThrow();
    JsonNode pod =
        json(
            """
            {"metadata": {"name": "driver", "creationTimestamp": "2026-11-30T12:09:30Z"},
             "spec": {"containers": [{"name": "c"}]},
             "status": {"phase": "Running", "podIP": "127.0.0.1",
                        "containerStatuses": [{"ready": true, "restartCount": 2,
                                               "state": {"running": {}}}]}}
            """);
    ObjectNode table =
        TableConverter.of(pods, NOW).single(pod, TableConverter.IncludeObject.NONE, true);
    assertThat(cells(table.path("rows").get(0)))
        .containsExactly(
            "driver", "1/1", "Running", 2L, "30s", "127.0.0.1", "<none>", "<none>", "<none>");

    ((ObjectNode) pod.path("metadata")).put("deletionTimestamp", "2026-11-30T12:10:00Z");
    assertThat(TableConverter.podStatus(pod)).isEqualTo("Terminating");
    JsonNode failed =
        json(
            """
            {"status": {"phase": "Failed", "containerStatuses": [
               {"state": {"terminated": {"reason": "Error", "exitCode": 1}}}]}}
            """);
    assertThat(TableConverter.podStatus(failed)).isEqualTo("Error");
  }

  @Test
  void eventsNameTheirObject() throws Exception {
    ApiResources.Resource events =
        ApiResources.of(List.of()).find("/api/v1", "events").orElseThrow();
    JsonNode event =
        json(
            """
            {"metadata": {"name": "e1"}, "type": "Normal", "reason": "DriverCreated",
             "message": "Created driver pod", "lastTimestamp": "2026-11-30T12:08:00Z",
             "involvedObject": {"kind": "StreamingJob", "name": "flights"}}
            """);
    ObjectNode table =
        TableConverter.of(events, NOW).single(event, TableConverter.IncludeObject.NONE, true);
    assertThat(cells(table.path("rows").get(0)).subList(0, 6))
        .containsExactly(
            "e1", "2m", "Normal", "DriverCreated", "streamingjob/flights", "Created driver pod");
  }
}
