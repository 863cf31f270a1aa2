package dev.spate.sandbox.demo;

/**
 * The points on the way from applying a StreamingJob to its first output record, in their usual
 * order, each with the milestone its step is measured from and what that step is spent on. Steps of
 * different branches overlap: the executors start while the driver goes on.
 */
public enum FirstOutputMilestone {
  /** The client created the StreamingJob (the demo's {@code kubectl apply}). */
  APPLIED("StreamingJob created", null, ""),
  /** The operator's driver pod reached the API server (pod watch). */
  DRIVER_POD_CREATED(
      "driver pod created", APPLIED, "operator: reconcile, first Kafka poll, owned objects, pod"),
  /** The kubelet started the driver's process and wrote phase Running (pod watch). */
  DRIVER_POD_RUNNING("driver pod Running", DRIVER_POD_CREATED, "kubelet: start the process"),
  /** The driver's SparkContext starts: Spark's log line {@code Running Spark version}. */
  SPARK_CONTEXT_STARTING(
      "SparkContext starting", DRIVER_POD_RUNNING, "spark-submit and driver JVM start"),
  /** Spark's Kubernetes scheduler backend asks for executors ({@code Going to request}). */
  EXECUTORS_REQUESTED(
      "executors requested", SPARK_CONTEXT_STARTING, "SparkContext: RPC, block manager, plugins"),
  /** As many executor pods as requested are in the API server (pod watch). */
  EXECUTOR_PODS_CREATED(
      "executor pods created", EXECUTORS_REQUESTED, "Spark's executor pod allocator"),
  /** The kubelet runs all of them (pod watch). */
  EXECUTOR_PODS_RUNNING(
      "executor pods Running", EXECUTOR_PODS_CREATED, "kubelet: start the processes"),
  /** The driver logged {@code Registered executor} for each requested executor. */
  EXECUTORS_REGISTERED(
      "executors registered", EXECUTOR_PODS_RUNNING, "executor JVM start, registration"),
  /**
   * The SparkContext stops waiting for executors ({@code SchedulerBackend is ready for
   * scheduling}): {@code spark.scheduler.minRegisteredResourcesRatio} of them registered or {@code
   * spark.scheduler.maxRegisteredResourcesWaitingTime} passed.
   */
  SCHEDULER_READY(
      "SparkContext ready",
      EXECUTORS_REQUESTED,
      "SparkContext waits for minRegisteredResourcesRatio of the executors"),
  /** The query's stream thread runs ({@code Starting new streaming query}). */
  QUERY_STARTED(
      "streaming query started", SCHEDULER_READY, "SparkSession, query build and analysis"),
  /** Micro-batch 0's offsets are in the offset log ({@code Committed offsets for batch 0}). */
  BATCH0_PLANNED(
      "micro-batch 0 offsets written", QUERY_STARTED, "initial Kafka offsets, offset log"),
  /** The first task of micro-batch 0 runs on an executor ({@code Starting task}). */
  FIRST_TASK(
      "first task started", BATCH0_PLANNED, "micro-batch 0 planning, codegen, a free executor"),
  /** The first output record reached a consumer of the output topic. */
  FIRST_OUTPUT(
      "first output record read",
      FIRST_TASK,
      "micro-batch 0 tasks: Kafka read, map side, shuffle, state store, Kafka write"),
  /** Micro-batch 0 is committed (the job's progress line {@code micro-batch 0:}). */
  BATCH0_COMMITTED("micro-batch 0 committed", FIRST_OUTPUT, "rest of micro-batch 0, commit log");

  private final String label;
  private final FirstOutputMilestone after;
  private final String step;

  FirstOutputMilestone(String label, FirstOutputMilestone after, String step) {
    this.label = label;
    this.after = after;
    this.step = step;
  }

  /**
   * @return what happened at this point
   */
  public String label() {
    return label;
  }

  /**
   * @return the milestone this one's step is measured from ({@code null} for {@link #APPLIED})
   */
  public FirstOutputMilestone after() {
    return after;
  }

  /**
   * @return what the step from {@link #after()} to this milestone is spent on
   */
  public String step() {
    return step;
  }
}
