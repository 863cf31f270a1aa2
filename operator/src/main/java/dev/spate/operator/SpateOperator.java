package dev.spate.operator;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.kafka.KafkaInspector;
import dev.spate.operator.kafka.KafkaObserver;
import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.reconciler.StreamingJobReconciler;
import dev.spate.operator.validate.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process's parts wired together: a JOSDK {@link Operator} on a client with the
 * StreamingJob controller registered. Used by {@link Main} and by the controller tests, so both run
 * the same configuration.
 *
 * <p>Write mode ({@code spate.serverSideApply}): server-side apply by default, as JOSDK does on a
 * real API server (the primary's status patch and the matching of dependents); {@code false} uses
 * JSON merge patch and plain updates, which the fabric8 mock API server of the tests and the
 * sandbox needs (it has no server-side apply). The StreamingJob's status itself is always written
 * whole with optimistic locking (see {@link StreamingJobReconciler}).
 *
 * <p>Leader election ({@code spate.leaderElection}, on by default): replicas compete for the Lease
 * {@value #LEASE_NAME}; only the holder reconciles. A holder that cannot renew stops leading and,
 * with {@code spate.exitOnLostLease} (the default), exits so Kubernetes restarts it as a follower.
 * Stopping the operator ({@link #close()}, e.g. on SIGTERM) is not losing the Lease: it neither
 * exits from inside the stop (JOSDK's own exit-on-stop-leading would call {@code System.exit} on
 * the stopping thread, which inside a shutdown hook blocks until SIGKILL) nor releases the Lease: a
 * successor takes over once it expires ({@code spate.leaseDuration}).
 */
public final class SpateOperator implements AutoCloseable {

  /** Name of the leader-election Lease. */
  public static final String LEASE_NAME = "spate-operator";

  private static final Logger LOG = LoggerFactory.getLogger(SpateOperator.class);

  private final Operator operator;
  private final StreamingJobReconciler reconciler;
  private final AtomicBoolean stopping = new AtomicBoolean();

  /**
   * Builds (does not start) the operator.
   *
   * @param client the Kubernetes client (not closed by {@link #close()})
   * @param config the operator configuration
   * @param instance this instance's name (Events, leader identity), e.g. the pod name
   */
  public SpateOperator(KubernetesClient client, OperatorConfig config, String instance) {
    this(client, config, instance, Metrics.NOOP);
  }

  /**
   * Builds (does not start) the operator with metrics.
   *
   * @param client the Kubernetes client (not closed by {@link #close()})
   * @param config the operator configuration
   * @param instance this instance's name (Events, leader identity), e.g. the pod name
   * @param metrics JOSDK metrics (e.g. {@code MicrometerMetrics}) or {@link Metrics#NOOP}
   */
  public SpateOperator(
      KubernetesClient client, OperatorConfig config, String instance, Metrics metrics) {
    this(client, config, instance, metrics, KafkaInspector::new);
  }

  /**
   * Builds (does not start) the operator with metrics and a Kafka observer of choice.
   *
   * @param client the Kubernetes client (not closed by {@link #close()})
   * @param config the operator configuration
   * @param instance this instance's name (Events, leader identity), e.g. the pod name
   * @param metrics JOSDK metrics (e.g. {@code MicrometerMetrics}) or {@link Metrics#NOOP}
   * @param kafka creates the Kafka observer ({@link KafkaInspector} on real clusters)
   */
  public SpateOperator(
      KubernetesClient client,
      OperatorConfig config,
      String instance,
      Metrics metrics,
      KafkaObserver.Factory<ResourceID> kafka) {
    this(client, config, instance, metrics, kafka, SpateOperator::exitProcess);
  }

  /**
   * Builds (does not start) the operator with metrics, a Kafka observer of choice and what to do
   * when the Lease is lost.
   *
   * @param client the Kubernetes client (not closed by {@link #close()})
   * @param config the operator configuration
   * @param instance this instance's name (Events, leader identity), e.g. the pod name
   * @param metrics JOSDK metrics (e.g. {@code MicrometerMetrics}) or {@link Metrics#NOOP}
   * @param kafka creates the Kafka observer ({@link KafkaInspector} on real clusters)
   * @param lostLease run once this instance stops leading while it is not being stopped, with
   *     {@code spate.exitOnLostLease}; by default a new thread calls {@code System.exit(1)}
   */
  public SpateOperator(
      KubernetesClient client,
      OperatorConfig config,
      String instance,
      Metrics metrics,
      KafkaObserver.Factory<ResourceID> kafka,
      Runnable lostLease) {
    this.reconciler =
        new StreamingJobReconciler(
            config, new SpecValidator(CrdRuleEvaluator.forStreamingJob(), config), instance, kafka);
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(config.serverSideApply())
                  .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
                  .withMetrics(metrics);
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        LEASE_NAME,
                        config.leaseNamespace(),
                        config.leaseDuration(),
                        config.leaseRenewDeadline(),
                        config.leaseRetryPeriod(),
                        instance,
                        new LeaderCallbacks(
                            () -> {},
                            () -> stoppedLeading(instance, config.exitOnLostLease(), lostLease),
                            leader -> {}),
                        false));
              }
            });
    operator.register(
        reconciler,
        c -> {
          if (config.watchedNamespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.watchedNamespaces());
          }
          c.withReconciliationMaxInterval(config.reconcileInterval());
        });
  }

  /** Starts the informers and the controller; returns once caches are synced. */
  public void start() {
    operator.start();
  }

  /**
   * @return the controller's reconciler
   */
  public StreamingJobReconciler reconciler() {
    return reconciler;
  }

  /**
   * Whether the operator runs: started, and every informer and event source healthy (JOSDK's {@code
   * RuntimeInfo}). An informer that died (e.g. on an object it could not read) makes this false.
   *
   * @return true while the operator is started and healthy
   */
  public boolean isRunning() {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }

  /**
   * JOSDK's runtime view: started, registered controllers, health of every event source.
   *
   * @return the runtime info
   */
  public RuntimeInfo runtimeInfo() {
    return operator.getRuntimeInfo();
  }

  /**
   * Whether this instance reconciles: JOSDK starts the controller's event processing once started
   * without leader election, or once this instance holds the Lease {@value #LEASE_NAME}. A standby
   * runs its informers too (JOSDK starts every event source before the election), so its caches are
   * warm, but it reconciles nothing.
   *
   * @return true while the controller processes events (leader, or no leader election)
   */
  public boolean isLeader() {
    return controller().map(c -> c.getEventProcessor().isRunning()).orElse(false);
  }

  /**
   * Every StreamingJob in the controller's informer cache (the watched namespaces), as last seen by
   * the informer: spec and status as the API server holds them, no API call. Empty before {@link
   * #start()}.
   *
   * @return the cached jobs
   */
  public List<StreamingJob> cachedJobs() {
    if (!operator.getRuntimeInfo().isStarted()) {
      return List.of();
    }
    return controller()
        .map(c -> c.getEventSourceManager().getControllerEventSource().list().toList())
        .orElse(List.of());
  }

  /**
   * The operator's last Kafka snapshot of a job (lag, partitions, last commit), as its Kafka poller
   * holds it: no Kafka or API call. Fresher than the job's status, whose lag figures are refreshed
   * at most every {@code spate.lagStatusInterval}.
   *
   * @param job the job
   * @return the snapshot, empty before the first poll of the job finished
   */
  public Optional<KafkaSnapshot> liveKafka(StreamingJob job) {
    return reconciler.kafka().snapshot(ResourceID.fromResource(job));
  }

  /** JOSDK's controller of the StreamingJob reconciler (its implementation class is public). */
  @SuppressWarnings("unchecked")
  private void stoppedLeading(String instance, boolean exit, Runnable lostLease) {
    if (stopping.get()) {
      LOG.info(
          "{} stopped leading: the operator is stopping (the Lease is not released)", instance);
      return;
    }
    LOG.error(
        "{} lost the Lease {}: it could not renew it within spate.leaseRenewDeadline{}",
        instance,
        LEASE_NAME,
        exit ? "; exiting so Kubernetes restarts it as a follower" : "");
    if (exit) {
      lostLease.run();
    }
  }

  /**
   * Exits the JVM with status 1 from a thread of its own, so the caller (the leader elector's
   * thread) is not the one that waits for the shutdown hooks.
   */
  private static void exitProcess() {
    new Thread(() -> System.exit(1), "spate-lost-lease").start();
  }

  private Optional<Controller<StreamingJob>> controller() {
    return operator.getRegisteredControllers().stream()
        .filter(c -> c instanceof Controller<?> ctl && ctl.getReconciler() == reconciler)
        .map(c -> (Controller<StreamingJob>) c)
        .findFirst();
  }

  /**
   * Stops the controller (in-flight reconciles finish; the Lease is not released) and closes the
   * Kafka observer.
   */
  @Override
  public void close() {
    stopping.set(true);
    try {
      operator.stop();
    } finally {
      reconciler.close();
    }
  }
}
