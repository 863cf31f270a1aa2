package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.decide.LagStatusRefresh;
import dev.spate.operator.kafka.KafkaEventSource;
import dev.spate.operator.kafka.KafkaInspector;
import dev.spate.operator.kafka.KafkaObserver;
import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.resources.ControlConfigMap;
import dev.spate.operator.resources.DriverRbacCondition;
import dev.spate.operator.resources.DriverRole;
import dev.spate.operator.resources.DriverRoleBinding;
import dev.spate.operator.resources.DriverService;
import dev.spate.operator.resources.DriverServiceAccount;
import dev.spate.operator.resources.JobNames;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.resources.PlanContext;
import dev.spate.operator.resources.SparkAuthSecret;
import dev.spate.operator.resources.SparkConfConfigMap;
import dev.spate.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a StreamingJob into a Spark-on-Kubernetes driver, in four steps:
 *
 * <ol>
 *   <li><b>observe</b>: an {@link Observation} from the informer caches (driver and executor pods,
 *       control ConfigMap, client config and checkpoint credentials Secrets) and the {@link
 *       KafkaObserver}'s snapshot, no API request;
 *   <li><b>decide</b>: {@link JobDecider#decide}, one pure function;
 *   <li><b>record</b> the next status first (intent before action), with optimistic locking: a
 *       reconcile that decided on a stale view gets 409 Conflict, acts on nothing and runs again on
 *       the fresh object ({@link PrimaryUpdateAndCacheUtils} caches the written status for the next
 *       reconcile);
 *   <li><b>apply</b>: the owned ConfigMaps, Service, Secret and, unless the job names a driver
 *       ServiceAccount, the driver's own ServiceAccount, Role and RoleBinding (JOSDK dependents),
 *       the pod deletions, the new attempt's driver pod; then the Events.
 * </ol>
 */
@ControllerConfiguration(name = StreamingJobReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = StreamingJobReconciler.SPARK_CONF, type = SparkConfConfigMap.class),
      @Dependent(name = StreamingJobReconciler.CONTROL, type = ControlConfigMap.class),
      @Dependent(name = "driver-service", type = DriverService.class),
      @Dependent(name = "spark-auth", type = SparkAuthSecret.class),
      @Dependent(
          name = "driver-service-account",
          type = DriverServiceAccount.class,
          reconcilePrecondition = DriverRbacCondition.class),
      @Dependent(
          name = "driver-role",
          type = DriverRole.class,
          reconcilePrecondition = DriverRbacCondition.class),
      @Dependent(
          name = "driver-role-binding",
          type = DriverRoleBinding.class,
          reconcilePrecondition = DriverRbacCondition.class)
    })
public class StreamingJobReconciler implements Reconciler<StreamingJob>, Cleaner<StreamingJob> {

  /** Controller name. */
  public static final String NAME = "streamingjob";

  /** Name of the Spark conf ConfigMap dependent. */
  public static final String SPARK_CONF = "spark-conf";

  /** Name of the control ConfigMap dependent (and its event source). */
  public static final String CONTROL = "control";

  /** Name of the driver pods' event source. */
  public static final String DRIVERS = "drivers";

  /** Name of the executor pods' event source. */
  public static final String EXECUTORS = "executors";

  /**
   * Name of the event source of the Secrets jobs name (client config, checkpoint credentials): one
   * informer per referenced Secret ({@link ReferencedSecrets}), not one over all Secrets.
   */
  public static final String SECRETS = "secrets";

  /** How long a reconcile waits for the first list of a Secret a job newly references. */
  private static final Duration SECRET_SYNC_TIMEOUT = Duration.ofSeconds(10);

  /** How soon a reconcile that lost an optimistic-locking race runs again. */
  private static final Duration AFTER_CONFLICT = Duration.ofMillis(200);

  private static final Logger LOG = LoggerFactory.getLogger(StreamingJobReconciler.class);

  private final JobDecider decider;
  private final KafkaEventSource kafkaEvents = new KafkaEventSource();
  private final KafkaObserver<ResourceID> kafka;
  private final String instance;
  private final Clock clock;
  private final Map<ResourceID, ExecutorSizer.Memory> memory = new ConcurrentHashMap<>();
  private final Map<ResourceID, LagShown> lagShown = new ConcurrentHashMap<>();
  private final Map<ResourceID, KafkaSnapshot> lastSnapshot = new ConcurrentHashMap<>();
  private final Duration lagStatusInterval;
  private volatile FaultInjection faults = FaultInjection.NONE;
  private volatile ReferencedSecrets secrets;

  /**
   * A reconciler reading Kafka through real AdminClients ({@link KafkaInspector}).
   *
   * @param config the operator configuration
   * @param validator the spec validator
   * @param instance this operator instance's name, for Events
   */
  public StreamingJobReconciler(OperatorConfig config, SpecValidator validator, String instance) {
    this(config, validator, instance, KafkaInspector::new);
  }

  /**
   * @param config the operator configuration
   * @param validator the spec validator
   * @param instance this operator instance's name, for Events
   * @param kafka creates the Kafka observer (a fake in controller tests)
   */
  public StreamingJobReconciler(
      OperatorConfig config,
      SpecValidator validator,
      String instance,
      KafkaObserver.Factory<ResourceID> kafka) {
    this.decider = new JobDecider(config, validator);
    this.instance = instance;
    this.clock = Clock.systemUTC();
    this.lagStatusInterval = config.lagStatusInterval();
    this.kafka = kafka.create(config.kafkaPollInterval(), this::onKafkaSnapshot);
    kafkaEvents.attach(this.kafka);
  }

  /**
   * The lag figures this instance last wrote into a job's status.
   *
   * @param figures the figures written
   * @param at when
   */
  private record LagShown(LagStatusRefresh.Figures figures, Instant at) {}

  /**
   * A changed Kafka snapshot wakes the job's reconcile only when the reconcile would act on it:
   * partitions, a problem or missing output topics changed, or the lag figures are due in the
   * status ({@link LagStatusRefresh}). A lag that only moved within its refresh interval waits for
   * the reconcile the last status write scheduled; metrics read the live snapshot meanwhile.
   */
  private void onKafkaSnapshot(ResourceID id, KafkaSnapshot snapshot) {
    KafkaSnapshot before = lastSnapshot.put(id, snapshot);
    LagShown shown = lagShown.get(id);
    boolean wake =
        before == null
            || shown == null
            || before.ok() != snapshot.ok()
            || !Objects.equals(before.problem(), snapshot.problem())
            || !Objects.equals(before.partitions(), snapshot.partitions())
            || !before.missingOutputTopics().equals(snapshot.missingOutputTopics())
            || LagStatusRefresh.due(
                shown.figures(),
                shown.at(),
                LagStatusRefresh.Figures.of(snapshot),
                clock.instant(),
                lagStatusInterval);
    if (wake) {
      kafkaEvents.onSnapshot(id, snapshot);
    }
  }

  /**
   * @return the Kafka observer (closed by {@link #close()})
   */
  public KafkaObserver<ResourceID> kafka() {
    return kafka;
  }

  /**
   * Test hooks around the status write of a reconcile: a crash between recording the intent and
   * acting on it, or another writer changing the job just before the write, must never leave two
   * drivers or delete a new one.
   */
  public interface FaultInjection {
    /** No fault. */
    FaultInjection NONE = new FaultInjection() {};

    /**
     * Called before the status of a reconcile is written (another writer may change the job here).
     *
     * @param job the job
     */
    default void beforeStatusWrite(ResourceID job) {}

    /**
     * Called after the status of a reconcile that acts was written, before it acts.
     *
     * @param job the job
     * @throws RuntimeException to abandon the reconcile there
     */
    default void afterStatusWritten(ResourceID job) {}

    /**
     * Called when a status write lost an optimistic-locking race (409 Conflict).
     *
     * @param job the job
     */
    default void conflicted(ResourceID job) {}
  }

  /**
   * Sets the fault injection hook (tests only).
   *
   * @param faults the hook
   */
  public void injectFaults(FaultInjection faults) {
    this.faults = faults;
  }

  /** Closes the Kafka observer. */
  public void close() {
    kafka.close();
  }

  @Override
  public List<EventSource<?, StreamingJob>> prepareEventSources(
      EventSourceContext<StreamingJob> context) {
    InformerEventSourceConfiguration<Pod> drivers =
        InformerEventSourceConfiguration.from(Pod.class, StreamingJob.class)
            .withName(DRIVERS)
            .withLabelSelector(
                Labels.MANAGED_SELECTOR + "," + Labels.SPARK_ROLE + "=" + Labels.ROLE_DRIVER)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(StreamingJobReconciler::byJobLabel)
            .build();
    InformerEventSourceConfiguration<Pod> executors =
        InformerEventSourceConfiguration.from(Pod.class, StreamingJob.class)
            .withName(EXECUTORS)
            .withLabelSelector(Labels.EXECUTOR_SELECTOR)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(StreamingJobReconciler::byJobLabel)
            .build();
    secrets = new ReferencedSecrets(SECRETS, context.getClient(), SECRET_SYNC_TIMEOUT);
    return List.of(
        new InformerEventSource<>(drivers, context),
        new InformerEventSource<>(executors, context),
        secrets,
        kafkaEvents);
  }

  @Override
  public UpdateControl<StreamingJob> reconcile(StreamingJob job, Context<StreamingJob> context) {
    ResourceID id = ResourceID.fromResource(job);
    Instant now = clock.instant();
    Observation observed = observe(id, job, context);
    JobDecision decision = decider.decide(observed, job.getStatus(), now);
    if (decision.acts() || !sameStatus(job.getStatus(), decision.status())) {
      try {
        faults.beforeStatusWrite(id);
        record(job, decision.status(), context);
        LagStatusRefresh.Figures written =
            LagStatusRefresh.Figures.of(decision.status().getKafka());
        LagShown shown = lagShown.get(id);
        if (written != null && (shown == null || !written.equals(shown.figures()))) {
          lagShown.put(id, new LagShown(written, now));
        }
      } catch (OperatorException | KubernetesClientException e) {
        if (!conflict(e)) {
          throw e;
        }
        faults.conflicted(id);
        LOG.info(
            "StreamingJob {}/{} changed since this reconcile read it (409 Conflict): deciding"
                + " again on the newer version",
            job.getMetadata().getNamespace(),
            job.getMetadata().getName());
        return UpdateControl.<StreamingJob>noUpdate().rescheduleAfter(AFTER_CONFLICT.toMillis());
      }
    }
    memory.put(id, decision.memory());
    if (decision.acts()) {
      faults.afterStatusWritten(id);
    }
    boolean created = apply(decision, context);
    JobEvents events = new JobEvents(context.getClient(), instance);
    decision.events().forEach(e -> events.record(job, e.type(), e.reason(), e.message()));
    if (created) {
      decision.createdEvents().forEach(e -> events.record(job, e.type(), e.reason(), e.message()));
    }
    return UpdateControl.<StreamingJob>noUpdate()
        .rescheduleAfter(Math.max(100L, decision.recheck().toMillis()));
  }

  @Override
  public DeleteControl cleanup(StreamingJob job, Context<StreamingJob> context) {
    ResourceID id = ResourceID.fromResource(job);
    kafka.unwatch(id);
    secrets.release(id);
    memory.remove(id);
    lagShown.remove(id);
    lastSnapshot.remove(id);
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    for (Pod pod : pods(job, context, DRIVERS)) {
      delete(pod, context);
    }
    for (Pod pod : pods(job, context, EXECUTORS)) {
      delete(pod, context);
    }
    LOG.info(
        "StreamingJob {}/{} deleted: owned objects removed",
        job.getMetadata().getNamespace(),
        job.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  /** Reads the caches and the Kafka snapshot; starts (or updates) the job's Kafka reads. */
  private Observation observe(ResourceID id, StreamingJob job, Context<StreamingJob> context) {
    secrets.reference(id, secretUses(job));
    Optional<Secret> secret = cachedSecret(job, secretName(job));
    Optional<Secret> checkpointSecret = cachedSecret(job, checkpointSecretName(job));
    decider.kafkaTarget(job, secret).ifPresent(target -> kafka.watch(id, target));
    Map<String, String> control =
        ((InformerEventSource<ConfigMap, StreamingJob>)
                context.eventSourceRetriever().getEventSourceFor(ConfigMap.class, CONTROL))
            .get(
                new ResourceID(
                    new JobNames(job.getMetadata().getName()).controlConfigMap(),
                    job.getMetadata().getNamespace()))
            .map(ConfigMap::getData)
            .orElse(Map.of());
    return new Observation(
        job,
        pods(job, context, DRIVERS),
        pods(job, context, EXECUTORS),
        control,
        secret,
        kafka.snapshot(id).orElse(null),
        memory.get(id),
        context.getPrimaryCache().list().toList(),
        checkpointSecret,
        Optional.ofNullable(lagShown.get(id)).map(LagShown::at).orElse(null));
  }

  /** A Secret of the job's namespace, as the informer of the Secrets jobs reference holds it. */
  private Optional<Secret> cachedSecret(StreamingJob job, Optional<String> name) {
    return name.flatMap(n -> secrets.get(new ResourceID(n, job.getMetadata().getNamespace())));
  }

  /**
   * @return the Secrets jobs reference, as the operator holds them (null before the controller
   *     prepared its event sources)
   */
  public ReferencedSecrets referencedSecrets() {
    return secrets;
  }

  /**
   * Writes the whole status with the job's resource version (optimistic locking: 409 when the job
   * changed since the informer delivered it) and caches the result for the next reconcile.
   */
  private static void record(
      StreamingJob job, StreamingJobStatus next, Context<StreamingJob> context) {
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(
        job,
        context,
        j -> {
          StreamingJob update = new StreamingJob();
          update.setMetadata(
              new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(j.getMetadata())
                  .withManagedFields()
                  .build());
          update.setSpec(j.getSpec());
          update.setStatus(next);
          return update;
        },
        r -> context.getClient().resource(r).updateStatus(),
        0,
        0,
        1);
  }

  /**
   * Applies the owned objects, deletes, then creates the new attempt's driver.
   *
   * @return whether this call created the driver pod
   */
  private static boolean apply(JobDecision decision, Context<StreamingJob> context) {
    if (decision.plan() != null) {
      PlanContext.put(context, decision.plan());
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }
    for (Pod pod : decision.deletePods()) {
      delete(pod, context);
    }
    if (decision.createDriver() != null) {
      try {
        context.getClient().resource(decision.createDriver()).create();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // the attempt's pod exists already: created before a crash, or not yet in the cache
      }
    }
    return false;
  }

  /**
   * Deletes a pod with its grace period (a driver gets SIGTERM and stops its query; executors go
   * before a new attempt starts). One DELETE per pod, so the operator needs no deletecollection.
   */
  private static void delete(Pod pod, Context<StreamingJob> context) {
    if (pod.getMetadata().getDeletionTimestamp() == null) {
      context
          .getClient()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
    }
  }

  private static boolean conflict(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
    }
    return false;
  }

  private static List<Pod> pods(StreamingJob job, Context<StreamingJob> context, String source) {
    return List.copyOf(
        context
            .eventSourceRetriever()
            .getEventSourceFor(Pod.class, source)
            .getSecondaryResources(job));
  }

  private static Set<ResourceID> byJobLabel(Pod pod) {
    String job = JobDecider.jobOf(pod);
    return job == null ? Set.of() : Set.of(new ResourceID(job, pod.getMetadata().getNamespace()));
  }

  /**
   * The Secrets a job names, each with whether the operator reads its values: the client config
   * Secret (values: the operator's own Kafka client uses them) and the checkpoint credentials
   * Secret (key names only: the validator checks them, the pods read the values).
   */
  private static Map<String, Boolean> secretUses(StreamingJob job) {
    Map<String, Boolean> uses = new java.util.HashMap<>();
    checkpointSecretName(job).ifPresent(n -> uses.put(n, false));
    secretName(job).ifPresent(n -> uses.put(n, true));
    return uses;
  }

  private static Optional<String> checkpointSecretName(StreamingJob job) {
    return Optional.ofNullable(job.getSpec())
        .map(s -> s.getCheckpoint())
        .map(c -> c.getCredentialsSecretRef())
        .map(r -> r.getName());
  }

  private static Optional<String> secretName(StreamingJob job) {
    return Optional.ofNullable(job.getSpec())
        .map(s -> s.getKafka())
        .map(k -> k.getClientConfigSecretRef())
        .map(r -> r.getName());
  }

  private static boolean sameStatus(StreamingJobStatus previous, StreamingJobStatus next) {
    return previous != null && Serialization.asJson(previous).equals(Serialization.asJson(next));
  }
}
