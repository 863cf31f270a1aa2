package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admission of custom resources, on a small CRD of its own (independent of Spate's schema). */
class AdmissionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  private static ApiResources.Resource widgets() throws Exception {
    JsonNode crd =
        json(
            """
            {"spec": {"group": "example.dev", "scope": "Namespaced",
              "names": {"kind": "Widget", "plural": "widgets"},
              "versions": [{"name": "v1", "served": true, "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {"spec": {"type": "object", "required": ["size"],
                  "x-kubernetes-validations": [{"rule": "!has(self.size) || self.size <= self.max",
                                                "message": "size must not exceed max"}],
                  "properties": {"size": {"type": "integer", "minimum": 1},
                                 "max": {"type": "integer", "default": 10}}}}}}}]}}
            """);
    return ApiResources.of(List.of(crd)).find("/apis/example.dev/v1", "widgets").orElseThrow();
  }

  private static JsonNode widget(String spec) throws Exception {
    return json(
        "{\"apiVersion\": \"example.dev/v1\", \"kind\": \"Widget\", \"metadata\": {\"name\": \"w\"},"
            + " \"spec\": "
            + spec
            + "}");
  }

  @Test
  void validObjectIsStoredWithTheSchemaDefaults() throws Exception {
    Admission.Outcome out = new Admission().admit(widgets(), widget("{\"size\": 3}"), "Strict");
    assertThat(out.admitted()).isTrue();
    assertThat(out.object().path("spec").path("max").asInt()).isEqualTo(10);
  }

  @Test
  void invalidObjectGetsTheApiServersInvalidStatus() throws Exception {
    Admission admission = new Admission();
    Admission.Outcome missing = admission.admit(widgets(), widget("{}"), null);
    assertThat(missing.code()).isEqualTo(422);
    assertThat(missing.status().path("reason").asText()).isEqualTo("Invalid");
    assertThat(missing.status().path("message").asText())
        .isEqualTo("Widget.example.dev \"w\" is invalid: spec.size: Required value");
    JsonNode cause = missing.status().path("details").path("causes").get(0);
    assertThat(cause.path("reason").asText()).isEqualTo("FieldValueRequired");
    assertThat(cause.path("field").asText()).isEqualTo("spec.size");
    assertThat(missing.status().path("details").path("kind").asText()).isEqualTo("Widget");

    Admission.Outcome two = admission.admit(widgets(), widget("{\"size\": 0, \"max\": -1}"), null);
    assertThat(two.status().path("message").asText())
        .startsWith("Widget.example.dev \"w\" is invalid: [")
        .contains(
            "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1")
        .contains("spec: size must not exceed max");
  }

  @Test
  void unknownFieldsAreRefusedOnlyWhenStrict() throws Exception {
    Admission admission = new Admission();
    JsonNode w = widget("{\"size\": 1, \"colour\": \"red\"}");
    Admission.Outcome strict = admission.admit(widgets(), w, "Strict");
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.status().path("message").asText())
        .isEqualTo(
            "Widget in version \"v1\" cannot be handled as a Widget: strict decoding error:"
                + " unknown field \"spec.colour\"");
    assertThat(admission.admit(widgets(), w, "Ignore").admitted()).isTrue();
    assertThat(admission.admit(widgets(), w, null).admitted()).isTrue();
  }

  @Test
  void statusIsNotValidated() throws Exception {
    JsonNode w =
        json(
            "{\"metadata\": {\"name\": \"w\"}, \"spec\": {\"size\": 1},"
                + " \"status\": {\"anything\": true}}");
    assertThat(new Admission().admit(widgets(), w, "Strict").admitted()).isTrue();
  }

  @Test
  void patchesFollowTheirContentType() throws Exception {
    JsonNode current = json("{\"spec\": {\"size\": 1, \"tags\": [\"a\", \"b\"], \"max\": 4}}");
    assertThat(
            Admission.applyPatch(
                "application/merge-patch+json",
                current,
                json("{\"spec\": {\"size\": 2, \"max\": null, \"tags\": [\"c\"]}}")))
        .isEqualTo(json("{\"spec\": {\"size\": 2, \"tags\": [\"c\"]}}"));
    assertThat(
            Admission.applyPatch(
                "application/json-patch+json",
                current,
                json("[{\"op\": \"replace\", \"path\": \"/spec/size\", \"value\": 5}]")))
        .isEqualTo(json("{\"spec\": {\"size\": 5, \"tags\": [\"a\", \"b\"], \"max\": 4}}"));
    assertThat(
            Admission.applyPatch(
                "application/strategic-merge-patch+json",
                current,
                json("{\"spec\": {\"size\": 3}}")))
        .isEqualTo(json("{\"spec\": {\"size\": 3, \"tags\": [\"a\", \"b\"], \"max\": 4}}"));
    assertThatThrownBy(
            () -> Admission.applyPatch("application/apply-patch+yaml", current, json("{}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
