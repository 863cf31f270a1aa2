package dev.spate.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.config.MonitoringConfig;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.rbac.ApiAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Renders deploy/ with {@code kubectl kustomize} (kubectl must be on PATH) and checks it: the CRD
 * base (deploy/crd/) is the committed CRD and nothing else, the operator base (deploy/) holds no
 * CRD (so {@code kubectl delete -k deploy/} keeps every StreamingJob), RBAC grants exactly what
 * {@link ApiAccess} lists (the operator's calls and what it grants drivers), the operator pod meets
 * the restricted Pod Security Standard, and the examples pass the CRD's rules.
 */
class DeployTest {

  private static final Path DEPLOY = Path.of("../deploy");
  private static final Path CRD =
      Path.of("../crds/src/main/resources/" + CrdRuleEvaluator.STREAMING_JOB_CRD);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<JsonNode> kustomize(Path dir) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize %s:%n%s", dir, out).isZero();
    List<JsonNode> docs = new ArrayList<>();
    for (String doc : out.split("(?m)^---$")) {
      if (!doc.isBlank()) {
        docs.add(YAML.readTree(doc));
      }
    }
    return docs;
  }

  static JsonNode find(List<JsonNode> docs, String kind, String name) {
    return docs.stream()
        .filter(
            d ->
                kind.equals(d.path("kind").asText())
                    && name.equals(d.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  static Set<String> grants(JsonNode role) {
    Set<String> grants = new TreeSet<>();
    for (JsonNode rule : role.path("rules")) {
      assertThat(rule.has("resourceNames")).isFalse();
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          for (JsonNode verb : rule.path("verbs")) {
            grants.add(group.asText() + "/" + resource.asText() + ":" + verb.asText());
          }
        }
      }
    }
    return grants;
  }

  @Test
  void crdInDeployIsTheCommittedOne() throws IOException {
    assertThat(Files.readString(DEPLOY.resolve("crd/streamingjobs.spate.dev-v1.yml")))
        .as("deploy/crd is a copy of the generated CRD: cp %s deploy/crd/", CRD)
        .isEqualTo(Files.readString(CRD));
  }

  @Test
  void crdBaseRendersTheCommittedCrdAndNothingElse() throws Exception {
    List<JsonNode> docs = kustomize(DEPLOY.resolve("crd"));
    assertThat(docs).hasSize(1);
    assertSameIgnoringLabels(
        find(docs, "CustomResourceDefinition", StreamingJob.CRD_NAME), YAML.readTree(CRD.toFile()));
  }

  @Test
  void operatorBaseHoldsNoCrdSoDeletingItKeepsTheJobs() throws Exception {
    List<JsonNode> docs = kustomize(DEPLOY);
    assertThat(docs)
        .extracting(d -> d.path("kind").asText())
        .doesNotContain("CustomResourceDefinition");
  }

  @Test
  void baseRendersWithExactlyTheRbacTheOperatorUses() throws Exception {
    List<JsonNode> docs = kustomize(DEPLOY);
    assertThat(find(docs, "Namespace", "spate-system")).isNotNull();

    assertThat(grants(find(docs, "ClusterRole", "spate-operator")))
        .containsExactlyElementsOf(ApiAccess.operatorInstallGrants());
    JsonNode leaseRole = find(docs, "Role", "spate-operator-leader-election");
    assertThat(leaseRole.path("metadata").path("namespace").asText()).isEqualTo("spate-system");
    assertThat(grants(leaseRole))
        .containsExactlyElementsOf(ApiAccess.grants(ApiAccess.OPERATOR_LEADER_ELECTION));
    assertThat(docs.stream().filter(d -> d.path("kind").asText().endsWith("Role")).count())
        .as("no other (Cluster)Role")
        .isEqualTo(2);

    JsonNode binding = find(docs, "ClusterRoleBinding", "spate-operator");
    assertThat(binding.path("roleRef").path("name").asText()).isEqualTo("spate-operator");
    assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("spate-operator");
    assertThat(binding.path("subjects").get(0).path("namespace").asText())
        .isEqualTo("spate-system");

    JsonNode pod =
        find(docs, "Deployment", "spate-operator").path("spec").path("template").path("spec");
    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("spate-operator");
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
        .isEqualTo("RuntimeDefault");
    for (JsonNode c : pod.path("containers")) {
      JsonNode sc = c.path("securityContext");
      assertThat(
              sc.path("allowPrivilegeEscalation").isBoolean()
                  && !sc.path("allowPrivilegeEscalation").asBoolean())
          .isTrue();
      assertThat(sc.path("capabilities").path("drop").toString()).isEqualTo("[\"ALL\"]");
      Set<String> env = new TreeSet<>();
      c.path("env").forEach(e -> env.add(e.path("name").asText()));
      assertThat(env)
          .as("every operator option is set in the Deployment")
          .containsAll(OperatorConfig.OPTIONS.stream().map(OperatorConfig.Option::env).toList())
          .containsAll(MonitoringConfig.OPTIONS.stream().map(OperatorConfig.Option::env).toList());
      // the probes reach the monitoring endpoints on the port the operator is told to serve
      String port = null;
      for (JsonNode e : c.path("env")) {
        if (e.path("name").asText().equals(MonitoringConfig.PORT.env())) {
          port = e.path("value").asText();
        }
      }
      JsonNode metricsPort = c.path("ports").get(0);
      assertThat(metricsPort.path("containerPort").asText()).isEqualTo(port);
      assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/healthz");
      assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/readyz");
      for (String probe : new String[] {"livenessProbe", "readinessProbe"}) {
        assertThat(c.path(probe).path("httpGet").path("port").asText())
            .isEqualTo(metricsPort.path("name").asText());
      }
    }
  }

  static void assertSameIgnoringLabels(JsonNode rendered, JsonNode committed) {
    // kustomize adds the part-of label; everything else must be the committed CRD
    JsonNode copy = rendered.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy.path("metadata")).remove("labels");
    JsonNode expected = committed.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("metadata")).remove("labels");
    // kustomize writes 1.0 as 1: compare numbers by value
    assertThat(
            copy.equals(
                (a, b) ->
                    a.isNumber() && b.isNumber()
                        ? a.decimalValue().compareTo(b.decimalValue())
                        : a.equals(b) ? 0 : 1,
                expected))
        .as("rendered CRD equals the committed one")
        .isTrue();
  }

  @Test
  void namespacedModeGrantsARoleInTheWatchedNamespaceAndNothingClusterWide() throws Exception {
    List<JsonNode> docs = kustomize(Path.of("src/test/resources/kustomize/namespaced"));
    assertThat(docs)
        .extracting(d -> d.path("kind").asText())
        .doesNotContain("ClusterRole", "ClusterRoleBinding");
    JsonNode role =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals("Role"))
            .filter(d -> d.path("metadata").path("namespace").asText().equals("spate-jobs"))
            .findFirst()
            .orElseThrow();
    assertThat(grants(role)).containsExactlyElementsOf(ApiAccess.operatorInstallGrants());
    JsonNode binding =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals("RoleBinding"))
            .filter(d -> d.path("metadata").path("namespace").asText().equals("spate-jobs"))
            .findFirst()
            .orElseThrow();
    assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
    assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("spate-operator");
    assertThat(binding.path("subjects").get(0).path("namespace").asText())
        .isEqualTo("spate-system");
    assertThat(
            grants(
                docs.stream()
                    .filter(d -> d.path("kind").asText().equals("Role"))
                    .filter(
                        d -> d.path("metadata").path("name").asText().endsWith("leader-election"))
                    .findFirst()
                    .orElseThrow()))
        .containsExactlyElementsOf(ApiAccess.grants(ApiAccess.OPERATOR_LEADER_ELECTION));
    JsonNode container =
        find(docs, "Deployment", "spate-operator")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    JsonNode namespaces = null;
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(OperatorConfig.WATCHED_NAMESPACES.env())) {
        namespaces = e;
      }
    }
    assertThat(namespaces).isNotNull();
    assertThat(namespaces.path("value").asText()).isEqualTo("spate-jobs");
  }

  @Test
  void examplesPassTheCrdRules() throws IOException {
    CrdRuleEvaluator rules = CrdRuleEvaluator.forStreamingJob();
    List<Path> examples;
    try (Stream<Path> files = Files.list(DEPLOY.resolve("examples"))) {
      examples =
          files.filter(f -> f.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
    }
    assertThat(examples)
        .extracting(p -> p.getFileName().toString())
        .contains("clicks-per-user.yaml", "flights-per-origin.yaml");
    for (Path example : examples) {
      JsonNode manifest = YAML.readTree(example.toFile());
      assertThat(manifest.path("kind").asText()).isEqualTo(StreamingJob.KIND);
      assertThat(rules.validate(manifest)).as("%s", example).isEmpty();
    }
  }
}
