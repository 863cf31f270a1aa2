package dev.spate.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.MockCluster;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The operator's {@code logback.xml} with {@code spate.logFormat=json}: while an operator (fabric8
 * CRUD mock) reconciles a job, every line on stdout is one JSON object, and the reconciler's lines
 * carry the job's namespace and name in the MDC keys java-operator-sdk sets ({@code
 * resource.namespace}, {@code resource.name}); a stack trace stays inside its line.
 */
@EnableKubernetesMockClient(crud = true)
class JsonLogTest {

  static KubernetesClient client;

  @Test
  void jsonFormatWritesOneObjectPerLineWithTheJobInTheMdc() throws Exception {
    MockCluster.createCrd(client);
    String ns = "logs";
    MockCluster.createNamespace(client, ns);

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setProperty("spate.logFormat", "json");
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      reconfigureLogback();
      OperatorConfig config =
          OperatorConfig.read(
              Map.of(
                  "spate.namespaces", ns,
                  "spate.reconcileInterval", "2s",
                  "spate.kafkaPollInterval", "1s",
                  "spate.serverSideApply", "false",
                  "spate.leaderElection", "false"),
              Map.of());
      try (SpateOperator operator = new SpateOperator(client, config, "op-logs")) {
        operator.start();
        StreamingJob job = TestJobs.minimal(ns, "clicks", "127.0.0.1:1");
        job.getSpec().setSuspend(true);
        client.resource(job).create();
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  StreamingJob current =
                      client.resources(StreamingJob.class).inNamespace(ns).withName("clicks").get();
                  assertThat(current.getStatus()).isNotNull();
                  assertThat(current.getStatus().getPhase()).isEqualTo(Phase.SUSPENDED);
                });
        client.resources(StreamingJob.class).inNamespace(ns).withName("clicks").delete();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client.resources(StreamingJob.class).inNamespace(ns).withName("clicks").get()
                        == null);
      }
      LoggerFactory.getLogger("dev.spate.test")
          .error("a failure with\na second line", new IllegalStateException("boom\nagain"));
    } finally {
      System.setOut(stdout);
      System.clearProperty("spate.logFormat");
      reconfigureLogback();
    }

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        JsonNode event = json.readTree(line); // throws when a line is not one JSON object
        assertThat(event.isObject()).as(line).isTrue();
        assertThat(event.path("level").asText()).as(line).isNotEmpty();
        assertThat(event.path("loggerName").asText()).as(line).isNotEmpty();
        assertThat(event.path("timestamp").isNumber()).as(line).isTrue();
        events.add(event);
      }
    }
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.path("mdc").path("resource.namespace").asText()).isEqualTo(ns);
              assertThat(e.path("mdc").path("resource.name").asText()).isEqualTo("clicks");
              assertThat(e.path("loggerName").asText()).startsWith("dev.spate.operator");
              assertThat(e.path("formattedMessage").asText()).contains("clicks");
            });
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.path("formattedMessage").asText())
                  .isEqualTo("a failure with\na second line");
              assertThat(e.path("throwable").path("message").asText()).isEqualTo("boom\nagain");
            });
  }

  /** Configures logback again from the operator's logback.xml, as at process start. */
  private static void reconfigureLogback() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }
}
