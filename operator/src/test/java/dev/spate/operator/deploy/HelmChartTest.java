package dev.spate.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.rbac.ApiAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lints and renders the Helm chart deploy/helm/spate with Helm's own Go code (helm-java, offline)
 * and checks it against the kustomize install: with default values the chart renders the same
 * objects as {@code kubectl kustomize deploy/} (Namespace aside, which Helm leaves to {@code
 * --create-namespace}), the same RBAC, both exactly {@link ApiAccess}; the CRD in the chart's
 * {@code crds/} is the generated one; every value lands where deploy/README.md says.
 */
class HelmChartTest {

  private static final Path CHART = Path.of("../deploy/helm/spate");
  private static final Path CRD =
      Path.of("../crds/src/main/resources/" + CrdRuleEvaluator.STREAMING_JOB_CRD);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String NS = "spate-system";

  @TempDir Path tmp;

  /** Renders the chart as release {@code spate} in {@code spate-system} with the given values. */
  private List<JsonNode> template(String values) throws IOException {
    Path file = tmp.resolve("values-" + System.nanoTime() + ".yaml");
    Files.writeString(file, values);
    String out =
        new Helm(CHART).template().withName("spate").withNamespace(NS).withValuesFile(file).call();
    List<JsonNode> docs = new ArrayList<>();
    for (String doc : out.split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(doc);
      if (node != null && node.has("kind")) {
        docs.add(node);
      }
    }
    return docs;
  }

  private static Set<String> ids(List<JsonNode> docs) {
    return docs.stream()
        .map(
            d ->
                d.path("kind").asText()
                    + " "
                    + d.path("metadata").path("namespace").asText("-")
                    + "/"
                    + d.path("metadata").path("name").asText())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  private static JsonNode podSpec(List<JsonNode> docs) {
    return DeployTest.find(docs, "Deployment", "spate-operator")
        .path("spec")
        .path("template")
        .path("spec");
  }

  private static JsonNode env(JsonNode podSpec, String name) {
    for (JsonNode e : podSpec.path("containers").get(0).path("env")) {
      if (name.equals(e.path("name").asText())) {
        return e;
      }
    }
    throw new AssertionError("no env " + name);
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
  }

  @Test
  void crdInChartIsTheCommittedOne() throws IOException {
    assertThat(Files.readString(CHART.resolve("crds/streamingjobs.spate.dev-v1.yml")))
        .as("Helm installs crds/ as is: cp %s deploy/helm/spate/crds/", CRD)
        .isEqualTo(Files.readString(CRD));
  }

  @Test
  void defaultsRenderTheKustomizeObjectsAndRbac() throws Exception {
    List<JsonNode> chart = template("{}");
    List<JsonNode> kustomize = DeployTest.kustomize(Path.of("../deploy"));

    Set<String> kustomizeIds = ids(kustomize);
    kustomizeIds.remove("Namespace -/" + NS);
    assertThat(ids(chart)).isEqualTo(kustomizeIds);

    for (String[] role :
        new String[][] {
          {"ClusterRole", "spate-operator"}, {"Role", "spate-operator-leader-election"}
        }) {
      assertThat(DeployTest.grants(DeployTest.find(chart, role[0], role[1])))
          .as("%s %s", role[0], role[1])
          .isEqualTo(DeployTest.grants(DeployTest.find(kustomize, role[0], role[1])));
    }
    assertThat(DeployTest.grants(DeployTest.find(chart, "ClusterRole", "spate-operator")))
        .containsExactlyElementsOf(ApiAccess.operatorInstallGrants());
    assertThat(DeployTest.grants(DeployTest.find(chart, "Role", "spate-operator-leader-election")))
        .containsExactlyElementsOf(ApiAccess.grants(ApiAccess.OPERATOR_LEADER_ELECTION));
    for (String binding : List.of("ClusterRoleBinding", "RoleBinding")) {
      for (JsonNode b : ofKind(chart, binding)) {
        String name = b.path("metadata").path("name").asText();
        JsonNode other = DeployTest.find(kustomize, binding, name);
        assertThat(b.path("roleRef")).as(name).isEqualTo(other.path("roleRef"));
        assertThat(b.path("subjects")).as(name).isEqualTo(other.path("subjects"));
      }
    }

    // the operator pod is the same pod, field by field (selector labels aside)
    JsonNode chartDeployment = DeployTest.find(chart, "Deployment", "spate-operator");
    JsonNode baseDeployment = DeployTest.find(kustomize, "Deployment", "spate-operator");
    assertThat(podSpec(chart)).isEqualTo(podSpec(kustomize));
    assertThat(chartDeployment.path("spec").path("strategy"))
        .isEqualTo(baseDeployment.path("spec").path("strategy"));
    assertThat(chartDeployment.path("spec").path("replicas").asInt())
        .isEqualTo(baseDeployment.path("spec").path("replicas").asInt())
        .isEqualTo(2);
    Set<String> env = new TreeSet<>();
    podSpec(chart)
        .path("containers")
        .get(0)
        .path("env")
        .forEach(e -> env.add(e.path("name").asText()));
    assertThat(env)
        .containsAll(OperatorConfig.OPTIONS.stream().map(OperatorConfig.Option::env).toList());
  }

  @Test
  void admissionPolicyIsTheKustomizeOneAndCanBeLeftOut() throws Exception {
    List<JsonNode> chart = template("{}");
    List<JsonNode> kustomize = DeployTest.kustomize(Path.of("../deploy"));
    for (String kind : List.of("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding")) {
      assertThat(DeployTest.find(chart, kind, "spate-streamingjob-references").path("spec"))
          .as(kind)
          .isEqualTo(
              DeployTest.find(kustomize, kind, "spate-streamingjob-references").path("spec"));
    }
    // clusters before Kubernetes 1.30 have no admissionregistration.k8s.io/v1 policies
    assertThat(ofKind(template("admissionPolicy: {enabled: false}\n"), "ValidatingAdmissionPolicy"))
        .isEmpty();
  }

  @Test
  void watchedNamespacesGetRolesAndNoClusterWideGrant() throws Exception {
    List<JsonNode> docs = template("watchNamespaces: [analytics, payments]\n");
    assertThat(ofKind(docs, "ClusterRole")).isEmpty();
    assertThat(ofKind(docs, "ClusterRoleBinding")).isEmpty();
    for (String ns : List.of("analytics", "payments")) {
      JsonNode role =
          ofKind(docs, "Role").stream()
              .filter(r -> ns.equals(r.path("metadata").path("namespace").asText()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Role in " + ns));
      assertThat(DeployTest.grants(role))
          .containsExactlyElementsOf(ApiAccess.operatorInstallGrants());
      JsonNode binding =
          ofKind(docs, "RoleBinding").stream()
              .filter(r -> ns.equals(r.path("metadata").path("namespace").asText()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no RoleBinding in " + ns));
      assertThat(binding.path("roleRef").path("kind").asText()).isEqualTo("Role");
      assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("spate-operator");
      assertThat(binding.path("subjects").get(0).path("namespace").asText()).isEqualTo(NS);
    }
    assertThat(env(podSpec(docs), "SPATE_NAMESPACES").path("value").asText())
        .isEqualTo("analytics,payments");
    // the Lease stays in the operator's own namespace
    assertThat(
            DeployTest.find(docs, "Role", "spate-operator-leader-election")
                .path("metadata")
                .path("namespace")
                .asText())
        .isEqualTo(NS);
  }

  @Test
  void valuesLandInThePod() throws Exception {
    String values =
        """
        image: {repository: registry.example/spate-operator, tag: "9.9.9", pullPolicy: Always}
        imagePullSecrets: [{name: regcred}]
        sparkImage: registry.example/spark:1
        allowedImages: [registry.example/team/*, quay.io/acme/spark:2]
        replicas: 2
        leaderElection: {enabled: true}
        logFormat: json
        resources: {requests: {cpu: 500m, memory: 1Gi}, limits: {memory: 2Gi}}
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Equal, value: spate, effect: NoSchedule}]
        affinity:
          podAntiAffinity:
            preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 100
                podAffinityTerm:
                  topologyKey: kubernetes.io/hostname
                  labelSelector: {matchLabels: {app.kubernetes.io/name: spate-operator}}
        priorityClassName: system-cluster-critical
        podAnnotations: {example.com/team: data}
        extraEnv: [{name: SPATE_SCALE_DOWN_WINDOW, value: 10m}]
        """;
    List<JsonNode> docs = template(values);
    JsonNode deployment = DeployTest.find(docs, "Deployment", "spate-operator");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(deployment.path("spec").path("strategy").path("type").asText())
        .isEqualTo("RollingUpdate");
    assertThat(
            deployment
                .path("spec")
                .path("template")
                .path("metadata")
                .path("annotations")
                .path("example.com/team")
                .asText())
        .isEqualTo("data");
    JsonNode pod = podSpec(docs);
    JsonNode container = pod.path("containers").get(0);
    assertThat(container.path("image").asText()).isEqualTo("registry.example/spate-operator:9.9.9");
    assertThat(container.path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(pod.path("imagePullSecrets").get(0).path("name").asText()).isEqualTo("regcred");
    assertThat(container.path("resources").path("limits").path("memory").asText()).isEqualTo("2Gi");
    assertThat(pod.path("nodeSelector").path("kubernetes.io/os").asText()).isEqualTo("linux");
    assertThat(pod.path("tolerations").get(0).path("key").asText()).isEqualTo("dedicated");
    assertThat(
            pod.path("affinity")
                .path("podAntiAffinity")
                .path("preferredDuringSchedulingIgnoredDuringExecution")
                .get(0)
                .path("weight")
                .asInt())
        .isEqualTo(100);
    assertThat(pod.path("priorityClassName").asText()).isEqualTo("system-cluster-critical");
    assertThat(env(pod, "SPATE_LEADER_ELECTION").path("value").asText()).isEqualTo("true");
    assertThat(env(pod, "SPATE_DEFAULT_IMAGE").path("value").asText())
        .isEqualTo("registry.example/spark:1");
    assertThat(env(pod, "SPATE_ALLOWED_IMAGES").path("value").asText())
        .isEqualTo("registry.example/team/*,quay.io/acme/spark:2");
    assertThat(env(pod, "SPATE_LOG_FORMAT").path("value").asText()).isEqualTo("json");
    assertThat(env(pod, "SPATE_SCALE_DOWN_WINDOW").path("value").asText()).isEqualTo("10m");
    assertThat(ofKind(docs, "PodMonitor")).isEmpty();
  }

  @Test
  void metricsDeclareThePortServiceAndPodMonitor() throws Exception {
    List<JsonNode> docs =
        template(
            "metrics:\n  enabled: true\n  port: 9090\n  podMonitor:\n    enabled: true\n"
                + "    labels: {release: prometheus}\n");
    JsonNode port = podSpec(docs).path("containers").get(0).path("ports").get(0);
    assertThat(port.path("name").asText()).isEqualTo("http-metrics");
    assertThat(port.path("containerPort").asInt()).isEqualTo(9090);
    JsonNode monitor = DeployTest.find(docs, "PodMonitor", "spate-operator");
    assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.path("metadata").path("labels").path("release").asText())
        .isEqualTo("prometheus");
    JsonNode endpoint = monitor.path("spec").path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http-metrics");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    // the PodMonitor selects the operator pod
    JsonNode podLabels =
        DeployTest.find(docs, "Deployment", "spate-operator")
            .path("spec")
            .path("template")
            .path("metadata")
            .path("labels");
    monitor
        .path("spec")
        .path("selector")
        .path("matchLabels")
        .properties()
        .forEach(
            e -> assertThat(podLabels.path(e.getKey())).as(e.getKey()).isEqualTo(e.getValue()));
    JsonNode service = DeployTest.find(docs, "Service", "spate-operator-metrics");
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(9090);
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> template("replicas: 2\nleaderElection:\n  enabled: false\n"))
        .hasMessageContaining("replicas > 1 needs leaderElection.enabled=true");
    // the schema says it first; the template's own check stays for --skip-schema-validation
    assertThatThrownBy(() -> template("logFormat: xml\n")).hasMessageContaining("logFormat");
    assertThatThrownBy(() -> template("metrics:\n  podMonitor:\n    enabled: true\n"))
        .hasMessageContaining("metrics.podMonitor.enabled needs metrics.enabled");
  }

  @Test
  void valuesSchemaRejectsTyposAndWrongTypes() {
    // values.schema.json: a misspelt key or a wrong type fails before anything renders
    assertThatThrownBy(() -> template("watchNamespace: [analytics]\n"))
        .hasMessageContaining("watchNamespace");
    assertThatThrownBy(() -> template("replicas: \"2\"\n")).hasMessageContaining("replicas");
    assertThatThrownBy(() -> template("watchNamespaces: [Analytics]\n"))
        .hasMessageContaining("watchNamespaces");
    assertThatThrownBy(() -> template("kafkaPollInterval: ten seconds\n"))
        .hasMessageContaining("kafkaPollInterval");
  }

  @Test
  void watchedNamespacesNarrowTheDriverPodMonitor() throws Exception {
    List<JsonNode> docs =
        template(
            "watchNamespaces: [analytics]\nmetrics:\n  enabled: true\n  podMonitor:\n"
                + "    enabled: true\n");
    assertThat(
            DeployTest.find(docs, "PodMonitor", "spate-drivers")
                .path("spec")
                .path("namespaceSelector")
                .path("matchNames")
                .toString())
        .isEqualTo("[\"analytics\"]");
  }
}
