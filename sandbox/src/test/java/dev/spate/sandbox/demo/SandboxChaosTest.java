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
import dev.spate.operator.SpateOperator;
import dev.spate.sandbox.OperatorProcess;
import dev.spate.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Chaos on one sandbox, while the flights data streams through the job: two operator replicas, each
 * a JVM of its own running the operator's {@code Main} with leader election on (the production
 * default, exit on a lost Lease included), and three faults in a row:
 *
 * <ol>
 *   <li>the driver JVM is killed ({@code kill -9}); as soon as the leader has recorded the failure
 *       (restart 1 in the status and its Event; the leader waits out the backoff) the
 *       <em>leader</em> is killed with {@code kill -9} too, so it neither finishes the restart nor
 *       releases its Lease. The standby takes the Lease once it expired and finishes that restart:
 *       attempt 2, still one restart counted;
 *   <li>the Kafka broker stops for longer than the operator's progress stall timeout (set short):
 *       the operator cannot observe Kafka (Degraded {@code KafkaUnavailable}) and restarts nothing;
 *       the same driver continues when the broker returns;
 *   <li>the input topic grows from 2 to 6 partitions, the operator starts a live resize (1 → 3
 *       executors) and the driver JVM is killed ({@code kill -9}) during it: one restart, the new
 *       driver resumes from the checkpoint and runs with 3 executors.
 * </ol>
 *
 * At the end the output equals the totals computed independently from the file, {@code
 * status.restarts.count} is exactly the 2 driver kills, the Events count exactly those (no
 * duplicate from the takeover, no stall restart), and neither the pod watch nor the kubelet's
 * process sampler ever saw two drivers at once (each attempt has its own pod name {@code
 * <job>-driver-<n>}, so two drivers would be two pods).
 */
class SandboxChaosTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration LEASE_DURATION = Duration.ofSeconds(10);
  private static final Duration LEASE_RETRY = Duration.ofSeconds(1);
  // longer than a restart takes to its first committed micro-batch on a busy 2-core machine
  // (measured up to 30 s), else every new driver is stalled before it can commit
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(45);
  private static final Duration OUTAGE = STALL_TIMEOUT.plusSeconds(10);
  private static final Duration RECOVERY = Duration.ofSeconds(120);
  private static final String LEASE_NAMESPACE = "spate-system";

  @Test
  void leaderKilledMidRestartBrokerOutageAndDriverKilledDuringResize() throws Exception {
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("chaos-" + System.currentTimeMillis())
            .toAbsolutePath();
    Sandbox.Options defaults = Sandbox.Options.defaults();
    Sandbox.Options options =
        new Sandbox.Options(
            defaults.sparkHome(),
            runDir,
            false,
            POLL,
            Map.of(
                "spate.scaleDownWindow",
                "0s",
                "spate.progressStallTimeout",
                STALL_TIMEOUT.toSeconds() + "s"));
    Map<String, String> replica =
        Map.of(
            "spate.leaderElection",
            "true",
            "spate.leaseNamespace",
            LEASE_NAMESPACE,
            "spate.leaseDuration",
            LEASE_DURATION.toSeconds() + "s",
            "spate.leaseRenewDeadline",
            "8s",
            "spate.leaseRetryPeriod",
            LEASE_RETRY.toSeconds() + "s");
    try (Sandbox sandbox = Sandbox.startWithoutOperator(options)) {
      KubernetesClient client = sandbox.client();
      Map<String, OperatorProcess> operators = new TreeMap<>();
      for (String instance : List.of("operator-a", "operator-b")) {
        operators.put(instance, sandbox.startOperatorProcess(instance, replica));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> leaseHolder(client) != null && operators.containsKey(leaseHolder(client)));
      String leader = leaseHolder(client);
      String standby =
          operators.keySet().stream().filter(i -> !i.equals(leader)).findFirst().orElseThrow();

      StreamingJob job =
          new DemoScenario(sandbox, data, System.out, Duration.ofMinutes(4)).manifest();
      RestartPolicySpec restart = new RestartPolicySpec();
      BackoffSpec backoff = new BackoffSpec();
      // a restart under way long enough to kill the leader in the middle of it
      backoff.setInitial("5s");
      backoff.setMax("5s");
      restart.setBackoff(backoff);
      restart.setMaxRestarts(10);
      restart.setResetAfter("30m");
      job.getSpec().setRestartPolicy(restart);
      String ns = job.getMetadata().getNamespace();
      String name = job.getMetadata().getName();
      String input = job.getSpec().getKafka().getInputTopics().get(0);
      String group = Defaults.consumerGroup(ns, name);
      Resource<StreamingJob> resource =
          client.resources(StreamingJob.class).inNamespace(ns).withName(name);
      DemoScenario.prepare(sandbox, job, 2);

      Map<String, JsonNode> latest = new ConcurrentHashMap<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong produced = new AtomicLong();
      Thread consumer =
          new Thread(
              () ->
                  DemoScenario.consume(
                      sandbox.kafka().bootstrapServers(),
                      job.getSpec().getKafka().getOutputTopic(),
                      latest,
                      new AtomicReference<>(),
                      stop),
              "chaos-output-consumer");
      // 60 records per 250 ms: the file streams for about 80 s, through the first two faults; the
      // producer waits out the broker outage (its timeouts are longer than the outage)
      Thread producer =
          new Thread(
              () ->
                  DemoScenario.produce(
                      sandbox.kafka().bootstrapServers(),
                      input,
                      data,
                      produced,
                      60,
                      Map.of(
                          ProducerConfig.METADATA_MAX_AGE_CONFIG, "1000",
                          ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000",
                          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000",
                          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000")),
              "chaos-producer");
      try (DriverWatch drivers = new DriverWatch(client, ns, sandbox.kubelet());
          Admin admin = sandbox.kafka().admin()) {
        client.resources(StreamingJob.class).inNamespace(ns).resource(job).create();
        consumer.start();
        await()
            .atMost(RECOVERY)
            .untilAsserted(
                () -> {
                  StreamingJob current = resource.get();
                  assertThat(current.getStatus()).isNotNull();
                  assertThat(current.getStatus().getPhase()).isEqualTo(Phase.RUNNING);
                  assertThat(current.getStatus().getExecutors().getSummary()).isEqualTo("1/1");
                });
        producer.start();
        await().atMost(RECOVERY).until(() -> committedBatchId(admin, group) >= 0);

        // 1. kill -9 of the driver, then of the leader while it is in the middle of the restart
        Instant start = Instant.now();
        killDriver(sandbox, ns, name + "-driver-1");
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> restarts(resource) == 1 && reasons(client, ns).containsKey("DriverFailed"));
        // the leader writes the status, then the Event: both are in, the new driver is not
        List<Pod> atLeaderKill = driverPods(client, ns);
        operators.get(leader).kill();
        Instant leaderKilled = Instant.now();
        System.out.printf(
            Locale.ROOT,
            "CHAOS leader %s killed %.1f s after the driver kill; driver pods then: %s%n",
            leader,
            Duration.between(start, leaderKilled).toMillis() / 1000.0,
            atLeaderKill.stream().map(p -> p.getMetadata().getName() + " " + phase(p)).toList());
        assertThat(atLeaderKill)
            .as("the restart is under way: no driver runs when the leader dies")
            .noneMatch(p -> "Running".equals(phase(p)));
        await()
            .atMost(LEASE_DURATION.plusSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> standby.equals(leaseHolder(client)));
        Duration takeover = Duration.between(leaderKilled, Instant.now());
        System.out.printf(
            Locale.ROOT,
            "CHAOS standby %s holds the Lease %.1f s after the leader's kill -9 (lease duration"
                + " %d s, retry period %d s)%n",
            standby,
            takeover.toMillis() / 1000.0,
            LEASE_DURATION.toSeconds(),
            LEASE_RETRY.toSeconds());
        assertThat(takeover)
            .as("takeover within the lease duration (plus one retry period and scheduling)")
            .isLessThanOrEqualTo(LEASE_DURATION.plus(LEASE_RETRY.multipliedBy(2)).plusSeconds(3));
        long beforeTakeover = committedBatchId(admin, group);
        await()
            .atMost(RECOVERY)
            .untilAsserted(
                () -> {
                  StreamingJob current = resource.get();
                  assertThat(current.getStatus().getPhase()).isEqualTo(Phase.RUNNING);
                  assertThat(current.getStatus().getAttempt()).isEqualTo(2);
                  assertThat(runningDriver(client, ns)).isEqualTo(name + "-driver-2");
                  assertThat(committedBatchId(admin, group)).isGreaterThan(beforeTakeover);
                });
        assertThat(restarts(resource)).as("the standby did not count the restart again").isOne();
        System.out.printf(
            Locale.ROOT,
            "CHAOS restart finished by the standby: attempt 2 committing %.1f s after the driver"
                + " kill%n",
            Duration.between(start, Instant.now()).toMillis() / 1000.0);

        // 2. the broker stops for longer than the stall timeout: nothing is restarted
        String driverUid = driverPod(client, ns, name + "-driver-2").getMetadata().getUid();
        long beforeOutage = committedBatchId(admin, group);
        sandbox.kafka().stop();
        Instant stopped = Instant.now();
        await()
            .atMost(OUTAGE)
            .untilAsserted(
                () ->
                    assertThat(condition(resource.get(), "Degraded"))
                        .as("the operator noticed")
                        .satisfies(c -> assertThat(c.getReason()).isEqualTo("KafkaUnavailable")));
        // the outage lasts OUTAGE in all; the same driver runs and nothing restarts throughout
        Duration rest = OUTAGE.minus(Duration.between(stopped, Instant.now()));
        rest = rest.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : rest;
        await()
            .during(rest)
            .atMost(rest.plusSeconds(10))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    restarts(resource) == 1
                        && driverUid.equals(
                            driverPod(client, ns, name + "-driver-2").getMetadata().getUid())
                        && driverPid(sandbox, ns, name + "-driver-2") > 0);
        sandbox.kafka().restart();
        System.out.printf(
            Locale.ROOT,
            "CHAOS broker back after %.1f s (stall timeout %d s)%n",
            Duration.between(stopped, Instant.now()).toMillis() / 1000.0,
            STALL_TIMEOUT.toSeconds());
        await()
            .atMost(RECOVERY)
            .ignoreExceptions()
            .until(() -> committedBatchId(admin, group) > beforeOutage);
        System.out.printf(
            Locale.ROOT,
            "CHAOS same driver committing again %.1f s after the broker returned%n",
            Duration.between(stopped.plus(OUTAGE), Instant.now()).toMillis() / 1000.0);
        assertThat(restarts(resource)).as("no restart from the outage").isOne();
        assertThat(driverPod(client, ns, name + "-driver-2").getMetadata().getUid())
            .isEqualTo(driverUid);

        // 3. the input topic grows 2 → 6 partitions; kill -9 of the driver during the resize
        await()
            .atMost(RECOVERY)
            .untilAsserted(
                () ->
                    assertThat(condition(resource.get(), "Degraded").getReason())
                        .isNotEqualTo("KafkaUnavailable"));
        sandbox.kafka().addPartitions(input, 6);
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> resource.get().getStatus().getExecutors().getSummary().endsWith("/3"));
        int registeredAtKill = registeredExecutors(sandbox, ns, name + "-driver-2");
        long beforeResizeKill = committedBatchId(admin, group);
        killDriver(sandbox, ns, name + "-driver-2");
        System.out.println(
            "CHAOS driver killed during the resize (3 executors desired), executors registered"
                + " with it so far: "
                + registeredAtKill);
        assertThat(registeredAtKill)
            .as("the resize was under way: not all 3 executors had joined the driver")
            .isLessThan(3);
        await()
            .atMost(RECOVERY)
            .untilAsserted(
                () -> {
                  StreamingJob current = resource.get();
                  assertThat(current.getStatus().getPhase()).isEqualTo(Phase.RUNNING);
                  assertThat(current.getStatus().getAttempt()).isEqualTo(3);
                  assertThat(current.getStatus().getExecutors().getSummary()).isEqualTo("3/3");
                  assertThat(runningDriver(client, ns)).isEqualTo(name + "-driver-3");
                  assertThat(committedBatchId(admin, group)).isGreaterThan(beforeResizeKill);
                });

        // the end: exact output, status and Events as caused, never two drivers
        await()
            .atMost(RECOVERY)
            .untilAsserted(
                () -> {
                  assertThat(produced.get()).isEqualTo(data.records().size());
                  assertThat(DemoScenario.lag(admin, input, group)).isZero();
                  assertThat(DemoScenario.matching(data, latest)).isEqualTo(data.totals().size());
                  assertThat(latest).hasSize(data.totals().size());
                });
        StreamingJob end = resource.get();
        assertThat(end.getStatus().getRestarts().getCount()).as("driver kills").isEqualTo(2);
        assertThat(end.getStatus().getAttempt()).isEqualTo(3);
        assertThat(end.getStatus().getRestarts().getLastFailure().getReason())
            .isEqualTo("DriverFailed");
        List<Event> events = client.v1().events().inNamespace(ns).list().getItems();
        Map<String, Long> reasons = reasons(client, ns);
        System.out.println("CHAOS events by reason: " + reasons);
        assertThat(reasons.getOrDefault("DriverFailed", 0L)).as("two kill -9").isEqualTo(2);
        assertThat(reasons.getOrDefault("Restarted", 0L)).isEqualTo(2);
        assertThat(reasons)
            .doesNotContainKeys(
                "ProgressStalled", "DriverDeleted", "DriverCompleted", "DriverStuckPending");
        assertThat(
                events.stream()
                    .filter(e -> Instant.parse(e.getLastTimestamp()).isAfter(leaderKilled))
                    .map(Event::getReportingInstance)
                    .distinct()
                    .toList())
            .as("after the takeover only the new leader acts")
            .containsOnly(standby);
        assertThat(operators.get(leader).isAlive()).isFalse();
        assertThat(operators.get(standby).isAlive()).as("the new leader kept its Lease").isTrue();
        System.out.println(
            "CHAOS most live driver pods at once "
                + drivers.maxDriverPods()
                + ", most driver JVMs at once "
                + drivers.maxDriverProcesses()
                + "; total "
                + Duration.between(start, Instant.now()).toSeconds()
                + " s from the first kill");
        assertThat(drivers.maxDriverPods()).as("never two driver pods").isEqualTo(1);
        assertThat(drivers.maxDriverProcesses()).as("never two driver JVMs").isEqualTo(1);
        GrantsUsed.assertEveryCallGranted(sandbox.api().accessLog(), "chaos");
        GrantsUsed.assertEveryGrantUsedOrExplained(sandbox.api().accessLog());

        // a rolling update or a drain SIGTERMs the leader: it stops by itself, promptly
        OperatorProcess.Stopped sigterm = operators.get(standby).stop();
        System.out.println("CHAOS leader SIGTERM'ed: " + sigterm);
        assertThat(sigterm.killed()).as("ended without SIGKILL").isFalse();
        assertThat(sigterm.exitCode())
            .as("ended by SIGTERM after its shutdown hooks")
            .isEqualTo(143);
      } finally {
        stop.set(true);
        producer.interrupt();
        producer.join(5_000);
        consumer.join(5_000);
      }
    }
  }

  /** The namespace's Events by reason, each counted {@code count} times. */
  private static Map<String, Long> reasons(KubernetesClient client, String ns) {
    Map<String, Long> reasons = new TreeMap<>();
    for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
      reasons.merge(e.getReason(), e.getCount() == null ? 1L : e.getCount(), Long::sum);
    }
    return reasons;
  }

  private static String leaseHolder(KubernetesClient client) {
    Lease lease =
        client.leases().inNamespace(LEASE_NAMESPACE).withName(SpateOperator.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static int restarts(Resource<StreamingJob> resource) {
    StreamingJob job = resource.get();
    return job.getStatus() == null || job.getStatus().getRestarts() == null
        ? 0
        : job.getStatus().getRestarts().getCount();
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static List<Pod> driverPods(KubernetesClient client, String ns) {
    return client.pods().inNamespace(ns).withLabel("spark-role", "driver").list().getItems();
  }

  private static Pod driverPod(KubernetesClient client, String ns, String pod) {
    Pod p = client.pods().inNamespace(ns).withName(pod).get();
    assertThat(p).as("driver pod %s", pod).isNotNull();
    return p;
  }

  /** Name of the one driver pod that runs, asserting there is exactly one driver pod. */
  private static String runningDriver(KubernetesClient client, String ns) {
    List<Pod> pods = driverPods(client, ns);
    assertThat(pods).hasSize(1);
    assertThat(phase(pods.get(0))).isEqualTo("Running");
    return pods.get(0).getMetadata().getName();
  }

  /** Process id of the live JVM the kubelet started for a pod, or -1. */
  private static long driverPid(Sandbox sandbox, String ns, String pod) {
    String key = ns + "/" + pod;
    return sandbox.kubelet().startedProcesses().entrySet().stream()
        .filter(e -> e.getValue().equals(key))
        .filter(e -> ProcessHandle.of(e.getKey()).map(ProcessHandle::isAlive).orElse(false))
        .mapToLong(Map.Entry::getKey)
        .max()
        .orElse(-1);
  }

  /** Executors that joined a driver so far: Spark's "Registered executor" lines in its log. */
  private static int registeredExecutors(Sandbox sandbox, String ns, String pod)
      throws java.io.IOException {
    String log =
        java.nio.file.Files.readString(sandbox.kubelet().workspace(ns, pod).resolve("stderr.log"));
    return log.split("Registered executor ", -1).length - 1;
  }

  private static void killDriver(Sandbox sandbox, String ns, String pod) {
    long pid = driverPid(sandbox, ns, pod);
    assertThat(pid).as("live JVM of %s", pod).isPositive();
    assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
  }

  private static Condition condition(StreamingJob job, String type) {
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType().toString()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " condition"));
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
}
