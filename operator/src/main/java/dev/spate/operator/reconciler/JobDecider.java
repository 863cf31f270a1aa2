package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.KafkaStatus;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import dev.spate.api.v1alpha1.StreamingJobStatus;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.decide.DriverState;
import dev.spate.operator.decide.LagStatusRefresh;
import dev.spate.operator.decide.Reason;
import dev.spate.operator.decide.StatusDecision;
import dev.spate.operator.kafka.KafkaSnapshot;
import dev.spate.operator.kafka.KafkaTarget;
import dev.spate.operator.recovery.LastAppliedSpec;
import dev.spate.operator.recovery.RestartBackoff;
import dev.spate.operator.recovery.SpecChange;
import dev.spate.operator.recovery.SpecChanges;
import dev.spate.operator.resources.DriverPod;
import dev.spate.operator.resources.Labels;
import dev.spate.operator.sizing.RescaleConfirmation;
import dev.spate.operator.sizing.ScalingPolicy;
import dev.spate.operator.sizing.SizingSpec;
import dev.spate.operator.sizing.StateParallelism;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import dev.spate.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one decision of a reconcile: a pure function from an {@link Observation}, the previous status
 * and the time to a {@link JobDecision} (the owned objects to apply, the driver pod to create, the
 * pods to delete, the next status, the Events). It validates the spec ({@link SpecValidator}),
 * sizes executors ({@link ExecutorSizer}), runs the driver's lifecycle ({@link DriverLifecycle}:
 * restarts, suspend, spec changes), pins the state parallelism ({@link StateParallelism}) and
 * decides phase and conditions ({@link StatusDecision} plus the later rules). It reads nothing but
 * its arguments and writes nothing.
 */
final class JobDecider {

  /** How soon to look again while the first Kafka poll of a new job runs. */
  static final Duration AWAIT_KAFKA = Duration.ofMillis(500);

  private final OperatorConfig config;
  private final SpecValidator validator;
  private final ExecutorSizer sizer;

  /**
   * @param config the operator configuration (timeouts, windows, default image)
   * @param validator the spec validator
   */
  JobDecider(OperatorConfig config, SpecValidator validator) {
    this.config = config;
    this.validator = validator;
    this.sizer =
        new ExecutorSizer(
            new ScalingPolicy(config.scaleDownWindow()),
            new RescaleConfirmation(config.rescaleTimeout()));
  }

  /**
   * What Kafka must be read for a job: its input topics, consumer group and output topics, on the
   * cluster of the spec it runs (the last applied one while an edit is incompatible).
   *
   * @param job the job (its status holds the last applied spec)
   * @param clientSecret the client config Secret, if the spec names one and it exists
   * @return the target, empty when the spec lacks what a target needs
   */
  Optional<KafkaTarget> kafkaTarget(StreamingJob job, Optional<Secret> clientSecret) {
    try {
      StreamingJob effective = effectiveJob(job, applied(job.getStatus()));
      JobPlan draft = JobPlan.of(effective, config, 0);
      List<String> outputs =
          Stream.of(draft.kafka().getOutputTopic(), draft.kafka().getDeadLetterTopic())
              .filter(t -> t != null && !t.isBlank())
              .toList();
      return Optional.of(
          new KafkaTarget(
              new KafkaTarget.Cluster(
                  draft.kafka().getBootstrapServers(), clientConfig(draft, clientSecret)),
              List.copyOf(draft.kafka().getInputTopics()),
              draft.consumerGroup(),
              draft.startingOffsets(),
              outputs));
    } catch (RuntimeException e) {
      return Optional.empty(); // an invalid spec: the decision reports it
    }
  }

  /**
   * Decides.
   *
   * @param o what the reconcile observed
   * @param previous the status before this reconcile (null for a new job)
   * @param now the time of the decision
   * @return the decision
   */
  JobDecision decide(Observation o, StreamingJobStatus previous, Instant now) {
    return throttleLag(decideAll(o, previous, now), o, previous, now);
  }

  /**
   * The decision with the lag figures of its status held back until {@link LagStatusRefresh} says
   * they are due: the previous figures stay, and the job is reconciled again when they are due.
   */
  private JobDecision throttleLag(
      JobDecision d, Observation o, StreamingJobStatus previous, Instant now) {
    StreamingJobStatus next = d.status();
    if (next == null || next.getKafka() == null) {
      return d;
    }
    LagStatusRefresh.Figures shown =
        previous == null ? null : LagStatusRefresh.Figures.of(previous.getKafka());
    LagStatusRefresh.Figures live = LagStatusRefresh.Figures.of(next.getKafka());
    Duration interval = config.lagStatusInterval();
    if (live.equals(shown)) {
      // nothing held now, but the write that showed these figures asked to look again when its
      // interval is over; JOSDK keeps only the last reconcile's reschedule, so keep asking
      Instant lookAgain =
          o.lagShownAt() == null ? null : LagStatusRefresh.refreshAt(o.lagShownAt(), interval);
      return lookAgain == null || !now.isBefore(lookAgain)
          ? d
          : withRecheck(d, shorter(d.recheck(), Duration.between(now, lookAgain)));
    }
    if (shown == null || LagStatusRefresh.due(shown, o.lagShownAt(), live, now, interval)) {
      // the figures are written now: a lag that moves within the next interval is not due when
      // its Kafka poll arrives, and a job that then goes quiet polls no further change; look
      // again when the interval is over so the status catches up with the last poll
      return interval.isZero() ? d : withRecheck(d, shorter(d.recheck(), interval));
    }
    KafkaStatus held = new KafkaStatus();
    held.setPartitions(next.getKafka().getPartitions());
    shown.applyTo(held);
    next.setKafka(held);
    Duration untilDue = Duration.between(now, LagStatusRefresh.refreshAt(o.lagShownAt(), interval));
    return withRecheck(d, shorter(d.recheck(), untilDue.isNegative() ? Duration.ZERO : untilDue));
  }

  private static JobDecision withRecheck(JobDecision d, Duration recheck) {
    return new JobDecision(
        d.plan(),
        d.createDriver(),
        d.deletePods(),
        d.status(),
        d.events(),
        d.createdEvents(),
        recheck,
        d.memory());
  }

  private JobDecision decideAll(Observation o, StreamingJobStatus previous, Instant now) {
    StreamingJob job = o.job();
    List<DriverLifecycle.JobEvent> events = new ArrayList<>();
    List<DriverLifecycle.JobEvent> createdEvents = new ArrayList<>();
    List<Condition> prevConditions = previous == null ? null : previous.getConditions();
    Optional<String> invalid =
        validator.firstProblem(
            job,
            world(
                Stream.of(o.clientSecret(), o.checkpointSecret())
                    .flatMap(Optional::stream)
                    .toList(),
                o.jobs()));

    // which driver pod is the current attempt's, which pods are left of earlier attempts
    int recorded = previous != null && previous.getAttempt() != null ? previous.getAttempt() : 0;
    List<Pod> drivers =
        o.drivers().stream().sorted(Comparator.comparingInt(p -> PodFacts.attempt(p, 1))).toList();
    Pod driver =
        drivers.isEmpty() || PodFacts.attempt(drivers.get(drivers.size() - 1), 1) < recorded
            ? null
            : drivers.get(drivers.size() - 1);
    List<Pod> oldDrivers = drivers.stream().filter(p -> p != driver).toList();
    int ready = o.readyExecutors();
    KafkaSnapshot kafka = o.kafka();

    if (invalid.isPresent()) {
      int desired = previousDesired(job);
      StatusDecision.Decision d =
          StatusDecision.decide(
              statusObservation(invalid.get(), job, driver, ready, desired, kafka),
              prevConditions,
              now);
      StreamingJobStatus next =
          StatusRecorder.next(
              job, new StatusRecorder.Inputs(d, null, driver, ready, desired, kafka));
      transitions(events, previous, next);
      return new JobDecision(
          null, null, List.of(), next, events, List.of(), config.reconcileInterval(), o.memory());
    }

    StreamingJobSpec applied = applied(previous);
    StreamingJob effective = effectiveJob(job, applied);
    boolean pinned = previous != null && previous.getStateParallelism() != null;
    boolean sized =
        kafka != null && kafka.ok() && kafka.partitions() != null && kafka.partitions() > 0;
    if (!pinned && !sized) {
      return awaitKafka(o, previous, driver, ready, now);
    }

    // executor count: policy on a Kafka snapshot, confirmation of a live resize by the driver
    SizingSpec sizing = SizingSpec.of(effective.getSpec().getExecutor());
    ExecutorSizer.Resize resize =
        sizer.resize(
            o.memory(),
            appliedDesired(previous),
            kafka,
            sizing,
            driver != null && PodFacts.isReady(driver),
            ready,
            o.control(),
            now);
    int desired = resize.desired();
    Duration recheck = config.reconcileInterval();
    if (resize.reviewAt().isPresent()) {
      recheck = shorter(recheck, Duration.between(now, resize.reviewAt().get()));
    }
    ExecutorSizer.Memory memory = ExecutorSizer.progress(resize.memory(), kafka, now);

    // the driver: restart, suspend, resume, spec changes
    DriverLifecycle.Step step =
        DriverLifecycle.decide(
            new DriverLifecycle.Facts(
                job.getSpec(),
                applied,
                driver,
                previous != null && previous.getDriver() != null,
                oldDrivers.size() + o.executors().size(),
                previous,
                RestartBackoff.Policy.of(effective.getSpec().getRestartPolicy()),
                config.driverPendingTimeout(),
                config.progressStallTimeout(),
                memory.progress(),
                kafka != null && kafka.ok() ? kafka.lag() : null,
                resize.timedOut(),
                now));
    if (step.recheckAfter() != null) {
      recheck = shorter(recheck, step.recheckAfter());
    }

    // state parallelism: chosen once from a good Kafka read, passed on every start
    Integer partitions = partitions(kafka, previous);
    boolean choose = step.freshCheckpoint() || !pinned;
    Integer stateParallelism =
        choose && !sized
            ? previous == null ? null : previous.getStateParallelism()
            : StateParallelism.pinned(
                choose ? null : previous.getStateParallelism(),
                partitions == null ? 0 : partitions,
                sizing);
    Optional<StateParallelism.Warning> stateWarning =
        partitions != null && stateParallelism != null
            ? StateParallelism.check(partitions, stateParallelism)
            : Optional.empty();

    int start =
        step.creating() || driver == null ? desired : Math.max(PodFacts.startExecutors(driver), 0);
    JobPlan plan =
        JobPlan.of(effective, config, desired)
            .forAttempt(start, stateParallelism, step.attempt(), step.driverWanted());

    // a new attempt starts only on evidence that it can run: Kafka read, output topics there
    Optional<Hold> hold = step.creating() ? hold(kafka, choose && !sized, plan) : Optional.empty();

    List<Pod> delete = new ArrayList<>();
    oldDrivers.stream().filter(p -> !PodFacts.terminating(p)).forEach(delete::add);
    if (!step.driverWanted() && driver != null && !PodFacts.terminating(driver)) {
      delete.add(driver);
    }
    if (step.deleteExecutors() && driver == null) {
      o.executors().stream().filter(p -> !PodFacts.terminating(p)).forEach(delete::add);
    }
    Optional<Pod> stuck =
        step.driverWanted() && driver != null
            ? Optional.empty()
            : stuckPod(Stream.concat(drivers.stream(), o.executors().stream()), now);

    Pod create = null;
    if (step.creating() && hold.isEmpty()) {
      create = DriverPod.build(plan, job);
      memory = memory.started(now);
      events.addAll(step.events());
      created(createdEvents, plan);
    } else if (hold.isEmpty()) {
      events.addAll(step.events());
    }
    resize
        .rescaled()
        .ifPresent(
            m ->
                events.add(
                    new DriverLifecycle.JobEvent(JobEvents.Type.Normal, Reason.RESCALED, m)));

    StatusDecision.Decision d =
        StatusDecision.decide(
            statusObservation(null, effective, driver, ready, desired, kafka), prevConditions, now);
    d = laterRules(d, step, stateWarning, previous, now);
    if (hold.isPresent()) {
      d = held(d, hold.get(), previous, now);
    } else if (stuck.isPresent()) {
      d = stuck(d, stuck.get(), now, previous);
    }
    String appliedJson =
        hold.isEmpty() && step.recordApplied() ? LastAppliedSpec.serialize(job.getSpec()) : null;
    StreamingJobStatus next =
        StatusRecorder.next(
            job,
            new StatusRecorder.Inputs(
                d,
                plan.appId(),
                step.creating() ? null : driver,
                ready,
                desired,
                kafka,
                hold.isPresent() ? null : step.attempt(),
                hold.isPresent() ? null : step.restarts(),
                stateParallelism,
                appliedJson));
    transitions(events, previous, next);
    return new JobDecision(plan, create, delete, next, events, createdEvents, recheck, memory);
  }

  /** Why a new attempt waits, as a condition reason and message. */
  private record Hold(Reason reason, String message) {}

  /**
   * A new attempt needs a good Kafka read (to choose the state parallelism when it must be chosen,
   * and to see the output topics) and every output and dead-letter topic to exist: Spark's Kafka
   * sink does not create topics, and a driver started without them fails at its first micro-batch.
   */
  private static Optional<Hold> hold(KafkaSnapshot kafka, boolean mustSize, JobPlan plan) {
    if (kafka == null) {
      return Optional.of(
          new Hold(Reason.DRIVER_STARTING, "Waiting for the first Kafka poll before starting."));
    }
    if (!kafka.ok()) {
      return Optional.of(
          new Hold(
              kafka.problem().reason(),
              kafka.problem().message() + " No new driver starts until Kafka can be read."));
    }
    if (mustSize) {
      return Optional.of(
          new Hold(
              Reason.DRIVER_STARTING,
              "Waiting for a Kafka poll that reads the input partitions before starting."));
    }
    if (!kafka.missingOutputTopics().isEmpty()) {
      return Optional.of(
          new Hold(
              Reason.OUTPUT_TOPIC_NOT_FOUND,
              "Output topic(s) "
                  + String.join(", ", kafka.missingOutputTopics())
                  + " not found on "
                  + plan.kafka().getBootstrapServers()
                  + "; create them (Spark's Kafka sink does not): no driver starts until they"
                  + " exist."));
    }
    return Optional.empty();
  }

  /**
   * A held start keeps the previous phase and Progressing condition (a restart underway stays
   * underway) and says why in Ready and Degraded.
   */
  private static StatusDecision.Decision held(
      StatusDecision.Decision d, Hold hold, StreamingJobStatus previous, Instant now) {
    List<Condition> prev = previous == null ? null : previous.getConditions();
    Phase phase =
        previous == null || previous.getPhase() == null ? Phase.PENDING : previous.getPhase();
    StatusDecision.Decision out =
        StatusDecision.override(
            d, phase, ConditionType.READY, false, hold.reason(), hold.message(), prev, now);
    out =
        StatusDecision.override(
            out,
            null,
            ConditionType.DEGRADED,
            hold.reason() != Reason.DRIVER_STARTING,
            hold.reason() == Reason.DRIVER_STARTING ? Reason.AS_EXPECTED : hold.reason(),
            hold.reason() == Reason.DRIVER_STARTING ? "No problem observed." : hold.message(),
            prev,
            now);
    Optional<Condition> progressing =
        previous == null ? Optional.empty() : previous.condition(ConditionType.PROGRESSING);
    if (progressing.isPresent() && progressing.get().getReason() != null) {
      List<Condition> conditions =
          out.conditions().stream()
              .map(c -> c.is(ConditionType.PROGRESSING) ? progressing.get() : c)
              .toList();
      out = new StatusDecision.Decision(out.phase(), conditions);
    } else {
      out =
          StatusDecision.override(
              out,
              null,
              ConditionType.PROGRESSING,
              true,
              Reason.DRIVER_STARTING,
              hold.message(),
              prev,
              now);
    }
    return out;
  }

  /**
   * The first Kafka poll of a new job: executors and the state parallelism are sized from a read
   * that saw the input partitions, never from a failed or empty one. Nothing is applied meanwhile.
   */
  private JobDecision awaitKafka(
      Observation o, StreamingJobStatus previous, Pod driver, int ready, Instant now) {
    StreamingJob job = o.job();
    KafkaSnapshot kafka = o.kafka();
    List<Condition> prev = previous == null ? null : previous.getConditions();
    int desired = previousDesired(job);
    StatusDecision.Decision d =
        StatusDecision.decide(
            statusObservation(null, job, driver, ready, desired, kafka), prev, now);
    d =
        StatusDecision.override(
            d,
            null,
            ConditionType.PROGRESSING,
            true,
            Reason.DRIVER_STARTING,
            kafka == null
                ? "Waiting for the first Kafka poll to size executors and the state parallelism."
                : "Waiting for a Kafka poll that reads the input partitions to size executors and"
                    + " the state parallelism.",
            prev,
            now);
    StreamingJobStatus next =
        StatusRecorder.next(job, new StatusRecorder.Inputs(d, null, driver, ready, desired, kafka));
    List<DriverLifecycle.JobEvent> events = new ArrayList<>();
    transitions(events, previous, next);
    return new JobDecision(
        null,
        null,
        List.of(),
        next,
        events,
        List.of(),
        kafka == null ? AWAIT_KAFKA : config.reconcileInterval(),
        o.memory());
  }

  /**
   * A pod the job waits for that was asked to go {@code oldPodTimeout} ago and is still there:
   * typically its node is lost and the kubelet cannot confirm the end, so no new attempt may start.
   */
  private Optional<Pod> stuckPod(Stream<Pod> pods, Instant now) {
    return pods.filter(PodFacts::terminating)
        .filter(
            p -> {
              try {
                return !Instant.parse(p.getMetadata().getDeletionTimestamp())
                    .plus(config.oldPodTimeout())
                    .isAfter(now);
              } catch (RuntimeException e) {
                return false;
              }
            })
        .findFirst();
  }

  private static StatusDecision.Decision stuck(
      StatusDecision.Decision d, Pod pod, Instant now, StreamingJobStatus previous) {
    String node =
        pod.getSpec() == null || pod.getSpec().getNodeName() == null
            ? "an unknown node"
            : "node " + pod.getSpec().getNodeName();
    String message =
        "Pod "
            + pod.getMetadata().getName()
            + " of an earlier attempt on "
            + node
            + " has been terminating since "
            + pod.getMetadata().getDeletionTimestamp()
            + "; no new driver starts while it may still run. If the node is gone for good, delete"
            + " the Node object or force-delete the pod (kubectl delete pod "
            + pod.getMetadata().getName()
            + " --grace-period=0 --force) once you are sure its process has stopped.";
    return StatusDecision.override(
        d,
        null,
        ConditionType.DEGRADED,
        true,
        Reason.OLD_POD_STUCK,
        message,
        previous == null ? null : previous.getConditions(),
        now);
  }

  /** Events of a created driver: the creation, and a node-local checkpoint warning. */
  private static void created(List<DriverLifecycle.JobEvent> events, JobPlan plan) {
    events.add(
        new DriverLifecycle.JobEvent(
            JobEvents.Type.Normal,
            Reason.DRIVER_CREATED,
            "Created driver pod "
                + plan.driverPod()
                + " (attempt "
                + plan.attempt()
                + ", Spark application "
                + plan.appId()
                + ", "
                + plan.startExecutors()
                + " executors, state parallelism "
                + plan.stateParallelism()
                + ")"));
    if (plan.checkpointVolume() == null && plan.checkpointLocation().startsWith("file:")) {
      events.add(
          new DriverLifecycle.JobEvent(
              JobEvents.Type.Warning,
              Reason.NODE_LOCAL_CHECKPOINT,
              "checkpoint.location "
                  + plan.checkpointLocation()
                  + " is on each pod's own filesystem: executors cannot share state and a"
                  + " restarted driver loses the checkpoint; use an object store (s3a://, gs://,"
                  + " abfs://) or checkpoint.volume (ReadWriteMany)"));
    }
  }

  /**
   * StatusDecision's phase and conditions with the later rules applied: the lifecycle's (restart
   * underway, given up, incompatible edit), a first start shown as {@code Starting} until the job
   * first ran, and the state parallelism warning (Degraded, unless something worse already is).
   */
  private static StatusDecision.Decision laterRules(
      StatusDecision.Decision decision,
      DriverLifecycle.Step step,
      Optional<StateParallelism.Warning> stateWarning,
      StreamingJobStatus previous,
      Instant now) {
    List<Condition> prev = previous == null ? null : previous.getConditions();
    StatusDecision.Decision d = decision;
    if (d.phase() == Phase.RESCALING && !ranBefore(previous)) {
      d = StatusDecision.override(d, Phase.STARTING, null, false, null, null, prev, now);
    }
    if (step.phase() != null) {
      d = StatusDecision.override(d, step.phase(), null, false, null, null, prev, now);
    }
    for (DriverLifecycle.Verdict v : step.verdicts()) {
      d =
          StatusDecision.override(
              d, null, v.type(), v.status(), v.reason(), v.message(), prev, now);
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
              Reason.STATE_PARALLELISM_EXCEEDED,
              stateWarning.get().message(),
              prev,
              now);
    }
    return d;
  }

  /** Whether the running attempt was ever Running or Rescaling (a shortfall later is a resize). */
  private static boolean ranBefore(StreamingJobStatus previous) {
    return previous != null
        && (previous.getPhase() == Phase.RUNNING || previous.getPhase() == Phase.RESCALING);
  }

  /** Warning Events of condition transitions (each once per transition). */
  private static void transitions(
      List<DriverLifecycle.JobEvent> events, StreamingJobStatus previous, StreamingJobStatus next) {
    Optional<Condition> prevReady =
        previous == null ? Optional.empty() : previous.condition(ConditionType.READY);
    Optional<Condition> prevDegraded =
        previous == null ? Optional.empty() : previous.condition(ConditionType.DEGRADED);
    transition(events, prevReady, next.condition(ConditionType.READY), Reason.INVALID_SPEC);
    // a driver's end has its Event from DriverLifecycle (with the attempt and what follows)
    for (Reason r :
        List.of(
            Reason.KAFKA_UNAVAILABLE,
            Reason.TOPIC_NOT_FOUND,
            Reason.OUTPUT_TOPIC_NOT_FOUND,
            Reason.STATE_PARALLELISM_EXCEEDED,
            Reason.OLD_POD_STUCK)) {
      transition(events, prevDegraded, next.condition(ConditionType.DEGRADED), r);
    }
  }

  private static void transition(
      List<DriverLifecycle.JobEvent> events,
      Optional<Condition> before,
      Optional<Condition> after,
      Reason reason) {
    if (after.isEmpty() || !reason.value().equals(after.get().getReason())) {
      return;
    }
    boolean same =
        before.isPresent()
            && reason.value().equals(before.get().getReason())
            && Objects.equals(before.get().getMessage(), after.get().getMessage());
    if (!same) {
      events.add(
          new DriverLifecycle.JobEvent(JobEvents.Type.Warning, reason, after.get().getMessage()));
    }
  }

  private static StreamingJobSpec applied(StreamingJobStatus previous) {
    return previous == null
        ? null
        : LastAppliedSpec.parse(previous.getLastAppliedSpec()).orElse(null);
  }

  /**
   * The job as it should run: the current spec, or the last applied one while the current spec is
   * incompatible with the checkpoint (the running driver is left as it is).
   */
  static StreamingJob effectiveJob(StreamingJob job, StreamingJobSpec applied) {
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

  private static boolean suspended(StreamingJob job) {
    return job.getSpec() != null && Boolean.TRUE.equals(job.getSpec().getSuspend());
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

  private static int previousDesired(StreamingJob job) {
    if (job.getStatus() != null
        && job.getStatus().getExecutors() != null
        && job.getStatus().getExecutors().getDesired() != null) {
      return job.getStatus().getExecutors().getDesired();
    }
    ExecutorSpec executor = job.getSpec() == null ? null : job.getSpec().getExecutor();
    return executor != null && executor.getMinExecutors() != null
        ? executor.getMinExecutors()
        : Defaults.MIN_EXECUTORS;
  }

  /**
   * What the status decision reads: the validation problem (null when valid), suspension, the
   * driver's state, executors and Kafka.
   */
  private static StatusDecision.Observation statusObservation(
      String invalid, StreamingJob job, Pod driver, int ready, int desired, KafkaSnapshot kafka) {
    return new StatusDecision.Observation(
        invalid,
        suspended(job),
        driver == null ? DriverState.ABSENT : PodFacts.driverState(driver),
        driver == null ? null : PodFacts.driverMessage(driver),
        ready,
        desired,
        kafka);
  }

  private static Duration shorter(Duration a, Duration b) {
    return b.compareTo(a) < 0 ? b : a;
  }

  /**
   * The validator's view of the world: the Secrets the spec names (client config, checkpoint
   * credentials; the only Secrets it asks about) and the other jobs (for the checkpoint location).
   */
  private static SpecValidator.World world(List<Secret> secrets, List<StreamingJob> jobs) {
    return new SpecValidator.World() {
      @Override
      public Optional<Set<String>> secretKeys(String namespace, String name) {
        return secrets.stream()
            .filter(
                s ->
                    name.equals(s.getMetadata().getName())
                        && namespace.equals(s.getMetadata().getNamespace()))
            .findFirst()
            .map(
                s -> {
                  Set<String> keys = new HashSet<>();
                  if (s.getData() != null) {
                    keys.addAll(s.getData().keySet());
                  }
                  if (s.getStringData() != null) {
                    keys.addAll(s.getStringData().keySet());
                  }
                  return keys;
                });
      }

      @Override
      public Collection<StreamingJob> jobs() {
        return jobs;
      }
    };
  }

  /**
   * Where the operator keeps local copies of the files of client config Secrets (truststores,
   * keystores) for its own AdminClients ({@link dev.spate.operator.kafka.KafkaClientFiles}).
   */
  private static final java.nio.file.Path CLIENT_FILES =
      java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "spate-kafka-client-files");

  /**
   * The Kafka client properties of a job's client config Secret (empty without one), with each
   * {@code *.location} that names a file of the Secret pointing at a local copy of it.
   */
  private static Map<String, String> clientConfig(JobPlan plan, Optional<Secret> secret) {
    if (plan.clientConfigSecret().isEmpty() || secret.isEmpty()) {
      return Map.of();
    }
    Secret s = secret.get();
    Map<String, byte[]> files = new java.util.HashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> files.put(k, Base64.getDecoder().decode(v)));
    }
    if (s.getStringData() != null) {
      s.getStringData().forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    byte[] properties = files.get(plan.clientConfigKey());
    return dev.spate.operator.kafka.KafkaClientFiles.localise(
        dev.spate.operator.kafka.KafkaInspector.parseClientProperties(
            properties == null ? "" : new String(properties, StandardCharsets.UTF_8)),
        files,
        SparkProperties.KAFKA_CLIENT_DIR,
        CLIENT_FILES);
  }

  /** Label of a driver pod's job, for the drivers' informer. */
  static String jobOf(Pod pod) {
    return pod.getMetadata().getLabels() == null
        ? null
        : pod.getMetadata().getLabels().get(Labels.JOB);
  }
}
