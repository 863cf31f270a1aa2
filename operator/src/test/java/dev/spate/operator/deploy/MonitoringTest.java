package dev.spate.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring pieces of deploy/: the Grafana dashboard queries exactly the metrics listed in
 * deploy/grafana/metric-names.txt (every PromQL expression parsed for its metric names), per job;
 * the optional kustomize component adds the operator's metrics port and PodMonitors for the
 * operator and the drivers; the Helm chart renders the same PodMonitors.
 */
class MonitoringTest {

  private static final Path DEPLOY = Path.of("../deploy");
  private static final Path GRAFANA = DEPLOY.resolve("grafana");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![0-9a-zA-Z_:.$])[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");

  @TempDir Path tmp;

  /**
   * The metric names a PromQL expression reads: identifiers outside label matchers, strings, range
   * selectors and grouping clauses that are neither functions nor keywords.
   */
  static Set<String> metricNames(String promql) {
    Matcher lv = LABEL_VALUES.matcher(promql);
    String s = lv.matches() ? lv.group(1) : promql;
    s = s.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ");
    s = s.replaceAll("\\{[^}]*}", " ");
    s = s.replaceAll("\\[[^]]*]", " ");
    s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String rest = s.substring(m.end()).stripLeading();
      boolean function = rest.startsWith("(");
      if (!function && !KEYWORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  private static List<String> listedNames() throws IOException {
    return Files.readAllLines(GRAFANA.resolve("metric-names.txt")).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static void collectTargets(JsonNode panels, List<String> exprs) {
    for (JsonNode panel : panels) {
      panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
      collectTargets(panel.path("panels"), exprs);
    }
  }

  @Test
  void promqlParserFindsMetricNamesOnly() {
    assertThat(
            metricNames(
                "sum by (namespace) (rate(a_total{name=\"$x\", q=~\"b{1}\"}[$__rate_interval]))"
                    + " / on(name) group_left b_value offset 5m and c"))
        .containsExactly("a_total", "b_value", "c");
    assertThat(metricNames("label_values(spate_job_phase{namespace=\"$namespace\"}, name)"))
        .containsExactly("spate_job_phase");
  }

  @Test
  void dashboardQueriesExactlyTheListedMetricsPerJob() throws IOException {
    JsonNode dashboard = JSON.readTree(GRAFANA.resolve("spate-streamingjob.json").toFile());
    List<String> exprs = new ArrayList<>();
    collectTargets(dashboard.path("panels"), exprs);
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(10).doesNotContain("");
    Set<String> used = new TreeSet<>();
    for (String expr : exprs) {
      used.addAll(metricNames(expr));
      assertThat(expr)
          .as("every query is about the chosen job")
          .contains("namespace=\"$namespace\"", "name=\"$streamingjob\"");
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      JsonNode query = variable.path("query");
      if ("query".equals(variable.path("type").asText())) {
        used.addAll(metricNames(query.isObject() ? query.path("query").asText() : query.asText()));
      }
    }
    List<String> listed = listedNames();
    assertThat(listed).doesNotHaveDuplicates();
    assertThat(used)
        .as("deploy/grafana/metric-names.txt lists exactly what the dashboard queries")
        .containsExactlyInAnyOrderElementsOf(listed);
    assertThat(used)
        .contains(
            "spate_job_lag_records",
            "spate_job_lag_seconds",
            "spate_job_executors_desired",
            "spate_job_executors_ready",
            "spate_job_restarts",
            "spate_job_phase");
    assertThat(String.join("\n", used))
        .contains(
            "inputRate_total",
            "processingRate_total",
            "_latency_",
            "states_rowsTotal",
            "states_usedBytes");
  }

  @Test
  void dashboardIsImportable() throws IOException {
    JsonNode dashboard = JSON.readTree(GRAFANA.resolve("spate-streamingjob.json").toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("spate-streamingjob");
    Set<Integer> ids = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
      assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
      if (!"row".equals(panel.path("type").asText())) {
        assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      }
    }
    assertThat(dashboard.path("templating").path("list").get(0).path("type").asText())
        .isEqualTo("datasource");
  }

  private List<JsonNode> renderWithComponent() throws Exception {
    Path overlay = tmp.resolve("overlay");
    Files.createDirectories(overlay);
    Path deploy = overlay.toAbsolutePath().relativize(DEPLOY.toAbsolutePath().normalize());
    Files.writeString(
        overlay.resolve("kustomization.yaml"),
        "resources:\n  - "
            + deploy
            + "\ncomponents:\n  - "
            + deploy.resolve("components/monitoring")
            + "\n");
    return DeployTest.kustomize(overlay);
  }

  @Test
  void componentAddsThePortAndPodMonitors() throws Exception {
    List<JsonNode> docs = renderWithComponent();
    JsonNode container =
        DeployTest.find(docs, "Deployment", "spate-operator")
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertThat(container.path("ports").toString()).contains("\"name\":\"http-metrics\"");
    JsonNode operator = DeployTest.find(docs, "PodMonitor", "spate-operator");
    JsonNode endpoint = operator.path("spec").path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("http-metrics");
    assertThat(endpoint.path("honorLabels").asBoolean()).isTrue();
    JsonNode drivers = DeployTest.find(docs, "PodMonitor", "spate-drivers");
    assertThat(drivers.path("spec").path("namespaceSelector").path("any").asBoolean()).isTrue();
    assertThat(drivers.path("spec").path("podMetricsEndpoints").get(0).path("port").asText())
        .isEqualTo("spark-ui");
    // without the component, no PodMonitor: the base needs no Prometheus Operator
    assertThat(DeployTest.kustomize(DEPLOY))
        .extracting(d -> d.path("kind").asText())
        .doesNotContain("PodMonitor");
  }

  @Test
  void chartRendersTheComponentsPodMonitors() throws Exception {
    Path values = tmp.resolve("values.yaml");
    Files.writeString(values, "metrics:\n  enabled: true\n  podMonitor:\n    enabled: true\n");
    String out =
        new Helm(Path.of("../deploy/helm/spate"))
            .template()
            .withName("spate")
            .withNamespace("spate-system")
            .withValuesFile(values)
            .call();
    List<JsonNode> chart = new ArrayList<>();
    for (String doc : out.split("(?m)^---\\s*$")) {
      JsonNode node = YAML.readTree(doc);
      if (node != null && node.has("kind")) {
        chart.add(node);
      }
    }
    List<JsonNode> component = renderWithComponent();
    for (String name : List.of("spate-operator", "spate-drivers")) {
      JsonNode c = DeployTest.find(chart, "PodMonitor", name).path("spec");
      JsonNode k = DeployTest.find(component, "PodMonitor", name).path("spec");
      assertThat(c.path("podMetricsEndpoints")).as(name).isEqualTo(k.path("podMetricsEndpoints"));
      assertThat(c.path("namespaceSelector")).as(name).isEqualTo(k.path("namespaceSelector"));
    }
    assertThat(DeployTest.find(chart, "PodMonitor", "spate-drivers").path("spec").path("selector"))
        .isEqualTo(
            DeployTest.find(component, "PodMonitor", "spate-drivers")
                .path("spec")
                .path("selector"));
  }
}
