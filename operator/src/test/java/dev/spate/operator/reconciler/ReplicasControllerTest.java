package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.resources.Labels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several operator instances and crashes between two writes, on the fabric8 CRUD mock (with the API
 * server's optimistic locking of status updates, {@link LockingCrudDispatcher}): only the Lease
 * holder acts and a follower takes over within the lease duration when the leader stops without
 * releasing it; a crash between recording an attempt and creating its pod, or a write on a stale
 * view (409 Conflict), never leaves two driver pods.
 */
class ReplicasControllerTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration RETRY = Duration.ofMillis(500);

  @RegisterExtension final ControllerHarness h = new ControllerHarness(client, "replicas");

  @BeforeAll
  static void start() {
    server =
        new KubernetesMockServer(
            new io.fabric8.mockwebserver.Context(),
            new io.fabric8.mockwebserver.MockWebServer(),
            new HashMap<>(),
            new LockingCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.destroy();
  }

  private Map<String, String> leaderElection() {
    Map<String, String> o = new HashMap<>();
    o.put("spate.leaderElection", "true");
    o.put("spate.leaseNamespace", h.ns);
    o.put("spate.leaseDuration", LEASE.toMillis() + "ms");
    o.put("spate.leaseRenewDeadline", "2s");
    o.put("spate.leaseRetryPeriod", RETRY.toMillis() + "ms");
    // a test JVM must not exit when an instance stops leading
    o.put("spate.exitOnLostLease", "false");
    return o;
  }

  private String leaseHolder() {
    Lease lease =
        client.resources(Lease.class).inNamespace(h.ns).withName(SpateOperator.LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private Pod awaitDriver(String job, int attempt) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Pod d = h.driver(job);
              StreamingJob j = h.current(job);
              return d != null
                  && String.valueOf(attempt).equals(d.getMetadata().getLabels().get(Labels.ATTEMPT))
                  && j.getStatus() != null
                  && Integer.valueOf(attempt).equals(j.getStatus().getAttempt());
            });
    return h.driver(job);
  }

  private List<String> reporters() {
    return client.v1().events().inNamespace(h.ns).list().getItems().stream()
        .map(Event::getReportingInstance)
        .distinct()
        .toList();
  }

  @Test
  void onlyTheLeaderActsAndAFollowerTakesOverWithinTheLeaseDuration() {
    SpateOperator first = h.startOperator("op-1", leaderElection());
    await().atMost(Duration.ofSeconds(20)).until(() -> "op-1".equals(leaseHolder()));
    h.startOperator("op-2", leaderElection());
    h.client.resource(h.job("ha", "fake:9092")).create();
    Pod one = awaitDriver("ha", 1);
    assertThat(one.getMetadata().getName()).isEqualTo("ha-driver-1");
    h.driverReady("ha");
    assertThat(reporters()).as("only the leader acts").containsExactly("op-1");

    // the leader stops without releasing its Lease (as a crashed process would)
    h.stopOperator(first);
    Instant stopped = Instant.now();
    assertThat(leaseHolder()).isEqualTo("op-1");
    // meanwhile the driver fails: nobody may act until the follower holds the Lease
    h.driverEnded("ha", "Failed", 1, "java.lang.IllegalStateException: boom");
    await()
        .atMost(LEASE.plusSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> "op-2".equals(leaseHolder()));
    Duration takeover = Duration.between(stopped, Instant.now());
    System.out.printf(
        "leader fail-over: follower held the Lease %d ms after the leader stopped (lease %d ms,"
            + " retry %d ms)%n",
        takeover.toMillis(), LEASE.toMillis(), RETRY.toMillis());
    assertThat(takeover).isLessThanOrEqualTo(LEASE.plus(RETRY).plusSeconds(2));

    Pod two = awaitDriver("ha", 2);
    assertThat(two.getMetadata().getName()).isEqualTo("ha-driver-2");
    assertThat(h.events("Restarted"))
        .singleElement()
        .satisfies(e -> assertThat(e.getReportingInstance()).isEqualTo("op-2"));
    assertThat(h.podLog().maxDriversAtOnce()).as("never two drivers").isEqualTo(1);
  }

  @Test
  void stoppingTheLeaderIsNotLosingItsLease() {
    AtomicInteger lost = new AtomicInteger();
    Map<String, String> o = leaderElection();
    o.put("spate.exitOnLostLease", "true");
    SpateOperator leader = h.startOperator("op-stop", o, h.kafka, lost::incrementAndGet);
    await().atMost(Duration.ofSeconds(20)).until(() -> "op-stop".equals(leaseHolder()));
    long t0 = System.nanoTime();
    h.stopOperator(leader);
    System.out.printf(
        "leader stopped in %d ms%n", Duration.ofNanos(System.nanoTime() - t0).toMillis());
    // JOSDK's own exit-on-stop-leading ran System.exit on the stopping thread: in Main's shutdown
    // hook that blocks until SIGKILL
    assertThat(lost).as("a stop is not a lost Lease: no exit").hasValue(0);
    assertThat(leaseHolder()).as("the Lease is not released").isEqualTo("op-stop");
  }

  @Test
  void aLeaderWhoseLeaseAnotherReplicaTookExits() {
    AtomicInteger lost = new AtomicInteger();
    Map<String, String> o = leaderElection();
    o.put("spate.exitOnLostLease", "true");
    h.startOperator("op-lose", o, h.kafka, lost::incrementAndGet);
    await().atMost(Duration.ofSeconds(20)).until(() -> "op-lose".equals(leaseHolder()));
    // another replica holds the Lease now (the leader's renewals did not reach the API server in
    // time): the leader cannot renew within spate.leaseRenewDeadline
    client
        .resources(Lease.class)
        .inNamespace(h.ns)
        .withName(SpateOperator.LEASE_NAME)
        .edit(
            l -> {
              l.getSpec().setHolderIdentity("op-elsewhere");
              l.getSpec().setLeaseDurationSeconds(60);
              l.getSpec().setRenewTime(java.time.ZonedDateTime.now());
              return l;
            });
    await().atMost(LEASE.plusSeconds(10)).until(() -> lost.get() > 0);
    assertThat(lost).hasValue(1);
    assertThat(leaseHolder()).isEqualTo("op-elsewhere");
  }

  @Test
  void aCrashBetweenRecordingAnAttemptAndCreatingItsPodNeverMakesTwoDrivers() {
    SpateOperator first = h.startOperator("op-1", Map.of());
    AtomicInteger crashes = new AtomicInteger();
    first
        .reconciler()
        .injectFaults(
            new StreamingJobReconciler.FaultInjection() {
              @Override
              public void afterStatusWritten(ResourceID job) {
                crashes.incrementAndGet();
                throw new IllegalStateException("injected crash after the status write");
              }
            });
    h.client.resource(h.job("crash", "fake:9092")).create();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                crashes.get() > 0
                    && h.current("crash").getStatus() != null
                    && Integer.valueOf(1).equals(h.current("crash").getStatus().getAttempt()));
    assertThat(h.driver("crash")).as("the intent is recorded, the pod not created").isNull();

    // the crashed instance is replaced: the new one creates the recorded attempt, not a next one
    h.stopOperator(first);
    SpateOperator current = h.startOperator("op-2", Map.of());
    Pod driver = awaitDriver("crash", 1);
    assertThat(driver.getMetadata().getName()).isEqualTo("crash-driver-1");

    // the same on a restart: attempt 2 is recorded, the instance crashes before creating its pod
    h.driverReady("crash");
    AtomicBoolean crashOnce = new AtomicBoolean();
    current
        .reconciler()
        .injectFaults(
            new StreamingJobReconciler.FaultInjection() {
              @Override
              public void afterStatusWritten(ResourceID job) {
                if (crashOnce.compareAndSet(false, true)) {
                  throw new IllegalStateException("injected crash after the status write");
                }
              }
            });
    h.driverEnded("crash", "Failed", 1, "java.lang.IllegalStateException: boom");
    awaitDriver("crash", 2);
    assertThat(crashOnce).isTrue();
    assertThat(h.current("crash").getStatus().getRestarts().getCount()).isEqualTo(1);
    assertThat(h.podLog().maxDriversAtOnce()).as("never two drivers").isEqualTo(1);
    assertThat(h.podLog().entries())
        .noneMatch(e -> e.startsWith("ADDED crash-driver-3"))
        .anyMatch(e -> e.startsWith("ADDED crash-driver-2"));
  }

  @Test
  void aStaleWriterGetsAConflictAndDecidesAgain() {
    SpateOperator op = h.startOperator("op-1", Map.of());
    AtomicBoolean touched = new AtomicBoolean();
    AtomicInteger conflicts = new AtomicInteger();
    op.reconciler()
        .injectFaults(
            new StreamingJobReconciler.FaultInjection() {
              @Override
              public void beforeStatusWrite(ResourceID job) {
                if (touched.compareAndSet(false, true)) {
                  // another writer changes the job between this reconcile's read and its write
                  h.edit(
                      job.getName(),
                      j -> {
                        Map<String, String> labels = new HashMap<>();
                        if (j.getMetadata().getLabels() != null) {
                          labels.putAll(j.getMetadata().getLabels());
                        }
                        labels.put("touched-by", "someone-else");
                        j.getMetadata().setLabels(labels);
                        return j;
                      });
                }
              }

              @Override
              public void conflicted(ResourceID job) {
                conflicts.incrementAndGet();
              }
            });
    h.client.resource(h.job("stale", "fake:9092")).create();
    awaitDriver("stale", 1);
    assertThat(conflicts.get()).as("the stale write was refused").isPositive();
    assertThat(h.current("stale").getMetadata().getLabels())
        .containsEntry("touched-by", "someone-else");
    assertThat(h.events("DriverCreated")).hasSize(1);
    assertThat(h.podLog().maxDriversAtOnce()).isEqualTo(1);
  }
}
