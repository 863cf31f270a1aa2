package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.decide.DriverState;
import dev.spate.operator.decide.Reason;
import dev.spate.operator.decide.StatusDecision;
import dev.spate.operator.kafka.KafkaEventSource;
import dev.spate.operator.kafka.KafkaInspector;
import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.kafka.KafkaTarget;
import dev.spate.operator.recovery.LastAppliedSpec;
import dev.spate.operator.recovery.RestartBackoff;
import dev.spate.operator.recovery.SpecChange;
import dev.spate.operator.recovery.SpecChanges;
import dev.spate.operator.resources.ControlConfigMap;
import dev.spate.operator.resources.DriverPod;
import dev.spate.operator.resources.DriverService;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.resources.NotSuspended;
import dev.spate.operator.resources.PlanContext;
import dev.spate.operator.resources.SparkConfConfigMap;
import dev.spate.operator.sizing.RescaleConfirmation;
import dev.spate.operator.sizing.ScalingDecision;
import dev.spate.operator.sizing.ScalingPolicy;
import dev.spate.operator.sizing.SizingSpec;
import dev.spate.operator.sizing.StateParallelism;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a StreamingJob into a Spark-on-Kubernetes driver: observe (driver pod, executor pods,
 * Kafka snapshot) → validate ({@link SpecValidator}) → decide (executor count and live resize in
 * {@link ExecutorScaler}; restart, suspend and spec changes in {@link DriverLifecycle}; state
 * parallelism; phase and conditions) → apply (the owned objects, JOSDK dependents invoked only for
 * a valid spec; executor pods deleted with their driver) → record (status in one place, {@link
 * StatusRecorder}; Events on transitions).
 */
@ControllerConfiguration(name = StreamingJobReconciler.NAME)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "spark-conf", type = SparkConfConfigMap.class),
      @Dependent(name = "control", type = ControlConfigMap.class),
      @Dependent(name = "driver-service", type = DriverService.class),
      @Dependent(
          name = StreamingJobReconciler.DRIVER,
          type = DriverPod.class,
          dependsOn = {"spark-conf", "driver-service"},
          reconcilePrecondition = NotSuspended.class)
    })
public class StreamingJobReconciler implements Reconciler<StreamingJob>, Cleaner<StreamingJob> {

  /** Controller name. */
  public static final String NAME = "streamingjob";

  /** Name of the driver Pod dependent (and its event source). */
  public static final String DRIVER = "driver";

  /** Name of the executor pods' event source. */
  public static final String EXECUTORS = "executors";

  /** How soon to look again while the first Kafka poll of a new job runs. */
  private static final Duration AWAIT_KAFKA = Duration.ofMillis(500);

  private static final Logger LOG = LoggerFactory.getLogger(StreamingJobReconciler.class);

  private final OperatorConfig config;
  private final SpecValidator validator;
  private final KafkaEventSource kafkaEvents = new KafkaEventSource();
  private final KafkaInspector<ResourceID> inspector;
  private final String instance;
  private final Clock clock;
  private final ExecutorScaler scaler;
  private final Map<ResourceID, Written> written = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param config the operator configuration
   * @param validator the spec validator
   * @param instance this operator instance's name, for Events
   */
  public StreamingJobReconciler(OperatorConfig config, SpecValidator validator, String instance) {
    this.config = config;
    this.validator = validator;
    this.instance = instance;
    this.clock = Clock.systemUTC();
    this.inspector = new KafkaInspector<>(config.kafkaPollInterval(), kafkaEvents::onSnapshot);
    this.scaler =
        new ExecutorScaler(
            new ScalingPolicy(config.scaleDownWindow()),
            new RescaleConfirmation(config.rescaleTimeout()));
    kafkaEvents.attach(inspector);
  }

  /**
   * @return the Kafka inspector (closed by {@link #close()})
   */
  public KafkaInspector<ResourceID> inspector() {
    return inspector;
  }

  /** Closes every AdminClient. */
  public void close() {
    inspector.close();
  }

  @Override
  public List<EventSource<?, StreamingJob>> prepareEventSources(
      EventSourceContext<StreamingJob> context) {
    InformerEventSourceConfiguration<Pod> executors =
        InformerEventSourceConfiguration.from(Pod.class, StreamingJob.class)
            .withName(EXECUTORS)
            .withLabelSelector(Labels.EXECUTOR_SELECTOR)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(
                pod ->
                    Set.of(
                        new ResourceID(
                            pod.getMetadata().getLabels().get(Labels.JOB),
                            pod.getMetadata().getNamespace())))
            .build();
    return List.of(new InformerEventSource<>(executors, context), kafkaEvents);
  }

  @Override
  public UpdateControl<StreamingJob> reconcile(StreamingJob cached, Context<StreamingJob> context) {
    ResourceID id = ResourceID.fromResource(cached);
    StreamingJob job = withLatestStatus(id, cached);
    Instant now = clock.instant();
    StreamingJobStatus previous = job.getStatus();
    Optional<Condition> previousReady =
        previous == null ? Optional.empty() : previous.condition(ConditionType.READY);
    Optional<Condition> previousDegraded =
        previous == null ? Optional.empty() : previous.condition(ConditionType.DEGRADED);
    JobEvents events = new JobEvents(context.getClient(), instance);

    // observe + validate
    Optional<Pod> driverBefore = driverPod(context);
    List<Pod> executorsBefore = executorPods(job, context);
    Optional<String> invalid = validator.firstProblem(job, secretKeys(context));

    // decide + apply
    KafkaSnapshot kafka;
    JobPlan plan = null;
    int desired = previousDesired(job);
    DriverLifecycle.Step step = null;
    Integer stateParallelism = null;
    Optional<StateParallelism.Warning> stateWarning = Optional.empty();
    Duration recheck = config.reconcileInterval();
    StreamingJob effective = job;
    String appliedJson = null;
    boolean awaitingKafka = false;
    if (invalid.isEmpty()) {
      StreamingJobSpec applied =
          previous == null
              ? null
              : LastAppliedSpec.parse(previous.getLastAppliedSpec()).orElse(null);
      effective = effectiveJob(job, applied);
      JobPlan draft = JobPlan.of(effective, config, 0);
      inspector.watch(
          id,
          new KafkaTarget(
              new KafkaTarget.Cluster(
                  draft.kafka().getBootstrapServers(), clientConfig(context, draft)),
              List.copyOf(draft.kafka().getInputTopics()),
              draft.consumerGroup(),
              draft.startingOffsets()));
      kafka = inspector.snapshot(id).orElse(null);
      awaitingKafka = kafka == null && (previous == null || previous.getStateParallelism() == null);
      if (awaitingKafka) {
        // first start: executors and state parallelism are sized from the first Kafka poll (which
        // runs at once and answers, or fails, within its call timeout)
        recheck = AWAIT_KAFKA;
      } else {
        // executor count: policy on a Kafka snapshot, confirmation of a live resize by the driver
        SizingSpec sizing = SizingSpec.of(effective.getSpec().getExecutor());
        ExecutorScaler.Resize resize =
            scaler.resize(
                id,
                appliedDesired(previous),
                kafka,
                sizing,
                driverBefore.filter(StreamingJobReconciler::isReady).isPresent(),
                (int) executorsBefore.stream().filter(StreamingJobReconciler::isReady).count(),
                () -> controlData(context, draft),
                now);
        desired = resize.desired();
        resize
            .rescaled()
            .ifPresent(
                message ->
                    events.record(
                        job, JobEvents.Type.Normal, ScalingDecision.EVENT_REASON, message));
        if (resize.reviewAt().isPresent()) {
          recheck = shorter(recheck, Duration.between(now, resize.reviewAt().get()));
        }

        // the driver: restart, suspend, resume, spec changes
        step =
            DriverLifecycle.decide(
                new DriverLifecycle.Facts(
                    job.getSpec(),
                    applied,
                    driverBefore.orElse(null),
                    executorsBefore.size(),
                    previous,
                    RestartBackoff.Policy.of(effective.getSpec().getRestartPolicy()),
                    config.driverPendingTimeout(),
                    config.progressStallTimeout(),
                    scaler.progress(id, kafka, now),
                    kafka != null && kafka.ok() ? kafka.lag() : null,
                    resize.timedOut(),
                    now));
        if (step.recheckAfter() != null) {
          recheck = shorter(recheck, step.recheckAfter());
        }
        // executors go only once their driver pod is gone: deleting them while the driver stops
        // made its StreamingQuery.stop() hang past the grace period (SIGKILL, exit 137); the
        // executors are owned by the driver pod, so its removal collects them anyway
        if (step.deleteExecutors() && driverBefore.isEmpty()) {
          deleteExecutors(executorsBefore, context);
        }

        // state parallelism: chosen once, passed on every start
        Integer partitions = partitions(kafka, previous);
        stateParallelism =
            StateParallelism.pinned(
                step.freshCheckpoint() || previous == null ? null : previous.getStateParallelism(),
                partitions == null ? 0 : partitions,
                sizing);
        if (partitions != null) {
          stateWarning = StateParallelism.check(partitions, stateParallelism);
        }

        int start =
            step.creating()
                ? desired
                : driverBefore.map(StreamingJobReconciler::startExecutors).orElse(desired);
        plan =
            JobPlan.of(effective, config, desired)
                .forAttempt(start, stateParallelism, step.attempt(), step.driverWanted());
        PlanContext.put(context, plan);
        PlanContext.putDriverCreation(context, step.creating());
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        if (step.creating()) {
          scaler.started(id, now);
        }
        appliedJson = step.recordApplied() ? LastAppliedSpec.serialize(job.getSpec()) : null;
      }
    } else {
      kafka = inspector.snapshot(id).orElse(null);
    }

    // observe what is there now, record
    Optional<Pod> driver = driverPod(context);
    List<Pod> executors = executorPods(job, context);
    int ready = (int) executors.stream().filter(StreamingJobReconciler::isReady).count();
    List<Condition> previousConditions = previous == null ? null : previous.getConditions();
    StatusDecision.Decision decision =
        StatusDecision.decide(
            new StatusDecision.Observation(
                invalid.orElse(null),
                Boolean.TRUE.equals(
                    effective.getSpec() == null ? null : effective.getSpec().getSuspend()),
                driver.map(StreamingJobReconciler::driverState).orElse(DriverState.ABSENT),
                driver.map(StreamingJobReconciler::driverMessage).orElse(null),
                ready,
                desired,
                kafka),
            previousConditions,
            now);
    decision = finalDecision(decision, step, awaitingKafka, stateWarning, previousConditions, now);
    StreamingJobStatus next =
        StatusRecorder.next(
            job,
            new StatusRecorder.Inputs(
                decision,
                plan == null ? null : plan.appId(),
                driver.orElse(null),
                ready,
                desired,
                kafka,
                step == null ? null : step.attempt(),
                step == null ? null : step.restarts(),
                stateParallelism,
                appliedJson));

    recordEvents(
        events,
        job,
        step,
        plan,
        driverBefore.isEmpty() && driver.isPresent(),
        previousReady,
        previousDegraded,
        next);
    if (!sameStatus(previous, next)) {
      writeStatus(id, job, next, context);
    }
    UpdateControl<StreamingJob> control = UpdateControl.noUpdate();
    return control.rescheduleAfter(Math.max(100L, recheck.toMillis()));
  }

  @Override
  public DeleteControl cleanup(StreamingJob job, Context<StreamingJob> context) {
    inspector.unwatch(ResourceID.fromResource(job));
    scaler.forget(ResourceID.fromResource(job));
    written.remove(ResourceID.fromResource(job));
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    deleteExecutors(executorPods(job, context), context);
    LOG.info(
        "StreamingJob {}/{} deleted: owned objects removed",
        job.getMetadata().getNamespace(),
        job.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  /**
   * The job with the status this instance wrote last when the cache still holds the version that
   * status was patched onto: the status is the lifecycle's memory (restart underway, attempt, last
   * applied spec), and a reconcile triggered before the patch reaches the informer must not act on
   * the older status. Any other version is newer than the patch (the API server orders writes).
   */
  private StreamingJob withLatestStatus(ResourceID id, StreamingJob cached) {
    Written w = written.get(id);
    if (w == null || !olderThan(cached.getMetadata().getResourceVersion(), w.version())) {
      written.remove(id);
      return cached;
    }
    StreamingJob copy = new StreamingJob();
    copy.setMetadata(cached.getMetadata());
    copy.setSpec(cached.getSpec());
    copy.setStatus(w.status());
    return copy;
  }

  /** Events of this reconcile: the lifecycle's, a created driver, condition transitions. */
  private static void recordEvents(
      JobEvents events,
      StreamingJob job,
      DriverLifecycle.Step step,
      JobPlan plan,
      boolean created,
      Optional<Condition> previousReady,
      Optional<Condition> previousDegraded,
      StreamingJobStatus next) {
    if (step != null) {
      step.events().forEach(e -> events.record(job, e.type(), e.reason(), e.message()));
    }
    if (created && plan != null) {
      events.record(
          job,
          JobEvents.Type.Normal,
          Reason.DRIVER_CREATED,
          "Created driver pod "
              + plan.names().driverPod()
              + " (attempt "
              + plan.attempt()
              + ", Spark application "
              + plan.appId()
              + ", "
              + plan.startExecutors()
              + " executors, state parallelism "
              + plan.stateParallelism()
              + ")");
      if (plan.checkpointVolume() == null && plan.checkpointLocation().startsWith("file:")) {
        events.record(
            job,
            JobEvents.Type.Warning,
            Reason.NODE_LOCAL_CHECKPOINT,
            "checkpoint.location "
                + plan.checkpointLocation()
                + " is on each pod's own filesystem:"
                + " executors cannot share state and a restarted driver loses the checkpoint; use"
                + " an object store (s3a://, gs://, abfs://) or checkpoint.volume (ReadWriteMany)");
      }
    }
    recordTransition(
        events,
        job,
        previousReady,
        next.condition(ConditionType.READY),
        Reason.INVALID_SPEC.value());
    // a driver's end has its Event from DriverLifecycle (with the attempt and what follows)
    for (String r :
        List.of(
            Reason.KAFKA_UNAVAILABLE.value(),
            Reason.TOPIC_NOT_FOUND.value(),
            StateParallelism.EXCEEDED_REASON)) {
      recordTransition(events, job, previousDegraded, next.condition(ConditionType.DEGRADED), r);
    }
  }

  /**
   * StatusDecision's phase and conditions with the later rules applied: the lifecycle's (restart
   * underway, given up, incompatible edit), the first Kafka poll of a new job, and the state
   * parallelism warning (Degraded, unless something worse already is).
   */
  private static StatusDecision.Decision finalDecision(
      StatusDecision.Decision decision,
      DriverLifecycle.Step step,
      boolean awaitingKafka,
      Optional<StateParallelism.Warning> stateWarning,
      List<Condition> previous,
      Instant now) {
    StatusDecision.Decision d = decision;
    if (step != null) {
      if (step.phase() != null) {
        d = StatusDecision.override(d, step.phase(), null, false, null, null, previous, now);
      }
      for (DriverLifecycle.Verdict v : step.verdicts()) {
        d =
            StatusDecision.override(
                d, null, v.type(), v.status(), v.reason(), v.message(), previous, now);
      }
    }
    if (awaitingKafka) {
      d =
          StatusDecision.override(
              d,
              null,
              ConditionType.PROGRESSING,
              true,
              Reason.DRIVER_STARTING.value(),
              "Waiting for the first Kafka poll to size executors and" + " the state parallelism.",
              previous,
              now);
    }
    boolean degraded =
        d.conditions().stream()
            .anyMatch(c -> c.is(ConditionType.DEGRADED) && Condition.TRUE.equals(c.getStatus()));
    if (stateWarning.isPresent() && !degraded) {
      d =
          StatusDecision.override(
              d,
              null,
              ConditionType.DEGRADED,
              true,
              stateWarning.get().reason(),
              stateWarning.get().message(),
              previous,
              now);
    }
    return d;
  }

  /** A status this instance wrote, and the job's resource version that write produced. */
  private record Written(String version, StreamingJobStatus status) {}

  /**
   * Whether resource version {@code a} is older than {@code b}. Resource versions are etcd
   * revisions (the fabric8 mock counts too); when one is not a number the cache is trusted.
   */
  static boolean olderThan(String a, String b) {
    try {
      return Long.parseLong(a) < Long.parseLong(b);
    } catch (NumberFormatException | NullPointerException e) {
      return false;
    }
  }

  /**
   * Replaces the status subresource (the whole status, so fields that became null are cleared; no
   * resourceVersion: only the leader writes the status, and it writes the latest it knows).
   */
  private void writeStatus(
      ResourceID id, StreamingJob job, StreamingJobStatus next, Context<StreamingJob> context) {
    StreamingJob update = new StreamingJob();
    update.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(job.getMetadata())
            .withResourceVersion(null)
            .withManagedFields()
            .build());
    update.setSpec(job.getSpec());
    update.setStatus(next);
    StreamingJob updated = context.getClient().resource(update).updateStatus();
    written.put(id, new Written(updated.getMetadata().getResourceVersion(), next));
  }

  /**
   * The job as it should run: the current spec, or the last applied one while the current spec is
   * incompatible with the checkpoint (the running driver is left as it is).
   */
  private static StreamingJob effectiveJob(StreamingJob job, StreamingJobSpec applied) {
    if (applied == null
        || SpecChanges.classify(applied, job.getSpec()).outcome()
            != SpecChange.Outcome.INCOMPATIBLE) {
      return job;
    }
    StreamingJob copy = new StreamingJob();
    copy.setMetadata(job.getMetadata());
    copy.setSpec(LastAppliedSpec.copy(applied));
    copy.setStatus(job.getStatus());
    return copy;
  }

  /**
   * Deletes the job's executor pods (found by label through the executor informer) one by one, with
   * their grace period: Kubernetes' GC would remove them with the driver pod, but a new driver must
   * not start before they are gone. One DELETE per pod, so the operator needs no deletecollection.
   */
  private static void deleteExecutors(List<Pod> executors, Context<StreamingJob> context) {
    for (Pod pod : executors) {
      if (pod.getMetadata().getDeletionTimestamp() == null) {
        context
            .getClient()
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .delete();
      }
    }
  }

  private static Map<String, String> controlData(Context<StreamingJob> context, JobPlan plan) {
    ConfigMap control =
        context
            .getClient()
            .configMaps()
            .inNamespace(plan.namespace())
            .withName(plan.names().controlConfigMap())
            .get();
    return control == null ? Map.of() : control.getData();
  }

  private static Integer partitions(KafkaSnapshot kafka, StreamingJobStatus previous) {
    if (kafka != null && kafka.ok()) {
      return kafka.partitions();
    }
    return previous != null && previous.getKafka() != null
        ? previous.getKafka().getPartitions()
        : null;
  }

  /**
   * The count applied so far, or null before the first sizing (state parallelism not chosen yet).
   */
  private static Integer appliedDesired(StreamingJobStatus previous) {
    return previous != null
            && previous.getStateParallelism() != null
            && previous.getExecutors() != null
        ? previous.getExecutors().getDesired()
        : null;
  }

  /** {@code spark.executor.instances} a driver pod started with (its annotation). */
  static int startExecutors(Pod driver) {
    Map<String, String> a = driver.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(Labels.START_EXECUTORS);
    try {
      return v == null ? -1 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Duration shorter(Duration a, Duration b) {
    return b.compareTo(a) < 0 ? b : a;
  }

  private static void recordTransition(
      JobEvents events,
      StreamingJob job,
      Optional<Condition> before,
      Optional<Condition> after,
      String reason) {
    if (after.isEmpty() || !reason.equals(after.get().getReason())) {
      return;
    }
    boolean same =
        before.isPresent()
            && reason.equals(before.get().getReason())
            && Objects.equals(before.get().getMessage(), after.get().getMessage());
    if (!same) {
      events.record(job, JobEvents.Type.Warning, reason, after.get().getMessage());
    }
  }

  private static boolean sameStatus(StreamingJobStatus previous, StreamingJobStatus next) {
    return previous != null
        && io.fabric8.kubernetes.client.utils.Serialization.asJson(previous)
            .equals(io.fabric8.kubernetes.client.utils.Serialization.asJson(next));
  }

  private static int previousDesired(StreamingJob job) {
    if (job.getStatus() != null
        && job.getStatus().getExecutors() != null
        && job.getStatus().getExecutors().getDesired() != null) {
      return job.getStatus().getExecutors().getDesired();
    }
    ExecutorSpec executor = job.getSpec() == null ? null : job.getSpec().getExecutor();
    return executor != null && executor.getMinExecutors() != null
        ? executor.getMinExecutors()
        : dev.spate.api.v1alpha1.Defaults.MIN_EXECUTORS;
  }

  private static Optional<Pod> driverPod(Context<StreamingJob> context) {
    return context.getSecondaryResource(Pod.class, DRIVER);
  }

  private static List<Pod> executorPods(StreamingJob job, Context<StreamingJob> context) {
    return List.copyOf(
        context
            .eventSourceRetriever()
            .getEventSourceFor(Pod.class, EXECUTORS)
            .getSecondaryResources(job));
  }

  private static SpecValidator.World secretKeys(Context<StreamingJob> context) {
    return new SpecValidator.World() {
      @Override
      public Optional<Set<String>> secretKeys(String namespace, String name) {
        return Optional.ofNullable(
                context.getClient().secrets().inNamespace(namespace).withName(name).get())
            .map(
                secret -> {
                  Set<String> keys = new HashSet<>();
                  if (secret.getData() != null) {
                    keys.addAll(secret.getData().keySet());
                  }
                  if (secret.getStringData() != null) {
                    keys.addAll(secret.getStringData().keySet());
                  }
                  return keys;
                });
      }

      @Override
      public java.util.Collection<StreamingJob> jobs() {
        return context.getPrimaryCache().list().toList();
      }
    };
  }

  /** The Kafka client properties of a job's client config Secret (empty without one). */
  private static Map<String, String> clientConfig(Context<StreamingJob> context, JobPlan plan) {
    if (plan.clientConfigSecret().isEmpty()) {
      return Map.of();
    }
    Secret secret =
        context
            .getClient()
            .secrets()
            .inNamespace(plan.namespace())
            .withName(plan.clientConfigSecret().get().getName())
            .get();
    if (secret == null) {
      return Map.of();
    }
    String text =
        secret.getStringData() != null && secret.getStringData().containsKey(plan.clientConfigKey())
            ? secret.getStringData().get(plan.clientConfigKey())
            : secret.getData() != null && secret.getData().containsKey(plan.clientConfigKey())
                ? new String(
                    Base64.getDecoder().decode(secret.getData().get(plan.clientConfigKey())),
                    StandardCharsets.UTF_8)
                : "";
    return KafkaInspector.parseClientProperties(text);
  }

  static boolean isReady(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return "Running".equals(pod.getStatus().getPhase())
        && conditions != null
        && conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static DriverState driverState(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return DriverState.TERMINATING;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase)) {
      return DriverState.SUCCEEDED;
    }
    if ("Failed".equals(phase)) {
      return DriverState.FAILED;
    }
    return isReady(pod) ? DriverState.READY : DriverState.STARTING;
  }

  static String driverMessage(Pod pod) {
    if (pod.getStatus() == null) {
      return null;
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
        if (DriverPod.CONTAINER.equals(cs.getName())
            && cs.getState() != null
            && cs.getState().getTerminated() != null) {
          var t = cs.getState().getTerminated();
          String msg =
              t.getMessage() != null && !t.getMessage().isBlank()
                  ? t.getMessage().trim()
                  : t.getReason();
          return "Driver exited with code " + t.getExitCode() + (msg == null ? "" : ": " + msg);
        }
      }
    }
    return pod.getStatus().getMessage() != null
        ? pod.getStatus().getMessage()
        : pod.getStatus().getReason();
  }
}
