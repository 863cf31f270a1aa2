package dev.spate.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs deploy/argocd/health.lua the way Argo CD does (the object as the global {@code obj}, the
 * script returns a table with {@code status} and {@code message}) on every case of
 * deploy/argocd/health_test.yaml, Argo CD's own test format; checks that the argocd-cm snippet
 * embeds the script verbatim and that every status fixture is used.
 */
class ArgoCdHealthTest {

  static final Path ARGOCD = Path.of("../deploy/argocd");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Converts a JSON tree to Lua values as Argo CD does for an unstructured object. */
  static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.longValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }

  /**
   * @return {@code [status, message]} health.lua gives for the object
   */
  static String[] health(JsonNode object) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(object));
    LuaValue result =
        globals.load(Files.readString(ARGOCD.resolve("health.lua")), "health.lua").call();
    return new String[] {result.get("status").tojstring(), result.get("message").tojstring()};
  }

  @Test
  void everyCaseGivesItsHealth() throws IOException {
    JsonNode cases = YAML.readTree(ARGOCD.resolve("health_test.yaml").toFile()).path("tests");
    assertThat(cases.size()).isGreaterThanOrEqualTo(10);
    Set<String> statuses = new TreeSet<>();
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases) {
      String input = c.path("inputPath").asText();
      String[] got = health(YAML.readTree(ARGOCD.resolve(input).toFile()));
      String want = c.path("healthStatus").path("status").asText();
      String wantMessage = c.path("healthStatus").path("message").asText();
      statuses.add(got[0]);
      if (!want.equals(got[0]) || !wantMessage.equals(got[1])) {
        failures.add(
            input
                + ": want "
                + want
                + " '"
                + wantMessage
                + "', got "
                + got[0]
                + " '"
                + got[1]
                + "'");
      }
    }
    assertThat(failures).isEmpty();
    assertThat(statuses)
        .as("every Argo CD health the script can give is exercised")
        .containsExactlyInAnyOrder("Healthy", "Progressing", "Suspended", "Degraded");
  }

  @Test
  void everyFixtureHasACase() throws IOException {
    Set<String> used = new TreeSet<>();
    YAML.readTree(ARGOCD.resolve("health_test.yaml").toFile())
        .path("tests")
        .forEach(c -> used.add(c.path("inputPath").asText()));
    Set<String> fixtures = new TreeSet<>();
    try (Stream<Path> files = Files.list(ARGOCD.resolve("testdata"))) {
      files.forEach(f -> fixtures.add("testdata/" + f.getFileName()));
    }
    assertThat(used).isEqualTo(fixtures);
  }

  @Test
  void argocdCmEmbedsTheScriptVerbatim() throws IOException {
    JsonNode cm = YAML.readTree(ARGOCD.resolve("argocd-cm.yaml").toFile());
    assertThat(cm.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
    assertThat(
            cm.path("data").path("resource.customizations.health.spate.dev_StreamingJob").asText())
        .isEqualTo(Files.readString(ARGOCD.resolve("health.lua")));
  }
}
