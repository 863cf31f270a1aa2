package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.decide.DriverState;
import dev.spate.operator.decide.ExecutorSizing;
import dev.spate.operator.decide.Reason;
import dev.spate.operator.decide.StatusDecision;
import dev.spate.operator.kafka.KafkaEventSource;
import dev.spate.operator.kafka.KafkaInspector;
import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.kafka.KafkaTarget;
import dev.spate.operator.resources.ControlConfigMap;
import dev.spate.operator.resources.DriverPod;
import dev.spate.operator.resources.DriverService;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.resources.NotSuspended;
import dev.spate.operator.resources.PlanContext;
import dev.spate.operator.resources.SparkConfConfigMap;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.validate.SpecValidator;
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
 * Kafka snapshot) → validate ({@link SpecValidator}) → decide (desired executors, phase and
 * conditions) → apply (the owned objects, JOSDK dependents invoked only for a valid spec) → record
 * (status in one place, {@link StatusRecorder}; Events on transitions).
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

  private static final Logger LOG = LoggerFactory.getLogger(StreamingJobReconciler.class);

  private final OperatorConfig config;
  private final SpecValidator validator;
  private final KafkaEventSource kafkaEvents = new KafkaEventSource();
  private final KafkaInspector<ResourceID> inspector;
  private final String instance;
  private final Clock clock;

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
    kafkaEvents.attach(inspector);
  }

  /** @return the Kafka inspector (closed by {@link #close()}) */
  public KafkaInspector<ResourceID> inspector() {
    return inspector;
  }

  /** Closes every AdminClient. */
  public void close() {
    inspector.close();
  }

  @Override
  public List<EventSource<?, StreamingJob>> prepareEventSources(EventSourceContext<StreamingJob> context) {
    InformerEventSourceConfiguration<Pod> executors =
        InformerEventSourceConfiguration.from(Pod.class, StreamingJob.class)
            .withName(EXECUTORS)
            .withLabelSelector(Labels.EXECUTOR_SELECTOR)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                pod.getMetadata().getLabels().get(Labels.JOB), pod.getMetadata().getNamespace())))
            .build();
    return List.of(new InformerEventSource<>(executors, context), kafkaEvents);
  }

  @Override
  public UpdateControl<StreamingJob> reconcile(StreamingJob job, Context<StreamingJob> context) {
    ResourceID id = ResourceID.fromResource(job);
    StreamingJobStatus previous = job.getStatus();
    Optional<Condition> previousReady =
        previous == null ? Optional.empty() : previous.condition(ConditionType.READY);
    Optional<Condition> previousDegraded =
        previous == null ? Optional.empty() : previous.condition(ConditionType.DEGRADED);

    // observe + validate
    Optional<Pod> driverBefore = driverPod(context);
    Optional<String> invalid = validator.firstProblem(job, secretKeys(context));

    // decide + apply
    KafkaSnapshot kafka = null;
    JobPlan plan = null;
    int desired = previousDesired(job);
    if (invalid.isEmpty()) {
      JobPlan draft = JobPlan.of(job, config, 0);
      inspector.watch(id, new KafkaTarget(
          new KafkaTarget.Cluster(draft.kafka().getBootstrapServers(), clientConfig(context, draft)),
          List.copyOf(draft.kafka().getInputTopics()), draft.consumerGroup(), draft.startingOffsets()));
      kafka = inspector.snapshot(id).orElse(null);
      Integer partitions = kafka != null && kafka.ok() ? kafka.partitions()
          : previous != null && previous.getKafka() != null ? previous.getKafka().getPartitions() : null;
      if (partitions != null) {
        desired = ExecutorSizing.desiredExecutors(partitions, draft.executorCores(),
            draft.minExecutors(), draft.maxExecutors());
      } else if (desired < draft.minExecutors() || desired > draft.maxExecutors()) {
        desired = draft.minExecutors();
      }
      plan = JobPlan.of(job, config, desired);
      PlanContext.put(context, plan);
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    } else {
      kafka = inspector.snapshot(id).orElse(null);
    }

    // observe what is there now, record
    Optional<Pod> driver = driverPod(context);
    List<Pod> executors = executorPods(job, context);
    int ready = (int) executors.stream().filter(StreamingJobReconciler::isReady).count();
    StatusDecision.Decision decision = StatusDecision.decide(
        new StatusDecision.Observation(
            invalid.orElse(null),
            Boolean.TRUE.equals(job.getSpec() == null ? null : job.getSpec().getSuspend()),
            driver.map(StreamingJobReconciler::driverState).orElse(DriverState.ABSENT),
            driver.map(StreamingJobReconciler::driverMessage).orElse(null),
            ready,
            desired,
            kafka),
        previous == null ? null : previous.getConditions(),
        clock.instant());
    StreamingJobStatus next = StatusRecorder.next(job, new StatusRecorder.Inputs(
        decision, plan == null ? null : plan.appId(), driver.orElse(null), ready, desired, kafka));

    JobEvents events = new JobEvents(context.getClient(), instance);
    if (driverBefore.isEmpty() && driver.isPresent() && plan != null) {
      events.record(job, JobEvents.Type.Normal, Reason.DRIVER_CREATED,
          "Created driver pod " + driver.get().getMetadata().getName() + " (Spark application "
              + plan.appId() + ", " + desired + " executors desired)");
      if (plan.checkpointVolume() == null && plan.checkpointLocation().startsWith("file:")) {
        events.record(job, JobEvents.Type.Warning, Reason.NODE_LOCAL_CHECKPOINT,
            "checkpoint.location " + plan.checkpointLocation() + " is on each pod's own filesystem:"
                + " executors cannot share state and a restarted driver loses the checkpoint; use"
                + " an object store (s3a://, gs://, abfs://) or checkpoint.volume (ReadWriteMany)");
      }
    }
    recordTransition(events, job, previousReady, next.condition(ConditionType.READY), Reason.INVALID_SPEC);
    for (Reason r : List.of(Reason.KAFKA_UNAVAILABLE, Reason.TOPIC_NOT_FOUND, Reason.DRIVER_FAILED)) {
      recordTransition(events, job, previousDegraded, next.condition(ConditionType.DEGRADED), r);
    }

    UpdateControl<StreamingJob> control;
    if (sameStatus(previous, next)) {
      control = UpdateControl.noUpdate();
    } else {
      StreamingJob patch = new StreamingJob();
      patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
          .withName(job.getMetadata().getName())
          .withNamespace(job.getMetadata().getNamespace())
          .withResourceVersion(job.getMetadata().getResourceVersion())
          .build());
      patch.setStatus(next);
      control = UpdateControl.patchStatus(patch);
    }
    return control.rescheduleAfter(config.reconcileInterval().toMillis());
  }

  @Override
  public DeleteControl cleanup(StreamingJob job, Context<StreamingJob> context) {
    inspector.unwatch(ResourceID.fromResource(job));
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    LOG.info("StreamingJob {}/{} deleted: owned objects removed", job.getMetadata().getNamespace(),
        job.getMetadata().getName());
    return DeleteControl.defaultDelete();
  }

  private static void recordTransition(
      JobEvents events, StreamingJob job, Optional<Condition> before, Optional<Condition> after,
      Reason reason) {
    if (after.isEmpty() || !reason.value().equals(after.get().getReason())) {
      return;
    }
    boolean same = before.isPresent() && reason.value().equals(before.get().getReason())
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
    if (job.getStatus() != null && job.getStatus().getExecutors() != null
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
    return List.copyOf(context.eventSourceRetriever()
        .getEventSourceFor(Pod.class, EXECUTORS).getSecondaryResources(job));
  }

  private static SpecValidator.World secretKeys(Context<StreamingJob> context) {
    return (namespace, name) -> Optional.ofNullable(
            context.getClient().secrets().inNamespace(namespace).withName(name).get())
        .map(secret -> {
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

  /** The Kafka client properties of a job's client config Secret (empty without one). */
  private static Map<String, String> clientConfig(Context<StreamingJob> context, JobPlan plan) {
    if (plan.clientConfigSecret().isEmpty()) {
      return Map.of();
    }
    Secret secret = context.getClient().secrets().inNamespace(plan.namespace())
        .withName(plan.clientConfigSecret().get().getName()).get();
    if (secret == null) {
      return Map.of();
    }
    String text = secret.getStringData() != null && secret.getStringData().containsKey(plan.clientConfigKey())
        ? secret.getStringData().get(plan.clientConfigKey())
        : secret.getData() != null && secret.getData().containsKey(plan.clientConfigKey())
            ? new String(Base64.getDecoder().decode(secret.getData().get(plan.clientConfigKey())),
                StandardCharsets.UTF_8)
            : "";
    return KafkaInspector.parseClientProperties(text);
  }

  static boolean isReady(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return "Running".equals(pod.getStatus().getPhase()) && conditions != null
        && conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
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
        if (DriverPod.CONTAINER.equals(cs.getName()) && cs.getState() != null
            && cs.getState().getTerminated() != null) {
          var t = cs.getState().getTerminated();
          String msg = t.getMessage() != null && !t.getMessage().isBlank() ? t.getMessage().trim()
              : t.getReason();
          return "Driver exited with code " + t.getExitCode() + (msg == null ? "" : ": " + msg);
        }
      }
    }
    return pod.getStatus().getMessage() != null ? pod.getStatus().getMessage() : pod.getStatus().getReason();
  }
}
