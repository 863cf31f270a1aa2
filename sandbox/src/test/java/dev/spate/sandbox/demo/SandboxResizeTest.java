package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * End to end, live resize: while the flights data streams, the input topic grows from 2 to 6
 * partitions (executor cores 2: executors 1 → 3) and the operator resizes the running driver live;
 * then {@code maxExecutors} drops to 1 and the executor count drops live. The driver pod keeps its
 * UID throughout (no restart), the new executors run tasks (their Spark logs), and the output
 * equals the totals computed independently from the file. Prints the time from {@code
 * createPartitions} to the desired executors being ready.
 */
class SandboxResizeTest {

  private static final Duration POLL = Duration.ofSeconds(1);

  @Test
  void partitionsGrowThenMaxExecutorsShrinksLiveWithoutRestartingTheDriver() throws Exception {
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("resize-" + System.currentTimeMillis())
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    Sandbox.Options options =
        new Sandbox.Options(
            defaults.sparkHome(), runDir, false, POLL, Map.of("spate.scaleDownWindow", "0s"));
    try (Sandbox sandbox = Sandbox.start(options)) {
      KubernetesClient client = sandbox.client();
      DriverCalls driverCalls = DriverCalls.record(sandbox);
      StreamingJob job =
          new DemoScenario(sandbox, data, System.out, Duration.ofMinutes(4)).manifest();
      assertThat(job.getSpec().getExecutor().getCores())
          .as("the example's executor cores")
          .isEqualTo(2);
      String ns = job.getMetadata().getNamespace();
      String name = job.getMetadata().getName();
      String input = job.getSpec().getKafka().getInputTopics().get(0);
      Resource<StreamingJob> resource =
          client.resources(StreamingJob.class).inNamespace(ns).withName(name);
      DemoScenario.prepare(sandbox, job, 2);

      Map<String, JsonNode> latest = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      Thread consumer =
          new Thread(
              () ->
                  DemoScenario.consume(
                      sandbox.kafka().bootstrapServers(),
                      job.getSpec().getKafka().getOutputTopic(),
                      latest,
                      new AtomicReference<>(),
                      stop),
              "resize-output-consumer");
      AtomicLong produced = new AtomicLong();
      // 500 records per 250 ms (about 10 s for the file); the producer refreshes its metadata
      // every second so that the added partitions receive records too
      Thread producer =
          new Thread(
              () ->
                  DemoScenario.produce(
                      sandbox.kafka().bootstrapServers(),
                      input,
                      data,
                      produced,
                      500,
                      Map.of(ProducerConfig.METADATA_MAX_AGE_CONFIG, "1000")),
              "resize-producer");
      try {
        client.resources(StreamingJob.class).inNamespace(ns).resource(job).create();
        consumer.start();
        await()
            .atMost(Duration.ofSeconds(120))
            .untilAsserted(
                () -> {
                  StreamingJob current = resource.get();
                  assertThat(current.getStatus()).isNotNull();
                  assertThat(current.getStatus().getPhase()).isEqualTo(Phase.RUNNING);
                  assertThat(current.getStatus().getExecutors().getSummary())
                      .as("ceil(2 / 2)")
                      .isEqualTo("1/1");
                  assertThat(readyExecutors(client, ns)).hasSize(1);
                });
        String driverUid = driver(client, ns).getMetadata().getUid();
        Set<String> firstExecutors = readyExecutors(client, ns);

        producer.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> produced.get() >= 4_000);
        Instant grown = Instant.now();
        sandbox.kafka().addPartitions(input, 6);
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  assertThat(readyExecutors(client, ns))
                      .as("executor pods Running and Ready")
                      .hasSize(3);
                  assertThat(resource.get().getStatus().getExecutors().getSummary())
                      .isEqualTo("3/3");
                });
        Duration toReady = Duration.between(grown, Instant.now());
        // Spark executor pods have no readiness probe: Ready = the JVM started (here as on a
        // real kubelet); registered = the executor joined the driver and can take tasks
        Path driverLog =
            sandbox
                .kubelet()
                .workspace(ns, driver(client, ns).getMetadata().getName())
                .resolve("stderr.log");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    Files.readString(driverLog).split("Registered executor ", -1).length - 1 >= 3);
        Duration toRegistered = Duration.between(grown, Instant.now());
        System.out.printf(
            Locale.ROOT,
            "RESIZE createPartitions 2 → 6: executors 3/3 ready in %.1f s,"
                + " 3 registered with the driver in %.1f s%n",
            toReady.toMillis() / 1000.0,
            toRegistered.toMillis() / 1000.0);
        assertThat(resource.get().getStatus().getPhase()).isEqualTo(Phase.RUNNING);
        assertThat(driver(client, ns).getMetadata().getUid())
            .as("no driver restart")
            .isEqualTo(driverUid);

        // every record in, every key right, the group committed the end offsets
        String group = Defaults.consumerGroup(ns, name);
        try (Admin admin = sandbox.kafka().admin()) {
          await()
              .atMost(Duration.ofSeconds(120))
              .untilAsserted(
                  () -> {
                    assertThat(produced.get()).isEqualTo(data.records().size());
                    assertThat(DemoScenario.matching(data, latest)).isEqualTo(data.totals().size());
                    assertThat(latest).hasSize(data.totals().size());
                    assertThat(DemoScenario.lag(admin, input, group)).isZero();
                  });
        }
        // the executors added by the resize ran tasks (Spark's executor log)
        Set<String> added = readyExecutors(client, ns);
        added.removeAll(firstExecutors);
        assertThat(added).hasSize(2);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(added)
                        .allSatisfy(
                            pod ->
                                assertThat(
                                        Files.readString(
                                            sandbox
                                                .kubelet()
                                                .workspace(ns, pod)
                                                .resolve("stderr.log")))
                                    .as(pod)
                                    .contains("Running task")));
        await()
            .atMost(DemoScenario.operatorLagBound(POLL))
            .untilAsserted(
                () -> assertThat(resource.get().getStatus().getKafka().getLag()).isZero());

        // lower maxExecutors: the count drops live
        Instant shrunk = Instant.now();
        resource.edit(
            j -> {
              j.getSpec().getExecutor().setMaxExecutors(1);
              return j;
            });
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  assertThat(executorPods(client, ns)).as("executor pods left").hasSize(1);
                  assertThat(resource.get().getStatus().getExecutors().getSummary())
                      .isEqualTo("1/1");
                  assertThat(resource.get().getStatus().getPhase()).isEqualTo(Phase.RUNNING);
                });
        System.out.printf(
            Locale.ROOT,
            "RESIZE maxExecutors 4 → 1 → executors 1/1 in %.1f s%n",
            Duration.between(shrunk, Instant.now()).toMillis() / 1000.0);
        StreamingJob end = resource.get();
        assertThat(driver(client, ns).getMetadata().getUid())
            .as("no driver restart")
            .isEqualTo(driverUid);
        assertThat(end.getStatus().getRestarts().getCount()).as("driver restarts").isZero();
        System.out.println(
            "RESIZE driver restarts "
                + end.getStatus().getRestarts().getCount()
                + ", driver UID unchanged");
        // growing and shrinking live (requestTotalExecutors, killExecutors) called only what the
        // job's driver Role allows (the sandbox enforces no RBAC)
        driverCalls.assertAllowedBy(
            client.rbac().roles().inNamespace(ns).withName(name + "-driver").get(),
            name + "-control",
            "RESIZE RBAC");
      } finally {
        stop.set(true);
        producer.interrupt();
        producer.join(5_000);
        consumer.join(5_000);
      }
    }
  }

  private static Pod driver(KubernetesClient client, String ns) {
    List<Pod> drivers =
        client.pods().inNamespace(ns).withLabel("spark-role", "driver").list().getItems();
    assertThat(drivers).hasSize(1);
    return drivers.get(0);
  }

  private static List<Pod> executorPods(KubernetesClient client, String ns) {
    return client.pods().inNamespace(ns).withLabel("spark-role", "executor").list().getItems();
  }

  /** Names of the executor pods that are Running with condition Ready True. */
  private static Set<String> readyExecutors(KubernetesClient client, String ns) {
    Set<String> ready = new java.util.TreeSet<>();
    for (Pod p : executorPods(client, ns)) {
      boolean isReady =
          p.getStatus() != null
              && "Running".equals(p.getStatus().getPhase())
              && p.getStatus().getConditions() != null
              && p.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (isReady) {
        ready.add(p.getMetadata().getName());
      }
    }
    return ready;
  }
}
