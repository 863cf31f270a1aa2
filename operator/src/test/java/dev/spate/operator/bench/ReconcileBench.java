package dev.spate.operator.bench;

import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.SecretReference;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.MockCluster;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.kafka.KafkaInspector;
import dev.spate.operator.resources.Labels;
import dev.spate.testkit.KafkaBroker;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Benchmark: the operator with many StreamingJobs against a real KRaft broker (testkit) and the
 * fabric8 CRUD mock API server. Prints figures; asserts nothing.
 *
 * <p>Set-up (defaults; system properties {@code spate.bench.jobs}, {@code spate.bench.namespaces},
 * {@code spate.bench.topics}, {@code spate.bench.window}): 2,000 jobs in 20 namespaces over 200
 * input topics of 4 partitions (10 jobs per topic), one output topic per namespace, every job with
 * its own consumer group. Three distinct (bootstrap servers, client settings) pairs: namespaces in
 * the first half name the broker as {@code 127.0.0.1:<port>}, the others as {@code
 * localhost:<port>}, and the last quarter also carries a client config Secret. A stand-in kubelet
 * marks every driver pod Running and Ready and adds the executor pods Spark would create (Running,
 * Ready). A stand-in for the jobs' offset committers commits every consumer group every 10 s (the
 * jobs' trigger) to the end offsets with {@code {batchId, timestamp}} metadata and then produces
 * more records, so lag, lag in seconds and the committed batch change at every Kafka poll, as with
 * running jobs.
 *
 * <p>{@code -Dspate.bench.namespaced=true} (the Maven profile's default; {@code false} for one
 * store and all namespaces): the operator in its namespaced mode ({@code spate.namespaces}: it
 * watches the 20 namespaces, one informer each), the mock split into one store per namespace
 * ({@link NamespaceShards}), so that each request scans its namespace's objects only, as a real API
 * server reads one key instead of scanning.
 *
 * <p>Printed: time until every job is {@code Running}; heap used after GC; then, over a
 * steady-state window after one lag refresh interval: reconcile p50/p90/p99/max (JOSDK's timing of
 * each reconcile, status write included), status writes per job per 30 s (PUT/PATCH of {@code
 * streamingjobs/<name>/status} counted by the mock), the duration of one Kafka poll round per
 * cluster against the poll interval, and the AdminClients created and open against the distinct
 * (bootstrap servers, client settings) pairs.
 *
 * <p>Run: {@code ./mvnw -B -pl operator -am -Pbench -DskipTests verify}
 */
public final class ReconcileBench {

  private static final int PARTITIONS_PER_TOPIC = 4;
  private static final Duration TRIGGER = Duration.ofSeconds(10);

  private ReconcileBench() {}

  /**
   * Collects the start, wall time and CPU time (of the reconciling thread: the operator's own work
   * and its client's, not the mock API server's) of every reconcile execution, in nanoseconds.
   */
  static final class Timing implements Metrics {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    final List<long[]> reconciles = Collections.synchronizedList(new ArrayList<>());

    @Override
    public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
      long start = System.nanoTime();
      long cpu = THREADS.getCurrentThreadCpuTime();
      try {
        return execution.execute();
      } finally {
        if ("reconcile".equals(execution.name())) {
          reconciles.add(
              new long[] {
                start, System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpu
              });
        }
      }
    }

    List<Long> durationsSince(long fromNanos) {
      return since(fromNanos, 1);
    }

    List<Long> cpuSince(long fromNanos) {
      return since(fromNanos, 2);
    }

    private List<Long> since(long fromNanos, int field) {
      synchronized (reconciles) {
        return reconciles.stream()
            .filter(r -> r[0] >= fromNanos)
            .map(r -> r[field])
            .sorted()
            .toList();
      }
    }
  }

  /**
   * The CRUD mock, counting status writes of StreamingJobs and timing how long the mock takes to
   * serve each (its store is a list it scans per request, so that time grows with the objects it
   * holds and is no cost of the operator's).
   */
  static final class CountingDispatcher extends KubernetesCrudDispatcher {
    final AtomicLong statusWrites = new AtomicLong();
    final List<long[]> statusWriteNanos = Collections.synchronizedList(new ArrayList<>());

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
      long start = System.nanoTime();
      try {
        return super.handleUpdate(request);
      } finally {
        count(request, start);
      }
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      long start = System.nanoTime();
      try {
        return super.handlePatch(request);
      } finally {
        count(request, start);
      }
    }

    private void count(RecordedRequest request, long start) {
      String path = request.getPath();
      if (path.contains("/streamingjobs/") && path.endsWith("/status")) {
        statusWrites.incrementAndGet();
        statusWriteNanos.add(new long[] {start, System.nanoTime() - start});
      }
    }

    List<Long> writeNanosSince(long fromNanos) {
      synchronized (statusWriteNanos) {
        return statusWriteNanos.stream()
            .filter(r -> r[0] >= fromNanos)
            .map(r -> r[1])
            .sorted()
            .toList();
      }
    }
  }

  private static long statusWrites(List<CountingDispatcher> stores) {
    return stores.stream().mapToLong(d -> d.statusWrites.get()).sum();
  }

  /** Keeps the mock web server's per-request log lines (java.util.logging) off. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  /**
   * @param args none (see the class comment for the system properties)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    int jobs = Integer.getInteger("spate.bench.jobs", 2000);
    int namespaces = Integer.getInteger("spate.bench.namespaces", 20);
    int topics = Integer.getInteger("spate.bench.topics", 200);
    Duration window = Duration.ofSeconds(Integer.getInteger("spate.bench.window", 90));
    String lagStatusInterval = System.getProperty("spate.bench.lagStatusInterval", "30s");
    Duration lagInterval = Duration.ofSeconds(30);
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    System.out.printf(
        "ReconcileBench: %d jobs in %d namespaces, %d input topics x %d partitions,"
            + " spate.lagStatusInterval=%s; load %s%n",
        jobs, namespaces, topics, PARTITIONS_PER_TOPIC, lagStatusInterval, load());

    boolean namespaced = Boolean.getBoolean("spate.bench.namespaced");
    System.out.println(
        namespaced
            ? "operator watches each namespace; the mock keeps one store per namespace"
            : "operator watches all namespaces; the mock keeps one store");
    NamespaceShards shards = new NamespaceShards();
    CountingDispatcher single = new CountingDispatcher();
    java.util.function.Supplier<List<CountingDispatcher>> stores =
        () -> namespaced ? shards.stores() : List.of(single);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            namespaced ? shards : single,
            false);
    server.init();
    ExecutorService kubeletPool = Executors.newFixedThreadPool(4);
    try (KafkaBroker broker = KafkaBroker.start();
        KubernetesClient client = server.createClient();
        Admin admin = broker.admin()) {
      String port = broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':'));
      for (int t = 0; t < topics; t++) {
        broker.createTopic(inputTopic(t), PARTITIONS_PER_TOPIC);
      }
      for (int n = 0; n < namespaces; n++) {
        broker.createTopic(outputTopic(n), 1);
      }
      MockCluster.createCrd(client);
      List<String> groups = new ArrayList<>();
      for (int n = 0; n < namespaces; n++) {
        String ns = namespace(n);
        MockCluster.createNamespace(client, ns);
        if (withSecret(n, namespaces)) {
          client
              .resource(
                  new SecretBuilder()
                      .withNewMetadata()
                      .withName("kafka-client")
                      .withNamespace(ns)
                      .endMetadata()
                      .addToData(
                          "client.properties",
                          Base64.getEncoder()
                              .encodeToString(
                                  "metadata.max.age.ms=300000\n".getBytes(StandardCharsets.UTF_8)))
                      .build())
              .create();
        }
      }
      for (int i = 0; i < jobs; i++) {
        int n = i % namespaces;
        String bootstrap = (n < namespaces / 2 ? "127.0.0.1" : "localhost") + port;
        StreamingJob job = job(n, i, bootstrap, inputTopic(i % topics), withSecret(n, namespaces));
        groups.add(job.getSpec().getKafka().getConsumerGroup());
        client.resource(job).create();
      }
      int distinctClusters = namespaces >= 4 ? 3 : namespaces >= 2 ? 2 : 1;

      // the jobs' offset committers: commit every group, then more input, every trigger
      Committer committer = new Committer(broker, admin, topics, jobs, groups);
      committer.round(); // a first commit before the operator starts (groups exist)
      var ticker = Executors.newSingleThreadScheduledExecutor();
      ticker.scheduleWithFixedDelay(
          committer::roundQuietly, TRIGGER.toMillis(), TRIGGER.toMillis(), TimeUnit.MILLISECONDS);
      // the mock keeps every request it served for takeRequest(): drop them, or they fill the heap
      var drain = Executors.newSingleThreadScheduledExecutor();
      drain.scheduleWithFixedDelay(() -> drain(server), 1, 1, TimeUnit.SECONDS);

      // the kubelet and Spark's executor allocation
      ResourceEventHandler<Pod> driverStarted =
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
              kubeletPool.submit(() -> runDriver(client, pod));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {}

            @Override
            public void onDelete(Pod pod, boolean unknown) {}
          };
      List<SharedIndexInformer<Pod>> kubelet = new ArrayList<>();
      if (namespaced) {
        for (int n = 0; n < namespaces; n++) {
          kubelet.add(
              client
                  .pods()
                  .inNamespace(namespace(n))
                  .withLabel(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
                  .inform(driverStarted));
        }
      } else {
        kubelet.add(
            client
                .pods()
                .inAnyNamespace()
                .withLabel(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
                .inform(driverStarted));
      }

      long[] heapRunning = new long[1];
      OperatorConfig config =
          OperatorConfig.read(
              Map.of(
                  "spate.serverSideApply",
                  "false",
                  "spate.leaderElection",
                  "false",
                  "spate.defaultImage",
                  "spate-spark:bench",
                  "spate.lagStatusInterval",
                  lagStatusInterval,
                  "spate.namespaces",
                  namespaced
                      ? String.join(
                          ",",
                          java.util.stream.IntStream.range(0, namespaces)
                              .mapToObj(ReconcileBench::namespace)
                              .toList())
                      : ""),
              Map.of());
      Timing timing = new Timing();
      List<KafkaInspector.PollRound> rounds = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger adminsCreated = new AtomicInteger();
      KafkaInspector<?>[] inspector = new KafkaInspector<?>[1];
      try (SpateOperator operator =
          new SpateOperator(
              client,
              config,
              "bench",
              timing,
              (interval, onChange) -> {
                var created =
                    new KafkaInspector<>(
                        interval,
                        Duration.ofSeconds(10),
                        settings -> {
                          adminsCreated.incrementAndGet();
                          return Admin.create(settings);
                        },
                        onChange,
                        Clock.systemUTC());
                created.onPollRound(rounds::add);
                inspector[0] = created;
                return created;
              })) {
        long start = System.nanoTime();
        operator.start();
        Awaitility.await()
            .atMost(Duration.ofMinutes(15))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> running(operator) >= jobs);
        double rollout = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "rollout: all %d jobs Running (driver + executors Ready, status written) in %.1f s;"
                + " load %s%n",
            jobs, rollout, load());
        heapRunning[0] = heapAfterGc();
        // steady state: one lag refresh interval to settle, then the measured window
        Thread.sleep(lagInterval.toMillis()); // NOPMD: a benchmark's settle time, not a sync point
        long from = System.nanoTime();
        long writesBefore = statusWrites(stores.get());
        int roundsBefore = rounds.size();
        Thread.sleep(window.toMillis()); // NOPMD: the measured window
        long writes = statusWrites(stores.get()) - writesBefore;
        List<Long> sample = timing.durationsSince(from);
        List<KafkaInspector.PollRound> windowRounds;
        synchronized (rounds) {
          windowRounds = new ArrayList<>(rounds.subList(roundsBefore, rounds.size()));
        }
        System.out.printf(
            "steady state, %d s window after %d s settling (load %s):%n",
            window.toSeconds(), lagInterval.toSeconds(), load());
        if (sample.isEmpty()) {
          System.out.println("  no reconcile ran in the window");
        } else {
          System.out.printf(
              "  reconciles: %d (%.1f/s); p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms"
                  + " (target p99 < 200 ms)%n",
              sample.size(),
              sample.size() / (double) window.toSeconds(),
              pct(sample, 50),
              pct(sample, 90),
              pct(sample, 99),
              sample.get(sample.size() - 1) / 1e6);
        }
        List<Long> cpu = timing.cpuSince(from);
        if (!cpu.isEmpty()) {
          System.out.printf(
              "  CPU time of the reconciling thread (the operator's work, its client's"
                  + " serialisation): p50 %.2f ms  p90 %.2f ms  p99 %.2f ms%n",
              pct(cpu, 50), pct(cpu, 90), pct(cpu, 99));
        }
        List<Long> served =
            stores.get().stream().flatMap(d -> d.writeNanosSince(from).stream()).sorted().toList();
        if (!served.isEmpty()) {
          System.out.printf(
              "  of which the mock API server serving the status write (not the operator's):"
                  + " p50 %.2f ms  p90 %.2f ms  p99 %.2f ms%n",
              pct(served, 50), pct(served, 90), pct(served, 99));
        }
        System.out.printf(
            "  status writes: %d = %.2f per job per 30 s (target <= 1; jobs commit every %d s)%n",
            writes, writes / (double) jobs / (window.toSeconds() / 30.0), TRIGGER.toSeconds());
        Map<String, List<KafkaInspector.PollRound>> byCluster = new HashMap<>();
        windowRounds.forEach(
            r ->
                byCluster
                    .computeIfAbsent(
                        r.cluster() + " (" + r.clientSettings() + " client settings)",
                        c -> new ArrayList<>())
                    .add(r));
        byCluster.forEach(
            (cluster, list) -> {
              List<Long> took = list.stream().map(r -> r.took().toNanos()).sorted().toList();
              KafkaInspector.PollRound last = list.get(list.size() - 1);
              System.out.printf(
                  "  Kafka poll round of %s: %d rounds, %d groups, %d partitions; p50 %.0f ms"
                      + "  max %.0f ms vs poll interval %d ms; failed %d%n",
                  cluster,
                  list.size(),
                  last.groups(),
                  last.partitions(),
                  pct(took, 50),
                  took.get(took.size() - 1) / 1e6,
                  config.kafkaPollInterval().toMillis(),
                  list.stream().filter(r -> !r.ok()).count());
            });
        System.out.printf(
            "  AdminClients: %d created, %d open; distinct (bootstrap servers, client settings)"
                + " pairs: %d%n",
            adminsCreated.get(), inspector[0].openClients(), distinctClusters);
      } finally {
        ticker.shutdownNow();
        kubelet.forEach(SharedIndexInformer::close);
      }
      drain(server);
      long heapStopped = heapAfterGc();
      System.out.printf(
          "heap used after GC: %.1f MiB with the operator running, %.1f MiB once it stopped (the"
              + " broker, the mock API server and its objects stay): the operator held %.1f MiB"
              + " (target < 512 MiB)%n",
          heapRunning[0] / 1048576.0,
          heapStopped / 1048576.0,
          (heapRunning[0] - heapStopped) / 1048576.0);
      drain.shutdownNow();
      committer.close();
    } finally {
      kubeletPool.shutdownNow();
      server.destroy();
    }
  }

  /** What the kubelet and Spark do for a new driver pod: Running, Ready, executors added. */
  private static void runDriver(KubernetesClient client, Pod driver) {
    try {
      String ns = driver.getMetadata().getNamespace();
      String now = Instant.now().toString();
      client
          .pods()
          .inNamespace(ns)
          .withName(driver.getMetadata().getName())
          .editStatus(
              p ->
                  new PodBuilder(p)
                      .withNewStatus()
                      .withPhase("Running")
                      .withPodIP("10.0.0.1")
                      .withStartTime(now)
                      .withConditions(ready(now))
                      .endStatus()
                      .build());
      String start = driver.getMetadata().getAnnotations().get(Labels.START_EXECUTORS);
      int executors = start == null ? 1 : Integer.parseInt(start);
      for (int e = 1; e <= executors; e++) {
        Pod executor =
            new PodBuilder()
                .withNewMetadata()
                .withName(driver.getMetadata().getName() + "-exec-" + e)
                .withNamespace(ns)
                .addToLabels(Labels.SPARK_ROLE, Labels.ROLE_EXECUTOR)
                .addToLabels(Labels.JOB, driver.getMetadata().getLabels().get(Labels.JOB))
                .addToLabels(
                    Labels.SPARK_APP_SELECTOR,
                    driver.getMetadata().getLabels().get(Labels.SPARK_APP_SELECTOR))
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("Pod")
                .withName(driver.getMetadata().getName())
                .withUid(driver.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("spark-kubernetes-executor")
                .withImage("spate-spark:bench")
                .endContainer()
                .endSpec()
                .build();
        client.resource(executor).create();
        client
            .pods()
            .inNamespace(ns)
            .withName(executor.getMetadata().getName())
            .editStatus(
                p ->
                    new PodBuilder(p)
                        .withNewStatus()
                        .withPhase("Running")
                        .withStartTime(now)
                        .withConditions(ready(now))
                        .endStatus()
                        .build());
      }
    } catch (KubernetesClientException e) {
      System.err.println("kubelet: " + e.getMessage());
    }
  }

  private static PodCondition ready(String at) {
    return new PodConditionBuilder()
        .withType("Ready")
        .withStatus("True")
        .withLastTransitionTime(at)
        .build();
  }

  /** Stand-in for the jobs' offset committers and their input. */
  static final class Committer {
    private final Admin admin;
    private final KafkaProducer<String, String> producer;
    private final int topics;
    private final int jobs;
    private final List<String> groups;
    private long batchId;

    Committer(KafkaBroker broker, Admin admin, int topics, int jobs, List<String> groups) {
      this.admin = admin;
      this.topics = topics;
      this.jobs = jobs;
      this.groups = groups;
      this.producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                  ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                  ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                  ProducerConfig.LINGER_MS_CONFIG, 20));
    }

    void close() {
      producer.close(Duration.ofSeconds(5));
    }

    void roundQuietly() {
      try {
        round();
      } catch (Exception e) {
        System.err.println("committer: " + e);
      }
    }

    /** Commits every group to the end offsets of its topic, then produces 40 records a topic. */
    void round() throws Exception {
      batchId++;
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int t = 0; t < topics; t++) {
        for (int p = 0; p < PARTITIONS_PER_TOPIC; p++) {
          request.put(new TopicPartition(inputTopic(t), p), OffsetSpec.latest());
        }
      }
      Map<TopicPartition, Long> end = new HashMap<>();
      admin
          .listOffsets(request)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> end.put(tp, info.offset()));
      String metadata =
          "{\"batchId\":" + batchId + ",\"timestamp\":" + System.currentTimeMillis() + "}";
      List<KafkaFuture<Void>> commits = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        String topic = inputTopic(i % topics);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p = 0; p < PARTITIONS_PER_TOPIC; p++) {
          TopicPartition tp = new TopicPartition(topic, p);
          offsets.put(tp, new OffsetAndMetadata(end.get(tp), metadata));
        }
        commits.add(admin.alterConsumerGroupOffsets(groups.get(i), offsets).all());
      }
      KafkaFuture.allOf(commits.toArray(new KafkaFuture<?>[0])).get(60, TimeUnit.SECONDS);
      for (int t = 0; t < topics; t++) {
        for (int r = 0; r < 40; r++) {
          producer.send(
              new ProducerRecord<>(inputTopic(t), r % PARTITIONS_PER_TOPIC, "k" + r, "{}"));
        }
      }
      producer.flush();
    }
  }

  private static void drain(KubernetesMockServer server) {
    try {
      while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
        // dropped
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long running(SpateOperator operator) {
    return operator.cachedJobs().stream()
        .filter(j -> j.getStatus() != null && j.getStatus().getPhase() == Phase.RUNNING)
        .count();
  }

  private static String namespace(int n) {
    return String.format("bench-%02d", n);
  }

  private static String inputTopic(int t) {
    return String.format("in-%03d", t);
  }

  private static String outputTopic(int n) {
    return String.format("out-%02d", n);
  }

  private static boolean withSecret(int n, int namespaces) {
    return namespaces >= 4 && n >= namespaces - namespaces / 4;
  }

  private static StreamingJob job(
      int n, int i, String bootstrap, String topic, boolean clientSecret) {
    String ns = namespace(n);
    String name = String.format("job-%04d", i);
    StreamingJob job = TestJobs.minimal(ns, name, bootstrap);
    job.getSpec().getKafka().setInputTopics(List.of(topic));
    job.getSpec().getKafka().setOutputTopic(outputTopic(n));
    job.getSpec().getKafka().setConsumerGroup("spate." + ns + "." + name);
    if (clientSecret) {
      SecretReference ref = new SecretReference();
      ref.setName("kafka-client");
      job.getSpec().getKafka().setClientConfigSecretRef(ref);
    }
    ExecutorSpec executor = new ExecutorSpec();
    executor.setCores(2);
    executor.setMinExecutors(1);
    executor.setMaxExecutors(2);
    job.getSpec().setExecutor(executor);
    return job;
  }

  private static String load() {
    double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.format("%.2f", l);
  }

  private static double pct(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200); // NOPMD: lets the collector finish between two requests
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
