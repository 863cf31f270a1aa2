package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DemoPartsTest {

  @Test
  void totalsPerKeyFromTheFile() throws Exception {
    FlightTotals t =
        FlightTotals.read(
            new ByteArrayInputStream(
                ("[{\"origin\":\"A\",\"delay\":5},"
                        + "{\"origin\":\"B\",\"delay\":-3},{\"origin\":\"A\",\"delay\":-7},{\"origin\":\"A\",\"delay\":10}]")
                    .getBytes(StandardCharsets.UTF_8)),
            "origin",
            "delay");
    assertThat(t.records()).hasSize(4);
    assertThat(t.totals().get("A")).isEqualTo(new FlightTotals.Totals(3, 8, -7, 10));
    assertThat(t.totals().get("B")).isEqualTo(new FlightTotals.Totals(1, -3, -3, -3));
    assertThat(t.totals().get("A").matches(new FlightTotals.Totals(3, 8.0, -7, 10))).isTrue();
    assertThat(t.totals().get("A").matches(new FlightTotals.Totals(3, 8.0, -7, 9))).isFalse();
    assertThatThrownBy(
            () ->
                FlightTotals.read(
                    new ByteArrayInputStream(
                        "[{\"origin\":\"A\"}]".getBytes(StandardCharsets.UTF_8)),
                    "origin",
                    "delay"))
        .hasMessageContaining("record 0");
  }

  @Test
  void theRealDataSet() throws Exception {
    FlightTotals t = DemoScenario.load(Path.of("data/flights-20k.json"));
    assertThat(t.records()).hasSize(20_000);
    assertThat(t.totals()).hasSize(220);
    assertThat(t.totals().get("DFW").count()).isEqualTo(1103);
    assertThat(t.totals().get("ORD").count()).isEqualTo(1095);
  }

  @Test
  void tableRowLikeKubectl() throws Exception {
    var job =
        new ObjectMapper()
            .readTree(
                "{\"metadata\":{\"name\":\"flights-per-origin\","
                    + "\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},\"status\":{\"phase\":\"Running\","
                    + "\"kafka\":{\"partitions\":4,\"lag\":120},\"executors\":{\"summary\":\"2/2\"},"
                    + "\"restarts\":{\"count\":0}}}");
    String row = JobTable.row(job, Instant.parse("2026-01-01T00:03:12Z"));
    assertThat(row.split("\\s+"))
        .containsExactly("flights-per-origin", "Running", "4", "2/2", "120", "0", "3m12s");
    assertThat(JobTable.header().split("\\s+"))
        .containsExactly("NAME", "PHASE", "PARTITIONS", "EXECUTORS", "LAG", "RESTARTS", "AGE");
    assertThat(
            JobTable.row(
                new ObjectMapper().readTree("{\"metadata\":{\"name\":\"x\"}}"), Instant.now()))
        .contains("<none>");
    assertThat(JobTable.age(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(JobTable.age(Duration.ofMinutes(125))).isEqualTo("2h5m");
  }

  @Test
  void theRepositoryExampleWithOnlySandboxValuesChanged() throws Exception {
    var example = SandboxManifest.example();
    assertThat(example.getSpec().getKafka().getBootstrapServers()).contains("kafka.svc");
    var adapted = SandboxManifest.forSandbox(SandboxManifest.example(), "127.0.0.1:9092");
    var spec = adapted.job().getSpec();
    assertThat(spec.getKafka().getBootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(spec.getKafka().getClientConfigSecretRef()).isNull();
    assertThat(spec.getTrigger().getProcessingTime()).isEqualTo(SandboxManifest.TRIGGER);
    assertThat(spec.getDriver().getMemory()).isEqualTo(SandboxManifest.MEMORY);
    assertThat(spec.getExecutor().getMemory()).isEqualTo(SandboxManifest.MEMORY);
    assertThat(spec.getSparkConf()).containsEntry("spark.ui.enabled", "false");
    assertThat(adapted.overrides())
        .extracting(SandboxManifest.Change::field)
        .containsExactly(
            "spec.kafka.bootstrapServers",
            "spec.kafka.clientConfigSecretRef",
            "spec.trigger.processingTime",
            "spec.driver.memory",
            "spec.executor.memory",
            "spec.sparkConf[spark.ui.enabled]");
    assertThat(adapted.overrides().get(0).toString())
        .isEqualTo(
            "spec.kafka.bootstrapServers: "
                + example.getSpec().getKafka().getBootstrapServers()
                + " → 127.0.0.1:9092");
    // everything that defines the job is the example's
    assertThat(spec.getAggregation()).isEqualTo(example.getSpec().getAggregation());
    assertThat(spec.getCheckpoint()).isEqualTo(example.getSpec().getCheckpoint());
    assertThat(spec.getExecutor().getCores()).isEqualTo(example.getSpec().getExecutor().getCores());
    assertThat(spec.getExecutor().getMaxExecutors())
        .isEqualTo(example.getSpec().getExecutor().getMaxExecutors());
    assertThat(spec.getKafka().getInputTopics())
        .isEqualTo(example.getSpec().getKafka().getInputTopics());
    assertThat(adapted.job().getMetadata()).isEqualTo(example.getMetadata());

    var again = SandboxManifest.forSandbox(adapted.job(), "127.0.0.1:9092");
    assertThat(again.overrides()).as("already sandbox values: nothing to change").isEmpty();
  }

  @Test
  void operatorLagBoundIsTwoPollsPlusTenSeconds() {
    assertThat(DemoScenario.operatorLagBound(Duration.ofSeconds(2)))
        .isEqualTo(Duration.ofSeconds(14));
  }
}
