package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.SpateOperator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.kafka.FakeKafka;
import dev.spate.operator.resources.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

/**
 * What the controller tests on the fabric8 CRUD mock share: the CRD, one namespace per test, the
 * operator in-process with short timeouts, a kubelet's part played by hand (pod status), and a pod
 * watch that remembers the order of pod additions and deletions.
 */
final class ControllerHarness implements AutoCloseable {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  final KubernetesClient client;
  final String ns;

  /** Kafka as every operator of this harness sees it (one input cluster, switches). */
  final FakeKafka kafka = new FakeKafka();

  private final List<SpateOperator> operators = new ArrayList<>();
  private final PodLog podLog = new PodLog();
  private final Watch watch;

  ControllerHarness(KubernetesClient client, String prefix) {
    this.client = client;
    this.ns = prefix + "-" + NAMESPACES.incrementAndGet();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    this.watch = client.pods().inNamespace(ns).watch(podLog);
  }

  /** Creates the generated CRD once per mock server. */
  static void createCrd(KubernetesClient client) {
    try (InputStream crd =
        CrdRuleEvaluator.class
            .getClassLoader()
            .getResourceAsStream(CrdRuleEvaluator.STREAMING_JOB_CRD)) {
      client
          .resource(
              client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class))
          .create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts an operator on this namespace with 1 s reconcile and Kafka poll, plus the given options.
   */
  SpateOperator startOperator(String instance, Map<String, String> options) {
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
            kafka);
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
    job.getSpec().getKafka().setBootstrapServers(bootstrapServers);
    return job;
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
    Pod driver = driver(name);
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder(driver)
                .editOrNewStatus()
                .withPhase("Running")
                .withConditions()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .withStartTime("2026-11-21T10:00:00Z")
                .endStatus()
                .build())
        .updateStatus();
  }

  /** Ends the driver container as a kubelet reports it: the pod phase and the exit code. */
  void driverEnded(String name, String phase, int exitCode, String message) {
    Pod driver = driver(name);
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder(driver)
                .editOrNewStatus()
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
                .endContainerStatus()
                .endStatus()
                .build())
        .updateStatus();
  }

  /** An executor pod as Spark creates it (labels), Running and Ready. */
  Pod executor(String job, int n) {
    Pod pod =
        client
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
    return client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder(pod)
                .editOrNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .updateStatus();
  }

  /** Pod additions and deletions in watch order. */
  PodLog podLog() {
    return podLog;
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
