package dev.spate.operator;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.reconciler.StreamingJobReconciler;
import dev.spate.operator.validate.SpecValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.Controller;
import java.util.List;
import java.util.Optional;

/**
 * The operator process's parts wired together: a JOSDK {@link Operator} on a client with the
 * StreamingJob controller registered. Used by {@link Main} and by the controller tests, so both run
 * the same configuration.
 *
 * <p>Patch mode: the primary's status is patched with JSON merge patch and dependents are matched
 * without server-side apply ({@code withUseSSAToPatchPrimaryResource(false)}, {@code
 * withSSABasedCreateUpdateMatchForDependentResources(false)}), in production as in the tests,
 * because the fabric8 mock API server the tests use has no server-side apply.
 */
public final class SpateOperator implements AutoCloseable {

  /** Name of the leader-election Lease. */
  public static final String LEASE_NAME = "spate-operator";

  private final Operator operator;
  private final StreamingJobReconciler reconciler;

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
    this.reconciler =
        new StreamingJobReconciler(
            config, new SpecValidator(CrdRuleEvaluator.forStreamingJob(), config), instance);
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withMetrics(metrics);
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(LEASE_NAME, config.leaseNamespace(), instance));
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

  /** JOSDK's controller of the StreamingJob reconciler (its implementation class is public). */
  @SuppressWarnings("unchecked")
  private Optional<Controller<StreamingJob>> controller() {
    return operator.getRegisteredControllers().stream()
        .filter(c -> c instanceof Controller<?> ctl && ctl.getReconciler() == reconciler)
        .map(c -> (Controller<StreamingJob>) c)
        .findFirst();
  }

  /** Stops the controller (in-flight reconciles finish) and closes every Kafka AdminClient. */
  @Override
  public void close() {
    try {
      operator.stop();
    } finally {
      reconciler.close();
    }
  }
}
