package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spate.api.v1alpha1.BackoffSpec;
import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.RestartPolicySpec;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.recovery.RestartBackoff;
import dev.spate.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end, recovery: the flights-per-origin job on the sandbox survives, while the data streams,
 * {@code kill -9} of its driver JVM (twice; the second time the operator is restarted as a new
 * instance right after), {@code kill -9} of an executor JVM (Spark replaces it; no driver restart),
 * deletion of the driver pod and a driver JVM that exits 0 by itself (SIGTERM straight to the JVM,
 * no stop requested by the operator). Afterwards the output equals the totals computed
 * independently from the file, {@code status.restarts.count} equals the driver ends caused, the
 * Events name the reasons, and a label-selector watch never saw two live driver pods (nor the
 * process sampler two driver JVMs). Then, on the same job: a {@code sparkConf} edit restarts from
 * the checkpoint and the counts continue; an {@code inputTopics} edit is rejected ({@code
 * Ready=False CheckpointIncompatible}) while the driver keeps running; suspend stops the driver
 * (phase Suspended), resume continues the counts. Prints the time from each driver end to the first
 * batch committed by the new driver (commit metadata {@code batchId} of the consumer group) and the
 * backoff part of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxRecoveryTest {

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RECOVERY = Duration.ofSeconds(90);

  private static FlightTotals data;
  private static Sandbox sandbox;
  private static DriverWatch drivers;
  private static Admin admin;
  private static StreamingJob job;
  private static String ns;
  private static String group;
  private static Resource<StreamingJob> resource;
  private static RestartBackoff.Policy policy;
  private static final Map<String, JsonNode> latest = new ConcurrentHashMap<>();
  private static final AtomicBoolean stopConsumer = new AtomicBoolean();
  private static Thread consumer;
  private static final List<Thread> producers = new ArrayList<>();
  // records released right after each disruption (10 s at 200 records/s)
  private static final int AFTER_FAULT = 2_000;
  private static Semaphore firstPass;
  private static final List<String> timings = new ArrayList<>();
  private static final List<Duration> toFirstCommit = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    data = DemoScenario.load(Path.of("data/flights-20k.json"));
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("recovery-" + System.currentTimeMillis())
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    sandbox =
        Sandbox.start(new Sandbox.Options(defaults.sparkHome(), runDir, false, POLL, Map.of()));
    job = new DemoScenario(sandbox, data, System.out, Duration.ofMinutes(4)).manifest();
    RestartPolicySpec restart = new RestartPolicySpec();
    BackoffSpec backoff = new BackoffSpec();
    backoff.setInitial("1s");
    backoff.setMax("4s");
    restart.setBackoff(backoff);
    restart.setMaxRestarts(20);
    job.getSpec().setRestartPolicy(restart);
    policy = RestartBackoff.Policy.of(restart);
    ns = job.getMetadata().getNamespace();
    group = Defaults.consumerGroup(ns, job.getMetadata().getName());
    resource =
        sandbox
            .client()
            .resources(StreamingJob.class)
            .inNamespace(ns)
            .withName(job.getMetadata().getName());
    DemoScenario.prepare(sandbox, job, DemoScenario.INPUT_PARTITIONS);
    drivers = new DriverWatch(sandbox.client(), ns, sandbox.kubelet());
    admin = sandbox.kafka().admin();
    consumer =
        new Thread(
            () ->
                DemoScenario.consume(
                    sandbox.kafka().bootstrapServers(),
                    job.getSpec().getKafka().getOutputTopic(),
                    latest,
                    new AtomicReference<>(),
                    stopConsumer),
            "recovery-output-consumer");
    consumer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      stopConsumer.set(true);
      for (Thread p : producers) {
        p.interrupt();
        p.join(5_000);
      }
      if (consumer != null) {
        consumer.join(5_000);
      }
      if (drivers != null) {
        drivers.close();
      }
      if (admin != null) {
        admin.close();
      }
    } finally {
      if (sandbox != null) {
        sandbox.close();
      }
    }
  }

  @Test
  @Order(1)
  void driverAndExecutorEndsWhileDataStreamsLoseNothing() throws Exception {
    KubernetesClient client = sandbox.client();
    client.resources(StreamingJob.class).inNamespace(ns).resource(job).create();
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(resource.get().getStatus()).isNotNull();
              assertThat(resource.get().getStatus().getPhase()).isEqualTo(Phase.RUNNING);
            });
    // 200 records/s, released in portions: 30 s of data to start, then 10 s more right after
    // each disruption, so every new driver has records to commit however long the machine took
    // to restart it; the rest once the disruptions are over
    firstPass = new Semaphore(6_000);
    AtomicLong produced = produce(50, firstPass);
    await().atMost(Duration.ofSeconds(90)).until(() -> committedBatchId() >= 0);

    // 1. kill -9 of the driver JVM → DriverFailed (exit 137), restart 1
    recover("kill -9 driver", 1, () -> kill(driverPid(), true));

    // 2. kill -9 of one executor JVM: Spark asks for a replacement, the driver stays
    Pod driverBefore = driver();
    List<String> executorsBefore = executorNames();
    assertThat(executorsBefore).isNotEmpty();
    Pod victim = client.pods().inNamespace(ns).withName(executorsBefore.get(0)).get();
    kill(pid(victim), true);
    firstPass.release(AFTER_FAULT);
    await()
        .atMost(RECOVERY)
        .untilAsserted(
            () -> {
              List<String> now = executorNames();
              assertThat(now).doesNotContain(victim.getMetadata().getName());
              assertThat(now).hasSameSizeAs(executorsBefore);
            });
    long afterExecutorKill = committedBatchId();
    await().atMost(RECOVERY).until(() -> committedBatchId() > afterExecutorKill);
    assertThat(driver().getMetadata().getUid())
        .as("an executor loss is no driver restart")
        .isEqualTo(driverBefore.getMetadata().getUid());
    assertThat(resource.get().getStatus().getRestarts().getCount()).isEqualTo(1);

    // 3. kill -9 of the driver again, and the operator restarted while the restart is underway
    recover(
        "kill -9 driver + operator restart",
        2,
        () -> {
          kill(driverPid(), true);
          sandbox.restartOperator("sandbox-2");
        });

    // 4. deletion of the driver pod → DriverDeleted
    recover(
        "driver pod deleted",
        3,
        () -> client.pods().inNamespace(ns).withName(driver().getMetadata().getName()).delete());

    // 5. the driver JVM ends with exit 0 by itself (SIGTERM straight to the JVM, no requested
    // stop): a streaming job must not end → DriverCompleted, restart
    recover("driver exits 0 (SIGTERM to the JVM)", 4, () -> kill(driverPid(), false));
    firstPass.release(data.records().size());

    // every record in, every key right, the group committed the end offsets
    String input = job.getSpec().getKafka().getInputTopics().get(0);
    await()
        .atMost(Duration.ofSeconds(150))
        .untilAsserted(
            () -> {
              assertThat(produced.get()).isEqualTo(data.records().size());
              assertThat(DemoScenario.lag(admin, input, group)).isZero();
              assertThat(matching(1)).isEqualTo(data.totals().size());
            });
    StreamingJob end = resource.get();
    assertThat(end.getStatus().getRestarts().getCount()).as("driver ends caused").isEqualTo(4);
    assertThat(end.getStatus().getAttempt()).isEqualTo(5);
    assertThat(end.getStatus().getRestarts().getLastFailure().getReason())
        .isEqualTo("DriverCompleted");
    Map<String, Long> reasons = eventReasons();
    System.out.println("RECOVERY events by reason: " + reasons);
    assertThat(reasons.getOrDefault("DriverFailed", 0L)).as("kill -9 twice").isEqualTo(2);
    assertThat(reasons.getOrDefault("DriverDeleted", 0L)).isEqualTo(1);
    assertThat(reasons.getOrDefault("DriverCompleted", 0L)).isEqualTo(1);
    assertThat(reasons.getOrDefault("Restarted", 0L)).isEqualTo(4);
    timings.forEach(System.out::println);
    List<Duration> sorted = toFirstCommit.stream().sorted().toList();
    System.out.printf(
        Locale.ROOT,
        "RECOVERY driver end → first batch committed by the new driver: median %.1f s"
            + " over %d ends (min %.1f s, max %.1f s)%n",
        sorted.get(sorted.size() / 2).toMillis() / 1000.0,
        sorted.size(),
        sorted.get(0).toMillis() / 1000.0,
        sorted.get(sorted.size() - 1).toMillis() / 1000.0);
    System.out.println(
        "RECOVERY most live driver pods at once "
            + drivers.maxDriverPods()
            + ", most driver JVMs at once "
            + drivers.maxDriverProcesses()
            + " (about "
            + drivers.overlapMillis()
            + " ms with two)");
    assertThat(drivers.maxDriverPods()).as("never two driver pods").isEqualTo(1);
    assertThat(drivers.maxDriverProcesses())
        .as("never two driver JVMs after failures")
        .isEqualTo(1);
  }

  @Test
  @Order(2)
  void specChangesAndSuspendKeepTheCheckpoint() throws Exception {
    KubernetesClient client = sandbox.client();
    // sparkConf edit → graceful stop, new attempt from the checkpoint; the file again doubles the
    // counts
    int attempt = resource.get().getStatus().getAttempt();
    String before = driver().getMetadata().getUid();
    editSpec(
        j -> {
          j.getSpec().getSparkConf().put("spark.sql.streaming.minBatchesToRetain", "50");
          return j;
        });
    await()
        .atMost(RECOVERY)
        .untilAsserted(
            () -> {
              assertThat(resource.get().getStatus().getAttempt()).isEqualTo(attempt + 1);
              assertThat(resource.get().getStatus().getPhase()).isEqualTo(Phase.RUNNING);
              assertThat(driver().getMetadata().getUid()).isNotEqualTo(before);
            });
    AtomicLong second = produce(1000);
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(second.get()).isEqualTo(data.records().size());
              assertThat(matching(2)).isEqualTo(data.totals().size());
            });

    // inputTopics edit → rejected, the running driver keeps running
    String running = driver().getMetadata().getUid();
    List<String> topics = List.copyOf(job.getSpec().getKafka().getInputTopics());
    editSpec(
        j -> {
          j.getSpec().getKafka().setInputTopics(List.of("flights-v2"));
          return j;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Condition ready = condition(resource.get(), "Ready");
              assertThat(ready.getStatus()).isEqualTo("False");
              assertThat(ready.getReason()).isEqualTo("CheckpointIncompatible");
              assertThat(ready.getMessage()).contains("checkpoint.location");
            });
    long batch = committedBatchId();
    assertThat(driver().getMetadata().getUid()).as("the driver keeps running").isEqualTo(running);
    assertThat(ProcessHandle.of(driverPid()).map(ProcessHandle::isAlive)).contains(true);
    editSpec(
        j -> {
          j.getSpec().getKafka().setInputTopics(topics);
          return j;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(condition(resource.get(), "Ready").getReason())
                    .isNotEqualTo("CheckpointIncompatible"));
    assertThat(driver().getMetadata().getUid()).as("reverting is no restart").isEqualTo(running);

    // suspend → no driver, phase Suspended; resume → the file a third time triples the counts
    editSpec(
        j -> {
          j.getSpec().setSuspend(true);
          return j;
        });
    await()
        .atMost(RECOVERY)
        .untilAsserted(
            () -> {
              assertThat(resource.get().getStatus().getPhase()).isEqualTo(Phase.SUSPENDED);
              assertThat(
                      client
                          .pods()
                          .inNamespace(ns)
                          .withLabel("spark-role", "driver")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      client
                          .pods()
                          .inNamespace(ns)
                          .withLabel("spark-role", "executor")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(sandbox.kubelet().startedProcesses().keySet())
                  .as("driver and executor JVMs stopped")
                  .noneMatch(
                      pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            });
    int suspendedAttempt = resource.get().getStatus().getAttempt();
    editSpec(
        j -> {
          j.getSpec().setSuspend(false);
          return j;
        });
    await()
        .atMost(RECOVERY)
        .untilAsserted(
            () -> {
              assertThat(resource.get().getStatus().getPhase()).isEqualTo(Phase.RUNNING);
              assertThat(resource.get().getStatus().getAttempt()).isEqualTo(suspendedAttempt + 1);
            });
    AtomicLong third = produce(1000);
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(third.get()).isEqualTo(data.records().size());
              assertThat(matching(3)).isEqualTo(data.totals().size());
              assertThat(committedBatchId()).isGreaterThan(batch);
            });
    Map<String, Long> reasons = eventReasons();
    System.out.println("RECOVERY events by reason after the spec changes: " + reasons);
    assertThat(reasons).containsKeys("Restarting", "Suspended", "Resumed");
    // the sandbox deletes a pod from the API at once while its JVM still stops (SIGTERM, grace
    // period); a real API server keeps it Terminating until the kubelet saw the container end,
    // and the operator waits for it. So after a graceful stop (sparkConf restart) the old JVM
    // may overlap the new one here: printed, asserted only on the API's pods.
    System.out.println(
        "RECOVERY most live driver pods at once "
            + drivers.maxDriverPods()
            + ", most driver JVMs at once "
            + drivers.maxDriverProcesses()
            + " (about "
            + drivers.overlapMillis()
            + " ms with two)");
    assertThat(drivers.maxDriverPods()).as("never two driver pods").isEqualTo(1);
  }

  /**
   * Causes a driver end and waits for the next attempt's first committed batch; records the time
   * from the end to it, to the new driver pod, and the nominal backoff of that restart.
   */
  private void recover(String what, int restart, ThrowingRunnable end) throws Exception {
    int attempt = resource.get().getStatus().getAttempt();
    String oldDriver = driver().getMetadata().getUid();
    Instant ended = Instant.now();
    end.run();
    if (firstPass != null) {
      firstPass.release(AFTER_FAULT);
    }
    AtomicReference<String> newDriver = new AtomicReference<>();
    await()
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              List<Pod> pods =
                  client()
                      .pods()
                      .inNamespace(ns)
                      .withLabel("spark-role", "driver")
                      .list()
                      .getItems();
              assertThat(pods).hasSize(1);
              assertThat(pods.get(0).getMetadata().getUid()).isNotEqualTo(oldDriver);
              newDriver.set(pods.get(0).getMetadata().getUid());
            });
    // the old driver is gone (the operator waits for it): every later commit is the new driver's
    long before = committedBatchId();
    await()
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> committedBatchId() > before);
    Instant committed = Instant.now();
    Duration total = Duration.between(ended, committed);
    Instant podSeen = drivers.firstSeen(newDriver.get());
    Duration backoff = RestartBackoff.delay(policy, restart);
    toFirstCommit.add(total);
    timings.add(
        String.format(
            Locale.ROOT,
            "RECOVERY %-36s → first committed batch of attempt %d in %5.1f s"
                + " (new driver pod after %4.1f s, configured backoff %.1f s; pod → first commit %4.1f s)",
            what,
            attempt + 1,
            total.toMillis() / 1000.0,
            Duration.between(ended, podSeen).toMillis() / 1000.0,
            backoff.toMillis() / 1000.0,
            Duration.between(podSeen, committed).toMillis() / 1000.0));
    System.out.println(timings.get(timings.size() - 1));
    StreamingJob now = resource.get();
    assertThat(now.getStatus().getAttempt()).isEqualTo(attempt + 1);
    assertThat(now.getStatus().getRestarts().getCount()).isEqualTo(restart);
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static KubernetesClient client() {
    return sandbox.client();
  }

  private static AtomicLong produce(int chunk) {
    return produce(chunk, null);
  }

  private static AtomicLong produce(int chunk, Semaphore allowance) {
    AtomicLong produced = new AtomicLong();
    Thread t =
        new Thread(
            () ->
                DemoScenario.produce(
                    sandbox.kafka().bootstrapServers(),
                    job.getSpec().getKafka().getInputTopics().get(0),
                    data,
                    produced,
                    chunk,
                    Map.of(),
                    allowance),
            "recovery-producer-" + producers.size());
    producers.add(t);
    t.start();
    return produced;
  }

  /** Keys whose latest output equals the file's totals taken {@code times} times. */
  private static int matching(int times) {
    Map<String, FlightTotals.Totals> expected = new TreeMap<>();
    data.totals()
        .forEach(
            (k, t) ->
                expected.put(
                    k,
                    new FlightTotals.Totals(t.count() * times, t.sum() * times, t.min(), t.max())));
    return DemoScenario.matching(new FlightTotals(data.records(), expected), latest);
  }

  /** Highest {@code batchId} in the consumer group's commit metadata, -1 when none. */
  private static long committedBatchId() throws Exception {
    long best = -1;
    Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
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

  private static Pod driver() {
    List<Pod> pods =
        client().pods().inNamespace(ns).withLabel("spark-role", "driver").list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  private static List<String> executorNames() {
    return client()
        .pods()
        .inNamespace(ns)
        .withLabel("spark-role", "executor")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  private static long driverPid() {
    return pid(driver());
  }

  private static long pid(Pod pod) {
    String key = ns + "/" + pod.getMetadata().getName();
    // driver pods of all attempts share one name: the newest live JVM started for it is this pod's
    return sandbox.kubelet().startedProcesses().entrySet().stream()
        .filter(e -> e.getValue().equals(key))
        .filter(e -> ProcessHandle.of(e.getKey()).map(ProcessHandle::isAlive).orElse(false))
        .map(Map.Entry::getKey)
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no live process for pod " + key));
  }

  /** SIGKILL ({@code kill -9}) or SIGTERM to one process. */
  private static void kill(long pid, boolean forcibly) {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    boolean sent = forcibly ? p.destroyForcibly() : p.destroy();
    assertThat(sent).as("signal to pid %d", pid).isTrue();
  }

  private static Condition condition(StreamingJob j, String type) {
    return j.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType().toString()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }

  private static Map<String, Long> eventReasons() {
    Map<String, Long> out = new TreeMap<>();
    for (Event e : client().v1().events().inNamespace(ns).list().getItems()) {
      out.merge(e.getReason(), 1L, Long::sum);
    }
    return out;
  }

  /** Edits the job, again on a conflict with the operator's concurrent status update (HTTP 409). */
  private static void editSpec(java.util.function.UnaryOperator<StreamingJob> change) {
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptionsMatching(
            e ->
                e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
                    && k.getCode() == 409)
        .until(() -> resource.edit(change) != null);
  }
}
