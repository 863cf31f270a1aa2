package dev.spate.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.MockCluster;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.kafka.FakeKafka;
import dev.spate.operator.kafka.KafkaObserver;
import dev.spate.operator.resources.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the controller tests on the fabric8 CRUD mock share: the CRD, one namespace per test, the
 * operator in-process with short timeouts, a kubelet's part played by hand (pod status), and a pod
 * watch that remembers the order of pod additions and deletions.
 *
 * <p>A test class holds one per test as a JUnit extension, which closes it after each test (also
 * when the test fails):
 *
 * <pre>{@code
 * @RegisterExtension final ControllerHarness h = new ControllerHarness(client, "prefix");
 * }</pre>
 *
 * The mock server's static client is set before the test instance exists (fabric8's extension does
 * it before all tests), so the field initializer may use it.
 */
final class ControllerHarness implements AutoCloseable, AfterEachCallback {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  final KubernetesClient client;
  final String ns;

  /** Kafka as every operator of this harness sees it (one input cluster, switches). */
  final FakeKafka kafka = new FakeKafka();

  private final List<SpateOperator> operators = new ArrayList<>();
  private final PodLog podLog = new PodLog();
  private final Watch watch;

  /**
   * Creates the CRD (when this mock server has none yet) and a fresh namespace {@code
   * <prefix>-<n>}, and starts watching its pods.
   */
  ControllerHarness(KubernetesClient client, String prefix) {
    this.client = client;
    this.ns = prefix + "-" + NAMESPACES.incrementAndGet();
    if (client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(StreamingJob.CRD_NAME)
            .get()
        == null) {
      MockCluster.createCrd(client);
    }
    MockCluster.createNamespace(client, ns);
    this.watch = client.pods().inNamespace(ns).watch(podLog);
  }

  /**
   * Starts an operator on this namespace with 1 s reconcile and Kafka poll, plus the given options.
   */
  SpateOperator startOperator(String instance, Map<String, String> options) {
    return startOperator(instance, options, kafka);
  }

  /**
   * Starts an operator as {@link #startOperator(String, Map)} does, reading Kafka through the given
   * observer (for example the real {@code KafkaInspector} against a testkit broker) instead of
   * {@link #kafka}.
   */
  SpateOperator startOperator(
      String instance,
      Map<String, String> options,
      KafkaObserver.Factory<ResourceID> kafkaObserver) {
    return startOperator(
        instance,
        options,
        kafkaObserver,
        () -> {
          throw new IllegalStateException(instance + " would exit: it lost its Lease");
        });
  }

  /**
   * Starts an operator as {@link #startOperator(String, Map, KafkaObserver.Factory)} does, running
   * {@code lostLease} instead of exiting the JVM when it loses its Lease with {@code
   * spate.exitOnLostLease}.
   */
  SpateOperator startOperator(
      String instance,
      Map<String, String> options,
      KafkaObserver.Factory<ResourceID> kafkaObserver,
      Runnable lostLease) {
    Map<String, String> props =
        new HashMap<>(
            Map.of(
                "spate.namespaces", ns,
                "spate.reconcileInterval", "1s",
                "spate.kafkaPollInterval", "1s",
                "spate.defaultImage", "spate-spark:test",
                // the fabric8 mock API server has no server-side apply; one instance per test
                "spate.serverSideApply", "false",
                "spate.leaderElection", "false"));
    props.putAll(options);
    SpateOperator operator =
        new SpateOperator(
            client,
            OperatorConfig.read(props, Map.of()),
            instance,
            io.javaoperatorsdk.operator.api.monitoring.Metrics.NOOP,
            kafkaObserver,
            lostLease);
    operators.add(operator);
    operator.start();
    return operator;
  }

  void stopOperator(SpateOperator operator) {
    operator.close();
    operators.remove(operator);
  }

  /** The minimal test job in this namespace, Kafka at the given servers. */
  StreamingJob job(String name, String bootstrapServers) {
    return TestJobs.minimal(ns, name, bootstrapServers);
  }

  StreamingJob current(String name) {
    return client.resources(StreamingJob.class).inNamespace(ns).withName(name).get();
  }

  /** Edits the job's spec (retrying on a conflict with the operator's status patch). */
  void edit(String name, UnaryOperator<StreamingJob> change) {
    for (int i = 0; ; i++) {
      try {
        client.resource(change.apply(current(name))).update();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || i > 20) {
          throw e;
        }
      }
    }
  }

  Optional<Condition> condition(String name, ConditionType type) {
    StreamingJob job = current(name);
    return job == null || job.getStatus() == null
        ? Optional.empty()
        : job.getStatus().condition(type);
  }

  /** The job's driver pod of the newest attempt (label {@code spate.dev/attempt}), or null. */
  Pod driver(String name) {
    return client
        .pods()
        .inNamespace(ns)
        .withLabel(Labels.SPARK_ROLE, Labels.ROLE_DRIVER)
        .withLabel(Labels.JOB, name)
        .list()
        .getItems()
        .stream()
        .max(
            java.util.Comparator.comparingInt(
                p -> Integer.parseInt(p.getMetadata().getLabels().get(Labels.ATTEMPT))))
        .orElse(null);
  }

  /** The pod of that name in this namespace, or null. */
  Pod pod(String name) {
    return client.pods().inNamespace(ns).withName(name).get();
  }

  ConfigMap configMap(String name) {
    return client.configMaps().inNamespace(ns).withName(name).get();
  }

  List<Event> events(String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /** Sets the driver's status as a kubelet would: Running and Ready. */
  void driverReady(String name) {
    updateStatus(
        driver(name),
        status ->
            status
                .withPhase("Running")
                .withConditions()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .withStartTime("2026-11-21T10:00:00Z"));
  }

  /** Ends the driver container as a kubelet reports it: the pod phase and the exit code. */
  void driverEnded(String name, String phase, int exitCode, String message) {
    updateStatus(
        driver(name),
        status ->
            status
                .withPhase(phase)
                .withConditions()
                .withContainerStatuses()
                .addNewContainerStatus()
                .withName("spark-kubernetes-driver")
                .withReady(false)
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(exitCode == 0 ? "Completed" : "Error")
                .withMessage(message)
                .withFinishedAt(
                    java.time.Instant.now()
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString())
                .endTerminated()
                .endState()
                .endContainerStatus());
  }

  /** An executor pod as Spark creates it (labels), Running and Ready. */
  Pod executor(String job, int n) {
    return updateStatus(
        pendingExecutor(job, n),
        status ->
            status
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition());
  }

  /** Writes the pod's status subresource as a kubelet does: its current status, edited. */
  private Pod updateStatus(Pod pod, UnaryOperator<PodStatusBuilder> edit) {
    PodStatusBuilder status =
        pod.getStatus() == null ? new PodStatusBuilder() : new PodStatusBuilder(pod.getStatus());
    return client
        .pods()
        .inNamespace(ns)
        .resource(new PodBuilder(pod).withStatus(edit.apply(status).build()).build())
        .updateStatus();
  }

  /** An executor pod as Spark creates it (labels), without a status: not Ready. */
  Pod pendingExecutor(String job, int n) {
    return client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(job + "-exec-" + n)
                .addToLabels(Labels.SPARK_ROLE, Labels.ROLE_EXECUTOR)
                .addToLabels(Labels.JOB, job)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("spark-kubernetes-executor")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  /**
   * Asserts that the operator owns the object: one controller owner reference to the job (kind,
   * apiVersion, name, uid) and the job and managed-by labels.
   */
  static void assertOwnedBy(HasMetadata owned, StreamingJob job) {
    assertThat(owned.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("StreamingJob");
              assertThat(ref.getApiVersion()).isEqualTo("spate.dev/v1alpha1");
              assertThat(ref.getName()).isEqualTo(job.getMetadata().getName());
              assertThat(ref.getUid()).isEqualTo(job.getMetadata().getUid());
              assertThat(ref.getController()).isTrue();
            });
    assertThat(owned.getMetadata().getLabels())
        .containsEntry(Labels.JOB, job.getMetadata().getName())
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGER);
  }

  /** Pod additions and deletions in watch order. */
  PodLog podLog() {
    return podLog;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  @Override
  public void close() {
    try {
      operators.forEach(SpateOperator::close);
    } finally {
      watch.close();
    }
  }

  /**
   * Every pod ADDED/DELETED event of the namespace, in order, with the largest number of driver
   * pods (label {@code spark-role=driver}) that existed at once.
   */
  static final class PodLog implements Watcher<Pod> {
    private final List<String> entries = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> liveDrivers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger maxDrivers = new AtomicInteger();

    @Override
    public void eventReceived(Action action, Pod pod) {
      if (action != Action.ADDED && action != Action.DELETED) {
        return;
      }
      boolean isDriver =
          pod.getMetadata().getLabels() != null
              && Labels.ROLE_DRIVER.equals(pod.getMetadata().getLabels().get(Labels.SPARK_ROLE));
      synchronized (this) {
        entries.add(action + " " + pod.getMetadata().getName() + " " + pod.getMetadata().getUid());
        if (isDriver) {
          if (action == Action.ADDED) {
            liveDrivers.add(pod.getMetadata().getUid());
          } else {
            liveDrivers.remove(pod.getMetadata().getUid());
          }
          maxDrivers.accumulateAndGet(liveDrivers.size(), Math::max);
        }
      }
    }

    @Override
    public void onClose(WatcherException cause) {}

    List<String> entries() {
      synchronized (entries) {
        return List.copyOf(entries);
      }
    }

    int maxDriversAtOnce() {
      return maxDrivers.get();
    }
  }
}
