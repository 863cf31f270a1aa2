package dev.spate.job.plugin;

import dev.spate.job.JobConfigKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the control ConfigMap (docs/CONTRACT.md) and applies its {@code desiredExecutors} to the
 * driver: grow with {@code requestTotalExecutors}, shrink by killing the least busy executors
 * ({@link ScalingDecision}); then writes {@code appliedExecutors} and {@code appliedAt} (RFC 3339)
 * back into the ConfigMap. Changes are applied one at a time on a single thread, in order.
 *
 * <p>Nothing is applied before {@link ExecutorControl#ready()}; an application that is not ready,
 * refused by the scheduler backend or failed (API error) is retried after {@link #retryDelay}
 * (doubling from {@link #FIRST_RETRY} up to {@link #MAX_RETRY}) until it succeeds or a newer
 * ConfigMap event supersedes it. Only an application that succeeded is written back.
 */
public final class ExecutorScaler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorScaler.class);

  /** Delay before the first retry of an application that did not succeed. */
  public static final Duration FIRST_RETRY = Duration.ofSeconds(1);

  /** Longest delay between retries. */
  public static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /** How one attempt to apply the ConfigMap ended. */
  enum Outcome {
    /** applied and written back */
    APPLIED,
    /** nothing (new) to apply: no or bad {@code desiredExecutors}, no ConfigMap, already applied */
    NOTHING_TO_DO,
    /** the scheduler backend has not started yet */
    NOT_READY,
    /** the scheduler backend refused the executor total */
    REFUSED,
    /** an exception (API server, Spark) */
    FAILED;

    boolean retry() {
      return this == NOT_READY || this == REFUSED || this == FAILED;
    }
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final ExecutorControl control;
  private final Clock clock;
  private final Duration firstRetry;
  private final Duration maxRetry;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "spate-executor-scaler");
            t.setDaemon(true);
            return t;
          });
  private SharedIndexInformer<ConfigMap> informer;
  // the fields below are only used on the worker thread
  private Integer lastApplied;
  private ScheduledFuture<?> pendingRetry;
  private int failedAttempts;
  private Outcome previous;

  /**
   * @param client Kubernetes client (closed by {@link #close()})
   * @param namespace namespace of the control ConfigMap
   * @param name name of the control ConfigMap
   * @param control the driver's executor controls
   * @param clock clock for {@code appliedAt}
   */
  public ExecutorScaler(
      KubernetesClient client,
      String namespace,
      String name,
      ExecutorControl control,
      Clock clock) {
    this(client, namespace, name, control, clock, FIRST_RETRY, MAX_RETRY);
  }

  /**
   * @param client Kubernetes client (closed by {@link #close()})
   * @param namespace namespace of the control ConfigMap
   * @param name name of the control ConfigMap
   * @param control the driver's executor controls
   * @param clock clock for {@code appliedAt}
   * @param firstRetry delay before the first retry of an application that did not succeed, &gt; 0
   * @param maxRetry longest delay between retries, &gt;= {@code firstRetry}
   */
  ExecutorScaler(
      KubernetesClient client,
      String namespace,
      String name,
      ExecutorControl control,
      Clock clock,
      Duration firstRetry,
      Duration maxRetry) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.control = control;
    this.clock = clock;
    this.firstRetry = firstRetry;
    this.maxRetry = maxRetry;
  }

  /**
   * Starts watching the ConfigMap (returns at once; the informer retries while the API server is
   * unreachable); the current content is applied as soon as it is listed.
   */
  public void start() {
    informer = client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap cm) {
            reconcileSoon();
          }

          @Override
          public void onUpdate(ConfigMap oldCm, ConfigMap cm) {
            reconcileSoon();
          }

          @Override
          public void onDelete(ConfigMap cm, boolean deletedFinalStateUnknown) {
            // keep the current executors; the operator recreates the ConfigMap
          }
        });
    // not blocking: an unreachable API server must not keep the driver from starting
    informer
        .start()
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.warn("cannot watch control ConfigMap {}/{}: {}", namespace, name, e.toString());
              }
            });
    LOG.info(
        "watching control ConfigMap {}/{} for {}",
        namespace,
        name,
        JobConfigKeys.DESIRED_EXECUTORS);
  }

  /**
   * @param data the ConfigMap's data, may be {@code null}
   * @return {@code desiredExecutors} when present and a whole number &gt;= 0
   */
  static OptionalInt desired(Map<String, String> data) {
    String text = data == null ? null : data.get(JobConfigKeys.DESIRED_EXECUTORS);
    if (text == null || text.isBlank()) {
      return OptionalInt.empty();
    }
    try {
      int n = Integer.parseInt(text.trim());
      return n >= 0 ? OptionalInt.of(n) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * Applies the ConfigMap now (on the worker thread) instead of at the next retry, e.g. once the
   * scheduler backend has started. Does nothing after {@link #close()}.
   */
  public void reconcileSoon() {
    try {
      worker.execute(this::reconcile);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  /**
   * @param failedAttempts attempts that did not succeed so far, at least 1
   * @param first delay after the first one
   * @param max the longest delay
   * @return {@code first * 2^(failedAttempts - 1)}, at most {@code max}
   */
  static Duration retryDelay(int failedAttempts, Duration first, Duration max) {
    int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
    Duration delay = first.multipliedBy(1L << doublings);
    return delay.compareTo(max) > 0 ? max : delay;
  }

  /** One attempt on the worker thread; schedules the next one when it did not succeed. */
  private void reconcile() {
    if (pendingRetry != null) {
      pendingRetry.cancel(false); // this attempt reads the current ConfigMap anyway
      pendingRetry = null;
    }
    Outcome outcome = applyOnce();
    previous = outcome;
    if (!outcome.retry()) {
      failedAttempts = 0;
      return;
    }
    failedAttempts++;
    Duration delay = retryDelay(failedAttempts, firstRetry, maxRetry);
    LOG.debug(
        "control ConfigMap {}/{}: {}; retry {} in {} ms",
        namespace,
        name,
        outcome,
        failedAttempts,
        delay.toMillis());
    try {
      pendingRetry = worker.schedule(this::reconcile, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  /**
   * Applies the ConfigMap's desired executor count when it differs from what was last applied.
   *
   * @return how the attempt ended
   */
  Outcome applyOnce() {
    try {
      // the informer may hand over an older copy (list + watch); decide on the current one
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
      if (cm == null) {
        return Outcome.NOTHING_TO_DO;
      }
      Map<String, String> data = cm.getData();
      OptionalInt desired = desired(data);
      if (desired.isEmpty()) {
        if (data != null && data.containsKey(JobConfigKeys.DESIRED_EXECUTORS)) {
          LOG.warn(
              "{} '{}' in ConfigMap {}/{} is not a whole number >= 0; ignored",
              JobConfigKeys.DESIRED_EXECUTORS,
              data.get(JobConfigKeys.DESIRED_EXECUTORS),
              namespace,
              name);
        }
        return Outcome.NOTHING_TO_DO;
      }
      int want = desired.getAsInt();
      if (lastApplied != null
          && lastApplied == want
          && String.valueOf(want).equals(data.get(JobConfigKeys.APPLIED_EXECUTORS))) {
        return Outcome.NOTHING_TO_DO; // our own write-back, or nothing new
      }
      if (!control.ready()) {
        if (previous != Outcome.NOT_READY) {
          LOG.info("{} executors wanted; waiting for the scheduler backend to start", want);
        }
        return Outcome.NOT_READY;
      }
      ScalingDecision decision = ScalingDecision.decide(want, control.executors());
      List<String> killed = control.killExecutors(decision.kill());
      if (!control.requestTotalExecutors(decision.requestTotal())) {
        if (previous != Outcome.REFUSED) {
          LOG.warn(
              "the scheduler backend refused {} executors (not a cluster manager that scales?); "
                  + "retrying",
              want);
        }
        return Outcome.REFUSED;
      }
      String at = Instant.now(clock).toString();
      client
          .configMaps()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              c ->
                  new ConfigMapBuilder(c)
                      .addToData(JobConfigKeys.APPLIED_EXECUTORS, String.valueOf(want))
                      .addToData(JobConfigKeys.APPLIED_AT, at)
                      .build());
      lastApplied = want;
      LOG.info("applied {} executors (killed {})", want, killed);
      return Outcome.APPLIED;
    } catch (RuntimeException e) {
      LOG.warn("cannot apply the control ConfigMap {}/{}: {}", namespace, name, e.toString());
      return Outcome.FAILED;
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.stop();
    }
    worker.shutdownNow();
    client.close();
  }
}
