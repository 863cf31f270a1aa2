package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ObjectSelectorTest {

  private static final JsonNode POD =
      SandboxDispatcher.readTree(
          "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"labels\":{\"role\":\"executor\",\"id\":\"3\"}},"
              + "\"status\":{\"phase\":\"Running\"}}");

  private static boolean matches(String labels, String fields) {
    return ObjectSelector.parse(labels, fields).test(POD);
  }

  @Test
  void equalityAndExistence() {
    assertThat(matches("role=executor", null)).isTrue();
    assertThat(matches("role==executor,id=3", null)).isTrue();
    assertThat(matches("role!=executor", null)).isFalse();
    assertThat(matches("missing!=x", null)).isTrue();
    assertThat(matches("role", null)).isTrue();
    assertThat(matches("!role", null)).isFalse();
    assertThat(matches("!missing", null)).isTrue();
  }

  @Test
  void setBased() {
    assertThat(matches("id in (1,2,3)", null)).isTrue();
    assertThat(matches("id in (1, 2)", null)).isFalse();
    assertThat(matches("id notin (1,2)", null)).isTrue();
    assertThat(matches("missing notin (1)", null)).isTrue();
    assertThat(matches("missing in (1)", null)).isFalse();
    assertThat(matches("role=executor,id notin (3)", null)).isFalse();
  }

  @Test
  void fields() {
    assertThat(matches(null, "status.phase=Running")).isTrue();
    assertThat(matches(null, "status.phase!=Running")).isFalse();
    assertThat(matches(null, "metadata.name==p,metadata.namespace=ns")).isTrue();
    assertThat(matches(null, "spec.nodeName=")).isTrue();
    assertThat(matches("role=executor", "status.phase=Pending")).isFalse();
    assertThat(ObjectSelector.parse("", " ").isEverything()).isTrue();
  }

  @Test
  void badSyntaxIsRejectedWithTheRequirement() {
    assertThatThrownBy(() -> ObjectSelector.parse("id in 1,2", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id in 1");
    assertThatThrownBy(() -> ObjectSelector.parse(null, "status.phase"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status.phase");
  }
}
