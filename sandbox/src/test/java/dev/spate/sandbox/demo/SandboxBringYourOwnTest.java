package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spate.api.v1alpha1.ApplicationSpec;
import dev.spate.api.v1alpha1.BackoffSpec;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.RestartPolicySpec;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.images.ApplicationImage;
import dev.spate.sandbox.images.StandinImages;
import dev.spate.sandbox.kubelet.PodRuntime;
import dev.spate.sandbox.kubelet.PodmanCommands;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bring-your-own application end to end: the test compiles its own Structured Streaming query
 * ({@code com.example.origins.OriginCounts}, test resource {@code byo-app/}: Kafka → {@code
 * groupBy(key).count()} → Kafka, nothing of Spate in it) into its own jar, which the kubelet serves
 * at {@code /opt/app/origin-counts.jar} of the image, and applies a StreamingJob whose {@code
 * spec.application} names it. The operator puts the Spate jar on the driver's and executors' class
 * path, so Spate's offset committer and executor scaling plugin run inside that application: the
 * job reaches Running with lag in its status; while the flights data streams the input topic grows
 * 2 → 6 partitions and the executors grow 1 → 3 live (same driver pod); the per-origin counts equal
 * the file's and the lag drops to 0; then, while the data streams a second time, {@code kill -9} of
 * the driver JVM: the operator's new driver continues from the checkpoint (micro-batch ids go on,
 * {@code restarts.count} 1) and every count is exactly twice the file's. Along the way: the driver
 * pod's {@code spark-app-selector}, {@code spark-version} and {@code spark-app-name} labels equal
 * what Spark itself puts on the executor pods; the second attempt has its own Spark application id
 * ({@code …-2}), executor pod names ({@code <job>-2-exec-N}) and event log next to the first's.
 *
 * <p>Runs once per kubelet runtime, one scenario body. {@link PodRuntime#JVM}: the kubelet adds the
 * jar to its stand-in "image" at {@code /opt/app/origin-counts.jar}; the kill is {@code kill -9} of
 * the driver JVM. {@link PodRuntime#PODMAN}: the jar reaches the pods as it would on a cluster, in
 * an image of the application's own ({@link ApplicationImage}: {@code FROM} the Spate Spark image,
 * the jar copied in) named in {@code spec.image}, which the operator runs because the test lists it
 * in {@code spate.allowedImages}; the driver and every executor run that image, the Spate jar comes
 * from its base at {@code /opt/spate/spate-job.jar}; the kill is {@code podman kill --signal KILL}
 * of the driver container (its init and JVM die at once). Prints {@code BYO <runtime> …} lines with
 * the times.
 */
class SandboxBringYourOwnTest {

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP_JAR = "/opt/app/origin-counts.jar";
  private static final String MAIN_CLASS = "com.example.origins.OriginCounts";

  /** JVM options of the application's driver and executors (see {@link #manifest}). */
  private static final String SMALL_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  /** Where the Spate Spark image holds the Spate jar (deploy/spark.Dockerfile). */
  private static final String SPATE_JAR = "/opt/spate/spate-job.jar";

  @ParameterizedTest(name = "{0}")
  @EnumSource(PodRuntime.class)
  void ownApplicationShowsLagResizesLiveAndRestartsFromItsCheckpoint(PodRuntime runtime)
      throws Exception {
    boolean containers = runtime == PodRuntime.PODMAN;
    String prefix = "BYO " + runtime.name().toLowerCase(Locale.ROOT) + " ";
    if (containers) {
      StandinImages.ensureBuilt();
    }
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    String runName =
        "byo-" + runtime.name().toLowerCase(Locale.ROOT) + "-" + System.currentTimeMillis();
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve(runName)
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    Files.createDirectories(runDir);
    Instant compileStart = Instant.now();
    Path jar =
        ApplicationJar.build("byo-app", defaults.sparkHome(), runDir.resolve("origin-counts.jar"));
    System.out.printf(
        Locale.ROOT,
        prefix + "application jar compiled and packed in %.1f s (%d bytes)%n",
        Duration.between(compileStart, Instant.now()).toMillis() / 1000.0,
        Files.size(jar));
    Map<String, String> operatorOptions = new java.util.HashMap<>();
    operatorOptions.put("spate.scaleDownWindow", "0s");
    String image = null;
    if (containers) {
      // the application's own image, as its author would build and push it for a cluster
      Instant buildStart = Instant.now();
      image =
          ApplicationImage.build(
              Sandbox.CONTAINER_SPARK_IMAGE,
              jar,
              APP_JAR,
              "localhost/example/origin-counts:" + runName,
              runDir.resolve("image"));
      System.out.printf(
          Locale.ROOT,
          prefix + "image %s built FROM %s in %.1f s%n",
          image,
          Sandbox.CONTAINER_SPARK_IMAGE,
          Duration.between(buildStart, Instant.now()).toMillis() / 1000.0);
      // the application jar and the Spate jar the operator puts on the class path are both there
      StandinImages.podman(
          "run", "--rm", "--pull=never", "--network", "none", image, "ls", APP_JAR, SPATE_JAR);
      operatorOptions.put("spate.allowedImages", image);
    }
    Sandbox.Options options =
        new Sandbox.Options(defaults.sparkHome(), runDir, false, POLL, operatorOptions)
            .withRuntime(runtime);
    if (!containers) {
      options = options.withImageFiles(Map.of(APP_JAR, jar));
    }
    Instant scenarioStart = Instant.now();
    try (Sandbox sandbox = Sandbox.start(options)) {
      KubernetesClient client = sandbox.client();
      StreamingJob job = manifest(sandbox, data);
      job.getSpec().setImage(image);
      String ns = job.getMetadata().getNamespace();
      String name = job.getMetadata().getName();
      String input = job.getSpec().getKafka().getInputTopics().get(0);
      String group = Defaults.consumerGroup(ns, name);
      Resource<StreamingJob> resource =
          client.resources(StreamingJob.class).inNamespace(ns).withName(name);
      DemoScenario.prepare(sandbox, job, 2);
      // Spark's event logs on the shared volume (spark.eventLog.dir must exist beforehand)
      Path eventLogs =
          Files.createDirectories(
              runDir.resolve(
                  "volumes/pvc/"
                      + ns
                      + "/"
                      + job.getSpec().getCheckpoint().getVolume().getClaimName()
                      + "/spark-events"));
      // written by the driver, which in a container runs as uid 185
      Files.setPosixFilePermissions(eventLogs, PosixFilePermissions.fromString("rwxrwxrwx"));

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
              "byo-output-consumer");
      AtomicLong firstPass = new AtomicLong();
      AtomicLong secondPass = new AtomicLong();
      Thread producer = producer(sandbox, input, data, firstPass, "byo-producer-1");
      Thread producer2 = producer(sandbox, input, data, secondPass, "byo-producer-2");
      try (Admin admin = sandbox.kafka().admin()) {
        Instant applied = Instant.now();
        client.resources(StreamingJob.class).inNamespace(ns).resource(job).create();
        consumer.start();
        await()
            .atMost(Duration.ofSeconds(120))
            .untilAsserted(
                () -> {
                  StreamingJob current = resource.get();
                  assertThat(current.getStatus()).isNotNull();
                  assertThat(current.getStatus().getPhase()).isEqualTo(Phase.RUNNING);
                  assertThat(current.getStatus().getExecutors().getSummary()).isEqualTo("1/1");
                });
        Pod firstDriver = driver(client, ns);
        assertThat(firstDriver.getSpec().getContainers().get(0).getArgs())
            .as("the driver runs the application's own main class and jar")
            .containsSubsequence("--class", MAIN_CLASS, "local://" + APP_JAR);
        if (containers) {
          assertThat(firstDriver.getSpec().getContainers().get(0).getImage())
              .as("the driver runs the application's image")
              .isEqualTo(image);
        }
        // the labels spark-submit puts on a driver, equal to what Spark itself puts on executors
        Pod firstExecutor =
            client
                .pods()
                .inNamespace(ns)
                .withLabel("spark-role", "executor")
                .list()
                .getItems()
                .get(0);
        if (containers) {
          assertThat(firstExecutor.getSpec().getContainers().get(0).getImage())
              .as("Spark gives executors the application's image")
              .isEqualTo(image);
        }
        Map<String, String> driverLabels = firstDriver.getMetadata().getLabels();
        Map<String, String> executorLabels = firstExecutor.getMetadata().getLabels();
        assertThat(driverLabels).containsEntry("spark-role", "driver");
        for (String label : List.of("spark-app-selector", "spark-version", "spark-app-name")) {
          assertThat(driverLabels.get(label))
              .as("driver label %s = the executor's (set by Spark)", label)
              .isNotBlank()
              .isEqualTo(executorLabels.get(label));
        }
        assertThat(resource.get().getStatus().getSparkApplicationId())
            .isEqualTo(driverLabels.get("spark-app-selector"))
            .endsWith("-1");
        System.out.printf(
            Locale.ROOT,
            prefix + "apply → Running 1/1 in %.1f s%n",
            Duration.between(applied, Instant.now()).toMillis() / 1000.0);

        // lag in status: the operator sees the records the application has not committed yet
        producer.start();
        AtomicLong maxLag = new AtomicLong();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  Long lag = resource.get().getStatus().getKafka().getLag();
                  if (lag != null) {
                    maxLag.accumulateAndGet(lag, Math::max);
                  }
                  return maxLag.get() > 0 && firstPass.get() >= 4_000;
                });

        // partitions 2 → 6: executors 1 → 3 live, same driver
        Instant grown = Instant.now();
        sandbox.kafka().addPartitions(input, 6);
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () -> {
                  assertThat(runningExecutors(client, ns)).hasSize(3);
                  assertThat(resource.get().getStatus().getExecutors().getSummary())
                      .isEqualTo("3/3");
                });
        Duration toReady = Duration.between(grown, Instant.now());
        Path driverLog =
            sandbox
                .kubelet()
                .workspace(ns, firstDriver.getMetadata().getName())
                .resolve("stderr.log");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    Files.readString(driverLog).split("Registered executor ", -1).length - 1 >= 3);
        System.out.printf(
            Locale.ROOT,
            prefix
                + "createPartitions 2 → 6: executors 3/3 ready in %.1f s, 3 registered in %.1f s"
                + " (max status.kafka.lag seen before: %d)%n",
            toReady.toMillis() / 1000.0,
            Duration.between(grown, Instant.now()).toMillis() / 1000.0,
            maxLag.get());
        assertThat(driver(client, ns).getMetadata().getUid())
            .as("a live resize, no driver restart")
            .isEqualTo(firstDriver.getMetadata().getUid());

        // every count right, the group committed the end offsets, the operator's lag 0
        await()
            .atMost(Duration.ofSeconds(180))
            .untilAsserted(
                () -> {
                  assertThat(firstPass.get()).isEqualTo(data.records().size());
                  assertThat(matchingCounts(data, latest, 1)).isEqualTo(data.totals().size());
                  assertThat(DemoScenario.lag(admin, input, group)).isZero();
                });
        await()
            .atMost(DemoScenario.operatorLagBound(POLL))
            .untilAsserted(
                () -> assertThat(resource.get().getStatus().getKafka().getLag()).isZero());
        assertThat(resource.get().getStatus().getRestarts().getCount()).isZero();

        // kill -9 of the driver JVM while the data streams again
        producer2.start();
        long before = committedBatchId(admin, group);
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> secondPass.get() >= 4_000 && committedBatchId(admin, group) > before);
        long atKill = committedBatchId(admin, group);
        Instant killed = Instant.now();
        if (containers) {
          StandinImages.podman(
              "kill", "--signal", "KILL", PodmanCommands.containerName(firstDriver));
        } else {
          ProcessHandle victim = ProcessHandle.of(pid(sandbox, ns, firstDriver)).orElseThrow();
          assertThat(victim.destroyForcibly()).isTrue();
        }
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> committedBatchId(admin, group) > atKill);
        Duration toFirstCommit = Duration.between(killed, Instant.now());
        Pod secondDriver = driver(client, ns);
        assertThat(secondDriver.getMetadata().getUid())
            .isNotEqualTo(firstDriver.getMetadata().getUid());
        String firstApp = driverLabels.get("spark-app-selector");
        String secondApp = secondDriver.getMetadata().getLabels().get("spark-app-selector");
        assertThat(secondApp)
            .as("each attempt its own Spark application id")
            .isEqualTo(firstApp.substring(0, firstApp.length() - 1) + "2");
        assertThat(
                client
                    .pods()
                    .inNamespace(ns)
                    .withLabel("spark-app-selector", secondApp)
                    .withLabel("spark-role", "executor")
                    .list()
                    .getItems())
            .as("the new attempt's executor pods, named apart from the first attempt's")
            .isNotEmpty()
            .allSatisfy(p -> assertThat(p.getMetadata().getName()).startsWith(name + "-2-exec-"));
        try (var files = Files.list(eventLogs)) {
          assertThat(files.map(f -> f.getFileName().toString()).toList())
              .as("one event log per attempt")
              .anySatisfy(f -> assertThat(f).startsWith(firstApp))
              .anySatisfy(f -> assertThat(f).startsWith(secondApp));
        }
        await()
            .atMost(Duration.ofSeconds(180))
            .untilAsserted(
                () -> {
                  assertThat(secondPass.get()).isEqualTo(data.records().size());
                  assertThat(matchingCounts(data, latest, 2))
                      .as("counts continue from the checkpoint's state: twice the file's")
                      .isEqualTo(data.totals().size());
                  assertThat(DemoScenario.lag(admin, input, group)).isZero();
                });
        await()
            .atMost(DemoScenario.operatorLagBound(POLL))
            .untilAsserted(
                () -> {
                  StreamingJob end = resource.get();
                  assertThat(end.getStatus().getKafka().getLag()).isZero();
                  assertThat(end.getStatus().getRestarts().getCount()).isEqualTo(1);
                  assertThat(end.getStatus().getPhase()).isEqualTo(Phase.RUNNING);
                });
        System.out.printf(
            Locale.ROOT,
            prefix
                + "kill -9 driver (micro-batch %d committed) → new driver %s committed micro-batch"
                + " %d after %.1f s; counts = 2 × file, lag 0, restarts 1%n",
            atKill,
            secondDriver.getMetadata().getName(),
            committedBatchId(admin, group),
            toFirstCommit.toMillis() / 1000.0);
        System.out.printf(
            Locale.ROOT,
            prefix + "scenario (sandbox start → restarted job caught up) %.1f s%n",
            Duration.between(scenarioStart, Instant.now()).toMillis() / 1000.0);
      } finally {
        stop.set(true);
        for (Thread t : List.of(producer, producer2)) {
          t.interrupt();
          if (t.isAlive()) {
            t.join(5_000);
          }
        }
        if (consumer.isAlive()) {
          consumer.join(5_000);
        }
      }
    } finally {
      if (image != null) {
        ApplicationImage.remove(image);
      }
    }
  }

  /** The flights example, running the test's own application instead of the bundled job. */
  private static StreamingJob manifest(Sandbox sandbox, FlightTotals data) throws Exception {
    StreamingJob job =
        new DemoScenario(sandbox, data, System.out, Duration.ofMinutes(4)).manifest();
    job.getMetadata().setName("origin-counts");
    ApplicationSpec app = new ApplicationSpec();
    app.setMainClass(MAIN_CLASS);
    app.setJar("local://" + APP_JAR);
    job.getSpec().setApplication(app);
    job.getSpec().setAggregation(null);
    job.getSpec().getKafka().setOutputTopic("origin-counts");
    job.getSpec().getKafka().setDeadLetterTopic(null);
    job.getSpec().getCheckpoint().setLocation("file:///checkpoints/origin-counts");
    Map<String, String> conf = new java.util.TreeMap<>(job.getSpec().getSparkConf());
    conf.put("spark.eventLog.enabled", "true");
    conf.put("spark.eventLog.dir", "file:///checkpoints/spark-events");
    // the application's JVM tuning for a small machine, as the JVM kubelet gives every pod JVM:
    // C1 only and the serial collector start a driver or executor in about half the CPU time
    for (String role : List.of("driver", "executor")) {
      conf.put("spark." + role + ".extraJavaOptions", SMALL_JVM);
    }
    job.getSpec().setSparkConf(conf);
    assertThat(job.getSpec().getExecutor().getCores()).as("executor cores").isEqualTo(2);
    RestartPolicySpec restart = new RestartPolicySpec();
    BackoffSpec backoff = new BackoffSpec();
    backoff.setInitial("1s");
    backoff.setMax("4s");
    restart.setBackoff(backoff);
    job.getSpec().setRestartPolicy(restart);
    return job;
  }

  private static Thread producer(
      Sandbox sandbox, String topic, FlightTotals data, AtomicLong produced, String name) {
    // 500 records per 250 ms; metadata refreshed every second so that added partitions get records
    return new Thread(
        () ->
            DemoScenario.produce(
                sandbox.kafka().bootstrapServers(),
                topic,
                data,
                produced,
                500,
                Map.of(ProducerConfig.METADATA_MAX_AGE_CONFIG, "1000")),
        name);
  }

  /** Keys whose latest output count is {@code times} × the file's count for that origin. */
  private static int matchingCounts(FlightTotals data, Map<String, JsonNode> latest, int times) {
    int n = 0;
    for (Map.Entry<String, FlightTotals.Totals> e : data.totals().entrySet()) {
      JsonNode o = latest.get(e.getKey());
      if (o != null && o.path("count").asLong() == e.getValue().count() * times) {
        n++;
      }
    }
    return n;
  }

  /** Highest {@code batchId} in the consumer group's commit metadata, -1 when none. */
  private static long committedBatchId(Admin admin, String group) throws Exception {
    long best = -1;
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (OffsetAndMetadata o : offsets.values()) {
      if (o != null && o.metadata() != null && !o.metadata().isEmpty()) {
        JsonNode m = JSON.readTree(o.metadata());
        if (m.path("batchId").isIntegralNumber()) {
          best = Math.max(best, m.path("batchId").asLong());
        }
      }
    }
    return best;
  }

  private static Pod driver(KubernetesClient client, String ns) {
    List<Pod> drivers =
        client.pods().inNamespace(ns).withLabel("spark-role", "driver").list().getItems();
    assertThat(drivers).hasSize(1);
    return drivers.get(0);
  }

  private static Set<String> runningExecutors(KubernetesClient client, String ns) {
    Set<String> out = new TreeSet<>();
    for (Pod p :
        client.pods().inNamespace(ns).withLabel("spark-role", "executor").list().getItems()) {
      if (p.getStatus() != null && "Running".equals(p.getStatus().getPhase())) {
        out.add(p.getMetadata().getName());
      }
    }
    return out;
  }

  /** The live JVM the kubelet started for a pod. */
  private static long pid(Sandbox sandbox, String ns, Pod pod) {
    String key = ns + "/" + pod.getMetadata().getName();
    return sandbox.kubelet().startedProcesses().entrySet().stream()
        .filter(e -> e.getValue().equals(key))
        .filter(e -> ProcessHandle.of(e.getKey()).map(ProcessHandle::isAlive).orElse(false))
        .map(Map.Entry::getKey)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no live process for pod " + key));
  }
}
