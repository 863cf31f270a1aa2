package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.config.MonitoringConfig;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.api.PodSecurityRestricted;
import dev.spate.sandbox.api.SandboxDispatcher;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The demo scenario with assertions: the real operator, real Spark with its Kubernetes backend, a
 * real broker; the StreamingJob reaches Running with its executors ready, the output equals the
 * totals computed independently from the file, the consumer group's committed offsets equal the end
 * offsets, the operator's {@code status.kafka.lag} reaches 0 with a {@code
 * status.kafka.committedBatchId}, every pod meets the "restricted" Pod Security Standard its
 * namespace enforces (executors built by Spark from the operator's pod template, Running), and
 * deleting the StreamingJob removes driver, executors and their processes. Spark authentication and
 * RPC encryption are on (the operator's defaults): the executors that ran the tasks took the job's
 * key from its Secret.
 *
 * <p>The same run is scraped as Prometheus would scrape it (the sandbox with monitoring: the
 * operator's {@code /metrics}, the driver's Spark UI kept on): while the data flows, the operator's
 * series show the job's lag above 0, the driver's PrometheusServlet shows the query's input and
 * processing rates above 0, its executors endpoint shows tasks completed by an executor, and every
 * metric name the Grafana dashboard queries ({@code deploy/grafana}) is in a real scrape.
 */
class SandboxEndToEndTest {

  @Test
  void flightsPerOriginEndToEnd() throws Exception {
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    assertThat(data.records()).hasSize(20_000);
    assertThat(data.totals()).hasSize(220);
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("e2e-" + System.currentTimeMillis())
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    Sandbox.Options options =
        new Sandbox.Options(
            defaults.sparkHome(),
            runDir,
            false,
            defaults.kafkaPollInterval(),
            Map.of(MonitoringConfig.PORT.key(), "0"));
    try (Sandbox sandbox = Sandbox.start(options)) {
      assertThat(sandbox.monitoring()).isTrue();
      // every request of Spark's Kubernetes client, to check against the job's driver Role: the
      // sandbox enforces no RBAC
      DriverCalls driverCalls = DriverCalls.record(sandbox);
      DemoScenario scenario = new DemoScenario(sandbox, data, System.out, Duration.ofMinutes(4));
      assertThat(scenario.manifest().getSpec().getSparkConf())
          .as("the drivers keep their UI: Spark's Prometheus endpoints are on it")
          .doesNotContainKey("spark.ui.enabled");
      DemoScenario.Result result;
      try (MetricsScraper scraper =
          new MetricsScraper(sandbox, scenario.manifest().getMetadata().getNamespace())) {
        result = scenario.run();
        assertScrapes(scraper, scenario.manifest(), runDir);
      }

      assertThat(result.reason()).isEmpty();
      assertThat(result.ok()).isTrue();
      assertThat(result.recordsIn()).isEqualTo(20_000);
      assertThat(result.keysOut()).isEqualTo(220);
      assertThat(result.keysMatching()).isEqualTo(220);
      assertThat(result.lag()).isZero();
      assertThat(result.operatorLag()).as("status.kafka.lag when the demo ended").isZero();

      StreamingJob job = scenario.manifest();
      String ns = job.getMetadata().getNamespace();
      String name = job.getMetadata().getName();
      await()
          .atMost(DemoScenario.operatorLagBound(sandbox.kafkaPollInterval()))
          .untilAsserted(
              () -> {
                var kafka =
                    sandbox
                        .client()
                        .resources(StreamingJob.class)
                        .inNamespace(ns)
                        .withName(name)
                        .get()
                        .getStatus()
                        .getKafka();
                assertThat(kafka).isNotNull();
                assertThat(kafka.getLag()).as("status.kafka.lag").isZero();
                assertThat(kafka.getCommittedBatchId())
                    .as("status.kafka.committedBatchId")
                    .isNotNull()
                    .isNotNegative();
              });
      assertThat(result.maxReadyExecutors())
          .as("executors ready = desired while Running")
          .isPositive();
      assertThat(sandbox.kubelet().liveProcesses())
          .hasSizeGreaterThanOrEqualTo(1 + result.maxReadyExecutors());

      // the executors above ran the query's tasks, so they authenticated to the driver with the
      // job's key and spoke encrypted RPC: the key came from the job's Secret, and the pod spec
      // holds only the reference to it
      String conf =
          sandbox
              .client()
              .configMaps()
              .inNamespace(ns)
              .withName(name + "-spark-conf")
              .get()
              .getData()
              .get("spark.properties");
      assertThat(conf)
          .contains("spark.authenticate=true")
          .contains("spark.network.crypto.enabled=true")
          .contains("spark.ui.killEnabled=false");
      List<Pod> authenticated =
          sandbox
              .client()
              .pods()
              .inNamespace(ns)
              .withLabel("spark-role", "executor")
              .list()
              .getItems();
      assertThat(authenticated)
          .isNotEmpty()
          .allSatisfy(
              p ->
                  assertThat(p.getSpec().getContainers().get(0).getEnv())
                      .filteredOn(e -> e.getName().equals("_SPARK_AUTH_SECRET"))
                      .singleElement()
                      .satisfies(
                          e -> {
                            assertThat(e.getValue()).isNull();
                            assertThat(e.getValueFrom().getSecretKeyRef().getName())
                                .isEqualTo(name + "-spark-auth");
                          }));
      // the namespace enforces the restricted Pod Security Standard (the sandbox API refuses a
      // violating pod with 403), and Spark built every executor from the operator's template
      assertThat(sandbox.client().namespaces().withName(ns).get().getMetadata().getLabels())
          .containsEntry(SandboxDispatcher.ENFORCE_LABEL, "restricted");
      List<Pod> pods = sandbox.client().pods().inNamespace(ns).list().getItems();
      List<Pod> executors =
          pods.stream()
              .filter(p -> "executor".equals(p.getMetadata().getLabels().get("spark-role")))
              .toList();
      assertThat(executors).isNotEmpty();
      assertThat(pods)
          .allSatisfy(
              p -> {
                assertThat(PodSecurityRestricted.check(p)).as(p.getMetadata().getName()).isEmpty();
                assertThat(p.getMetadata().getLabels())
                    .as("spec.driver/spec.executor labels of the example")
                    .containsEntry("app.kubernetes.io/part-of", "airline-delays");
              });
      assertThat(executors)
          .allSatisfy(
              p -> {
                assertThat(p.getStatus().getPhase()).isEqualTo("Running");
                assertThat(p.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
                assertThat(
                        p.getSpec()
                            .getContainers()
                            .get(0)
                            .getSecurityContext()
                            .getAllowPrivilegeEscalation())
                    .isFalse();
              });

      // the job's own driver ServiceAccount (the example names none), owned by the job; executors
      // run under it too, without its token
      String account = name + "-driver";
      assertThat(pods)
          .allSatisfy(p -> assertThat(p.getSpec().getServiceAccountName()).isEqualTo(account));
      assertThat(executors)
          .allSatisfy(p -> assertThat(p.getSpec().getAutomountServiceAccountToken()).isFalse());
      Role role = sandbox.client().rbac().roles().inNamespace(ns).withName(account).get();
      assertThat(role).isNotNull();
      assertThat(sandbox.client().serviceAccounts().inNamespace(ns).withName(account).get())
          .isNotNull();
      assertThat(sandbox.client().rbac().roleBindings().inNamespace(ns).withName(account).get())
          .isNotNull();
      assertThat(role.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getName()).isEqualTo(name));

      sandbox.client().resources(StreamingJob.class).inNamespace(ns).withName(name).delete();

      List<Long> pids = List.copyOf(sandbox.kubelet().startedProcesses().keySet());
      // a deleted pod leaves the kubelet's map at once; its JVM ends after SIGTERM: wait for the
      // pids
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(sandbox.client().pods().inNamespace(ns).list().getItems()).isEmpty();
                assertThat(sandbox.kubelet().liveProcesses()).isEmpty();
                assertThat(pids)
                    .allSatisfy(
                        pid ->
                            assertThat(
                                    ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                                .as("pid %d alive", pid)
                                .isFalse());
              });
      // the garbage collector removed the job's ServiceAccount, Role and RoleBinding with it
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(sandbox.client().rbac().roles().inNamespace(ns).withName(account).get())
                    .isNull();
                assertThat(
                        sandbox.client().serviceAccounts().inNamespace(ns).withName(account).get())
                    .isNull();
              });
      // every call the driver made while it ran and stopped (Spark's scheduler backend, the
      // driver plugin) is one the job's Role allows, as Kubernetes RBAC would decide
      driverCalls.assertAllowedBy(role, name + "-control", "RBAC");
      GrantsUsed.assertEveryCallGranted(sandbox.api().accessLog(), "end-to-end");
    }
  }

  private static final Path GRAFANA = Path.of("../deploy/grafana");

  /**
   * What the scrapes taken while the demo ran must hold: the job's lag and processed-records
   * series, and every metric the dashboard queries.
   */
  private static void assertScrapes(MetricsScraper scraper, StreamingJob job, Path runDir)
      throws Exception {
    String ns = "namespace=\"" + job.getMetadata().getNamespace() + "\"";
    String name = "name=\"" + job.getMetadata().getName() + "\"";
    scraper.dump(runDir.resolve("scrapes"));
    System.out.println("METRICS operator /metrics: " + scraper.operatorFigures());
    // the operator: lag in records while the data flowed, lag in seconds, executors
    assertThat(scraper.max("spate_job_lag_records", ns, name))
        .as("spate_job_lag_records of the job: %s", scraper.series("spate_job_lag_records"))
        .isNotNaN()
        .isGreaterThan(0);
    assertThat(scraper.max("spate_job_lag_seconds", ns, name))
        .as("spate_job_lag_seconds of the job: %s", scraper.series("spate_job_lag_seconds"))
        .isNotNaN()
        .isGreaterThanOrEqualTo(0);
    assertThat(scraper.max("spate_job_executors_ready", ns, name)).isNotNaN().isGreaterThan(0);
    // the driver's PrometheusServlet: the query's records processed per second (the rate of the
    // last micro-batch, Spark's processedRowsPerSecond) above 0; records read per second is there
    // too, but may stay 0: Spark divides by the time since the previous batch, none for the first,
    // and the demo's backlog arrives within the first micro-batch
    String query = "metrics_spate_driver_spark_streaming_spate_aggregation_";
    // the demo's verdict comes when the output is complete, which the Kafka sink writes before the
    // micro-batch commits and reports its progress: keep scraping until a scrape has seen that
    // progress (it stays the last one until the next trigger)
    org.awaitility.Awaitility.await("a scrape after a data micro-batch's progress")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scraper.max(query + "processingRate_total_Value") > 0);
    assertThat(scraper.max(query + "processingRate_total_Value"))
        .as("%s: %s", query, scraper.series(query + "processingRate_total_Value"))
        .isNotNaN()
        .isGreaterThan(0);
    assertThat(scraper.max(query + "inputRate_total_Value")).isNotNaN().isGreaterThanOrEqualTo(0);
    assertThat(scraper.max(query + "states_rowsTotal_Value")).isNotNaN().isGreaterThan(0);
    // the executors endpoint: tasks completed by an executor (not the driver)
    assertThat(
            scraper.series("metrics_executor_completedTasks_total").stream()
                .filter(s -> !s.contains("executor_id=\"driver\""))
                .filter(s -> !s.endsWith(" max 0.0")))
        .as(
            "completed tasks of an executor: %s",
            scraper.series("metrics_executor_completedTasks_total"))
        .isNotEmpty();
    // every metric the dashboard queries is in a real scrape
    Set<String> wanted = dashboardMetricNames();
    assertThat(wanted).hasSizeGreaterThanOrEqualTo(11);
    assertThat(scraper.names()).as("metrics scraped").containsAll(wanted);
  }

  /**
   * Every metric name of deploy/grafana/metric-names.txt and of the dashboard's queries (each query
   * names its metrics right before a label matcher {@code {...}}; the operator's MonitoringTest
   * keeps the two equal).
   */
  private static Set<String> dashboardMetricNames() throws Exception {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(GRAFANA.resolve("metric-names.txt"))) {
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        names.add(line.strip());
      }
    }
    JsonNode dashboard =
        new ObjectMapper().readTree(GRAFANA.resolve("spate-streamingjob.json").toFile());
    Pattern metric = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{");
    for (JsonNode expr : dashboard.findValues("expr")) {
      Matcher m = metric.matcher(expr.asText());
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
