package dev.spate.operator.bench;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.kafka.FakeKafka;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark: reconcile time of one StreamingJob on the fabric8 CRUD mock (p50/p99 of the
 * controller's reconcile executions, as JOSDK times them), and the operator's heap with 100 jobs.
 * Kafka is a {@link FakeKafka} that reads 4 partitions, so every job is sized and deployed. Prints
 * figures; asserts nothing. Run: {@code ./mvnw -B -pl operator -am -Pbench -DskipTests verify}
 */
public final class ReconcileBench {

  private ReconcileBench() {}

  /** Collects the duration of every reconcile execution, in nanoseconds. */
  static final class Timing implements Metrics {
    final List<Long> reconcileNanos = Collections.synchronizedList(new ArrayList<>());

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
      long start = System.nanoTime();
      try {
        return execution.execute();
      } finally {
        if ("reconcile".equals(execution.name())) {
          reconcileNanos.add(System.nanoTime() - start);
        }
      }
    }
  }

  /**
   * @param args none
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int warmup = 200;
    int measured = 1000;
    int jobs = 100;
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      try (InputStream crd =
          CrdRuleEvaluator.class
              .getClassLoader()
              .getResourceAsStream(CrdRuleEvaluator.STREAMING_JOB_CRD)) {
        client
            .resource(
                client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
            .create();
      }
      for (String ns : List.of("bench-one", "bench-many")) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }

      // 1. reconcile time of one job: the reconcile interval (10 ms) keeps re-reconciling it
      Timing timing = new Timing();
      OperatorConfig fast =
          OperatorConfig.read(
              Map.of(
                  "spate.namespaces",
                  "bench-one",
                  "spate.reconcileInterval",
                  "10ms",
                  "spate.kafkaPollInterval",
                  "10s",
                  "spate.serverSideApply",
                  "false",
                  "spate.leaderElection",
                  "false"),
              Map.of());
      try (SpateOperator operator =
          new SpateOperator(client, fast, "bench", timing, new FakeKafka().partitions(4))) {
        operator.start();
        client.resource(job("bench-one", "clicks")).create();
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofMinutes(5))
            .pollInterval(java.time.Duration.ofMillis(50))
            .until(() -> timing.reconcileNanos.size() >= warmup + measured);
      }
      List<Long> sample = new ArrayList<>(timing.reconcileNanos.subList(warmup, warmup + measured));
      Collections.sort(sample);
      System.out.printf(
          "reconcile of one job on the CRUD mock (JDK HTTP client, %d warm reconciles after %d warm-up):%n",
          measured, warmup);
      System.out.printf(
          "  first (cold, creates 4 objects) %.1f ms%n", timing.reconcileNanos.get(0) / 1e6);
      System.out.printf(
          "  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
          pct(sample, 50), pct(sample, 90), pct(sample, 99), sample.get(sample.size() - 1) / 1e6);

      // 2. heap with 100 jobs: jobs exist in the mock before and after; the difference is what the
      //    operator holds (informer caches of 100 jobs + 400 owned objects, Kafka snapshots, JOSDK)
      //    plus the mock's copies of the 400 owned objects it created
      for (int i = 0; i < jobs; i++) {
        client.resource(job("bench-many", "job-" + i)).create();
      }
      long before = heapAfterGc();
      OperatorConfig many =
          OperatorConfig.read(
              Map.of(
                  "spate.namespaces",
                  "bench-many",
                  "spate.reconcileInterval",
                  "60s",
                  "spate.serverSideApply",
                  "false",
                  "spate.leaderElection",
                  "false"),
              Map.of());
      Timing manyTiming = new Timing();
      try (SpateOperator operator =
          new SpateOperator(client, many, "bench", manyTiming, new FakeKafka().partitions(4))) {
        long start = System.nanoTime();
        operator.start();
        org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofMinutes(5))
            .pollInterval(java.time.Duration.ofMillis(100))
            .until(
                () ->
                    client
                        .resources(StreamingJob.class)
                        .inNamespace("bench-many")
                        .list()
                        .getItems()
                        .stream()
                        .allMatch(
                            j ->
                                j.getStatus() != null
                                    && Integer.valueOf(1).equals(j.getStatus().getAttempt())));
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = heapAfterGc();
        System.out.printf(
            "%d jobs: all deployed with status in %.1f s; heap used after GC %.1f MiB"
                + " (before operator %.1f MiB, operator + owned objects +%.1f MiB)%n",
            jobs, seconds, after / 1048576.0, before / 1048576.0, (after - before) / 1048576.0);
      }
    } finally {
      server.destroy();
    }
  }

  private static StreamingJob job(String ns, String name) {
    StreamingJob job = TestJobs.load("minimal");
    job.getMetadata().setNamespace(ns);
    job.getMetadata().setName(name);
    // one checkpoint location per job: the operator refuses a second job on a location
    job.getSpec()
        .getCheckpoint()
        .setLocation(
            "s3a://spate-checkpoints/"
                + job.getMetadata().getNamespace()
                + "/"
                + job.getMetadata().getName());
    job.getMetadata().setUid(null);
    job.getSpec().getKafka().setBootstrapServers("fake:9092"); // read through FakeKafka
    return job;
  }

  private static double pct(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
