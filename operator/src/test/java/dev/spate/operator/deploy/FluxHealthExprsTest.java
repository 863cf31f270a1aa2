package dev.spate.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Evaluates the StreamingJob {@code healthCheckExprs} of deploy/flux/flux-kustomization.yaml the
 * way Flux's kustomize-controller does (Flux RFC-0009): in progress while {@code
 * status.observedGeneration} differs from {@code metadata.generation}; else {@code inProgress},
 * {@code failed}, {@code current} in that order, the first true wins, none true is in progress. The
 * object's top-level fields are the variables ({@code metadata}, {@code spec}, {@code status}, maps
 * of dynamic values as Flux's struct variables); expressions are type-checked to bool. Cases:
 * deploy/flux/health_test.yaml on the Argo CD status fixtures.
 */
class FluxHealthExprsTest {

  private static final Path FLUX = Path.of("../deploy/flux");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final MapType STRUCT = MapType.create(SimpleType.STRING, SimpleType.DYN);
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .addVar("apiVersion", SimpleType.STRING)
          .addVar("kind", SimpleType.STRING)
          .addVar("metadata", STRUCT)
          .addVar("spec", STRUCT)
          .addVar("status", STRUCT)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private static JsonNode healthCheck() throws IOException {
    JsonNode kustomization = YAML.readTree(FLUX.resolve("flux-kustomization.yaml").toFile());
    for (JsonNode check : kustomization.path("spec").path("healthCheckExprs")) {
      if ("StreamingJob".equals(check.path("kind").asText())) {
        assertThat(check.path("apiVersion").asText()).isEqualTo("spate.dev/v1alpha1");
        return check;
      }
    }
    throw new AssertionError("no StreamingJob entry in healthCheckExprs");
  }

  private static CelRuntime.Program compile(String expression) throws Exception {
    CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
    assertThat(ast.getResultType()).as("%s", expression).isEqualTo(SimpleType.BOOL);
    return RUNTIME.createProgram(ast);
  }

  /** JSON to CEL values: object to map, array to list, integer to long, number to double. */
  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
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

  /**
   * @return Current, InProgress or Failed; an expression that does not evaluate (e.g. no status
   *     yet: cel-go reports the unbound variable as an error, this engine as absent) leaves Flux
   *     waiting, reported here as InProgress
   */
  static String status(JsonNode object) throws Exception {
    JsonNode observed = object.path("status").path("observedGeneration");
    if (observed.isIntegralNumber()
        && observed.asLong() != object.path("metadata").path("generation").asLong()) {
      return "InProgress";
    }
    Map<String, Object> vars = new HashMap<>();
    object.properties().forEach(e -> vars.put(e.getKey(), toCel(e.getValue())));
    JsonNode check = healthCheck();
    for (String[] step :
        new String[][] {
          {"inProgress", "InProgress"}, {"failed", "Failed"}, {"current", "Current"}
        }) {
      if (!check.hasNonNull(step[0])) {
        continue;
      }
      try {
        if (Boolean.TRUE.equals(compile(check.path(step[0]).asText()).eval(vars))) {
          return step[1];
        }
      } catch (CelEvaluationException e) {
        return "InProgress";
      }
    }
    return "InProgress";
  }

  @Test
  void expressionsCompileToBool() throws Exception {
    JsonNode check = healthCheck();
    for (String field : List.of("inProgress", "failed", "current")) {
      assertThat(check.hasNonNull(field)).as(field).isTrue();
      compile(check.path(field).asText());
    }
  }

  @Test
  void everyCaseGivesItsStatus() throws Exception {
    JsonNode cases = YAML.readTree(FLUX.resolve("health_test.yaml").toFile()).path("tests");
    Set<String> fixtures = new TreeSet<>();
    Set<String> statuses = new TreeSet<>();
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases) {
      String input = c.path("inputPath").asText();
      fixtures.add(Path.of(input).getFileName().toString());
      String got = status(YAML.readTree(FLUX.resolve(input).toFile()));
      statuses.add(got);
      if (!c.path("status").asText().equals(got)) {
        failures.add(input + ": want " + c.path("status").asText() + ", got " + got);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(statuses).contains("Current", "InProgress", "Failed");
    // the same fixtures as the Argo CD health check, every one
    Set<String> argo = new TreeSet<>();
    try (var files = java.nio.file.Files.list(ArgoCdHealthTest.ARGOCD.resolve("testdata"))) {
      files.forEach(f -> argo.add(f.getFileName().toString()));
    }
    assertThat(fixtures).isEqualTo(argo);
  }
}
