package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spate.api.v1alpha1.BackoffSpec;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.RestartPolicySpec;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.images.StandinImages;
import dev.spate.sandbox.kubelet.PodRuntime;
import dev.spate.sandbox.kubelet.PodmanCommands;
import dev.spate.sandbox.objectstore.S3Checkpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The demo job with its checkpoint on {@code s3a://}, and for comparison on the example's volume
 * (s3mock in a child JVM, {@link S3Checkpoints}; the S3 key pair in a Secret named by {@code
 * spec.checkpoint.credentialsSecretRef}, reaching driver and executors only as environment from
 * that Secret, s3a reading only the environment): while the flights stream, {@code kill -9} of the
 * driver JVM; the operator starts a new driver, which continues from the checkpoint in the bucket,
 * and the output equals the totals computed from the file. Prints the time from the kill to the
 * first micro-batch committed by the new driver. The volume case runs a second time with the
 * kubelet's podman runtime ({@code volume-podman}): every pod a container of the Spark image under
 * its own securityContext, and the kill a {@code podman kill --signal KILL} of the driver
 * container.
 */
class SandboxS3CheckpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RECOVERY = Duration.ofSeconds(120);

  /**
   * @param checkpoint {@code s3a} (the bucket), {@code volume} (the example's PVC, for the restart
   *     time to compare with) or {@code volume-podman} (the same with every pod a container)
   */
  @ParameterizedTest
  @ValueSource(strings = {"s3a", "volume", "volume-podman"})
  void aNewDriverContinuesFromTheCheckpointWithExactTotals(String checkpoint) throws Exception {
    boolean objectStore = checkpoint.equals("s3a");
    boolean containers = checkpoint.endsWith("-podman");
    if (containers) {
      StandinImages.ensureBuilt();
    }
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve(checkpoint + "-" + System.currentTimeMillis())
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    AtomicBoolean stop = new AtomicBoolean();
    try (Sandbox sandbox =
            Sandbox.start(
                new Sandbox.Options(
                        defaults.sparkHome(), runDir, false, Duration.ofSeconds(1), Map.of())
                    .withRuntime(containers ? PodRuntime.PODMAN : PodRuntime.JVM));
        S3Checkpoints s3 =
            objectStore
                ? S3Checkpoints.start(
                    Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar")),
                    runDir)
                : null;
        Admin admin = sandbox.kafka().admin()) {
      StreamingJob job =
          new DemoScenario(
                  sandbox,
                  data,
                  System.out,
                  Duration.ofMinutes(4),
                  objectStore ? s3.adapter(sandbox.client()) : UnaryOperator.identity())
              .manifest();
      assertThat(job.getSpec().getCheckpoint().getLocation())
          .startsWith(objectStore ? "s3a://" : "file://");
      if (objectStore) {
        assertThat(job.getSpec().getCheckpoint().getCredentialsSecretRef().getName())
            .isEqualTo(S3Checkpoints.SECRET);
        assertThat(job.getSpec().getSparkConf().values())
            .as("no credential in sparkConf")
            .noneMatch(v -> v.contains(s3.secretAccessKey()));
      }
      RestartPolicySpec restart = new RestartPolicySpec();
      BackoffSpec backoff = new BackoffSpec();
      backoff.setInitial("1s");
      backoff.setMax("4s");
      restart.setBackoff(backoff);
      job.getSpec().setRestartPolicy(restart);
      String ns = job.getMetadata().getNamespace();
      String group = Defaults.consumerGroup(ns, job.getMetadata().getName());
      Resource<StreamingJob> resource =
          sandbox
              .client()
              .resources(StreamingJob.class)
              .inNamespace(ns)
              .withName(job.getMetadata().getName());
      DemoScenario.prepare(sandbox, job, DemoScenario.INPUT_PARTITIONS);
      Map<String, JsonNode> latest = new ConcurrentHashMap<>();
      Thread consumer =
          new Thread(
              () ->
                  DemoScenario.consume(
                      sandbox.kafka().bootstrapServers(),
                      job.getSpec().getKafka().getOutputTopic(),
                      latest,
                      new AtomicReference<>(),
                      stop),
              "s3-output-consumer");
      consumer.start();
      sandbox.client().resources(StreamingJob.class).inNamespace(ns).resource(job).create();
      await()
          .atMost(RECOVERY)
          .untilAsserted(
              () -> {
                assertThat(resource.get().getStatus()).isNotNull();
                assertThat(resource.get().getStatus().getPhase()).isEqualTo(Phase.RUNNING);
              });
      // the first half before the kill, the second half after it
      int half = data.records().size() / 2;
      AtomicLong produced = new AtomicLong();
      produce(sandbox, job, data.records().subList(0, half), produced);
      // a micro-batch with data committed (the committer commits batches that read records)
      await().atMost(RECOVERY).until(() -> committedBatchId(admin, group) >= 0);

      Pod driver = driver(sandbox, ns);
      if (objectStore) {
        assertCredentialsFromTheSecretOnly(sandbox, ns, job, driver, s3);
      }
      long before = committedBatchId(admin, group);
      Instant killed = Instant.now();
      if (containers) {
        assertThat(driver.getSpec().getContainers().get(0).getImage())
            .isEqualTo(Sandbox.CONTAINER_SPARK_IMAGE);
        StandinImages.podman("kill", "--signal", "KILL", PodmanCommands.containerName(driver));
      } else {
        assertThat(ProcessHandle.of(pid(sandbox, ns, driver)).orElseThrow().destroyForcibly())
            .isTrue();
      }
      // the rest arrives while the new driver starts: its first committed batch reads it
      produce(sandbox, job, data.records().subList(half, data.records().size()), produced);
      await()
          .atMost(RECOVERY)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                Pod now = driver(sandbox, ns);
                return now != null
                    && !now.getMetadata().getUid().equals(driver.getMetadata().getUid())
                    && committedBatchId(admin, group) > before;
              });
      Duration toFirstCommit = Duration.between(killed, Instant.now());

      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                assertThat(produced.get()).isEqualTo(data.records().size());
                assertThat(latest).hasSameSizeAs(data.totals());
                assertThat(DemoScenario.matching(data, latest)).isEqualTo(data.totals().size());
              });
      StreamingJob done = resource.get();
      assertThat(done.getStatus().getRestarts().getCount()).isEqualTo(1);
      if (objectStore) {
        // the checkpoint is in the bucket: offset log, commit log, state store files
        String listing = list(s3, ns + "/" + job.getMetadata().getName() + "/");
        assertThat(listing).contains("/offsets/", "/commits/", "/state/", "/metadata");
      }
      System.out.printf(
          Locale.ROOT,
          "CHECKPOINT %s: driver kill -9 → first batch committed by the new driver in %.1f s%n",
          checkpoint,
          toFirstCommit.toMillis() / 1000.0);
    } finally {
      stop.set(true);
    }
  }

  /**
   * The S3 key pair reaches the driver and every executor as environment from the Secret (the
   * executors' env built by Spark from {@code spark.kubernetes.executor.secretKeyRef.*}), and its
   * secret value is in no ConfigMap, no pod spec and not in the job's status.
   */
  private static void assertCredentialsFromTheSecretOnly(
      Sandbox sandbox, String ns, StreamingJob job, Pod driver, S3Checkpoints s3) {
    List<Pod> executors =
        sandbox
            .client()
            .pods()
            .inNamespace(ns)
            .withLabel("spark-role", "executor")
            .list()
            .getItems();
    assertThat(executors).isNotEmpty();
    for (Pod pod : concat(driver, executors)) {
      assertThat(pod.getSpec().getContainers().get(0).getEnv())
          .as("AWS env of pod %s", pod.getMetadata().getName())
          .filteredOn(e -> e.getName().startsWith("AWS_"))
          .extracting(
              e -> e.getName(),
              e -> e.getValueFrom().getSecretKeyRef().getName(),
              e -> e.getValueFrom().getSecretKeyRef().getKey())
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  "AWS_ACCESS_KEY_ID", S3Checkpoints.SECRET, "AWS_ACCESS_KEY_ID"),
              org.assertj.core.groups.Tuple.tuple(
                  "AWS_SECRET_ACCESS_KEY", S3Checkpoints.SECRET, "AWS_SECRET_ACCESS_KEY"));
    }
    var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    String everything;
    try {
      everything =
          mapper.writeValueAsString(sandbox.client().configMaps().inNamespace(ns).list())
              + mapper.writeValueAsString(sandbox.client().pods().inNamespace(ns).list())
              + mapper.writeValueAsString(
                  sandbox
                      .client()
                      .resources(StreamingJob.class)
                      .inNamespace(ns)
                      .withName(job.getMetadata().getName())
                      .get());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
    assertThat(everything).doesNotContain(s3.secretAccessKey());
  }

  private static List<Pod> concat(Pod first, List<Pod> rest) {
    List<Pod> all = new java.util.ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }

  /** Streams records into the input topic (1,000 every 250 ms) on a daemon thread. */
  private static void produce(
      Sandbox sandbox, StreamingJob job, List<String> records, AtomicLong produced) {
    Thread t =
        new Thread(
            () ->
                DemoScenario.produce(
                    sandbox.kafka().bootstrapServers(),
                    job.getSpec().getKafka().getInputTopics().get(0),
                    new FlightTotals(records, Map.of()),
                    produced,
                    1000,
                    Map.of()),
            "s3-producer");
    t.setDaemon(true);
    t.start();
  }

  private static Pod driver(Sandbox sandbox, String ns) {
    List<Pod> pods =
        sandbox.client().pods().inNamespace(ns).withLabel("spark-role", "driver").list().getItems();
    return pods.size() == 1 ? pods.get(0) : null;
  }

  private static long pid(Sandbox sandbox, String ns, Pod pod) {
    String key = ns + "/" + pod.getMetadata().getName();
    return sandbox.kubelet().startedProcesses().entrySet().stream()
        .filter(e -> e.getValue().equals(key))
        .filter(e -> ProcessHandle.of(e.getKey()).map(ProcessHandle::isAlive).orElse(false))
        .map(Map.Entry::getKey)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no live process for pod " + key));
  }

  /** Highest {@code batchId} in the consumer group's commit metadata, -1 when none. */
  private static long committedBatchId(Admin admin, String group) throws Exception {
    long best = -1;
    Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    for (OffsetAndMetadata o : offsets.values()) {
      if (o != null && o.metadata() != null && !o.metadata().isEmpty()) {
        best = Math.max(best, JSON.readTree(o.metadata()).path("batchId").asLong(-1));
      }
    }
    return best;
  }

  /** Keys under a prefix of the bucket (S3 ListObjectsV2), as the XML the server returns. */
  private static String list(S3Checkpoints s3, String prefix) throws Exception {
    StringBuilder all = new StringBuilder();
    String token = null;
    do {
      String url =
          s3.endpoint()
              + "/"
              + S3Checkpoints.BUCKET
              + "?list-type=2&prefix="
              + prefix
              + (token == null
                  ? ""
                  : "&continuation-token="
                      + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8));
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      String body = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      all.append(body);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("<NextContinuationToken>([^<]+)<").matcher(body);
      token = m.find() ? m.group(1) : null;
    } while (token != null);
    return all.toString();
  }
}
