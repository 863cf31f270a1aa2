package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstOutputBreakdownTest {

  /** Lines as a Spark 3.5.3 driver of the bundled job logs them (shortened where long). */
  private static final List<String> DRIVER_LOG =
      List.of(
          "26/11/30 23:52:34 INFO StatefulAggregationJob: starting with JobConfig[...]",
          "26/11/30 23:52:34 INFO SparkContext: Running Spark version 3.5.3",
          "26/11/30 23:52:35 INFO ExecutorPodsAllocator: Going to request 2 executors from"
              + " Kubernetes for ResourceProfile Id: 0, target: 2, known: 0,"
              + " sharedSlotFromPendingPods: 2147483647.",
          "26/11/30 23:52:37 INFO KubernetesClusterSchedulerBackend$KubernetesDriverEndpoint:"
              + " Registered executor NettyRpcEndpointRef(spark-client://Executor)"
              + " (127.0.0.1:35800) with ID 2,  ResourceProfileId 0",
          "26/11/30 23:52:37 INFO KubernetesClusterSchedulerBackend$KubernetesDriverEndpoint:"
              + " Registered executor NettyRpcEndpointRef(spark-client://Executor)"
              + " (127.0.0.1:35804) with ID 1,  ResourceProfileId 0",
          "26/11/30 23:52:37 INFO KubernetesClusterSchedulerBackend: SchedulerBackend is ready for"
              + " scheduling beginning after reached minRegisteredResourcesRatio: 0.8",
          "26/11/30 23:52:40 INFO MicroBatchExecution: Starting new streaming query.",
          "26/11/30 23:52:41 INFO MicroBatchExecution: Committed offsets for batch 0. Metadata"
              + " OffsetSeqMetadata(0,1796082761023,Map())",
          "26/11/30 23:52:42 INFO TaskSetManager: Starting task 1.0 in stage 0.0 (TID 0)"
              + " (127.0.0.1, executor 2, partition 1, PROCESS_LOCAL, 10203 bytes) ",
          "26/11/30 23:52:42 INFO TaskSetManager: Starting task 0.0 in stage 0.0 (TID 1)"
              + " (127.0.0.1, executor 1, partition 0, PROCESS_LOCAL, 10203 bytes) ",
          "26/11/30 23:52:50 INFO MicroBatchExecution: Committed offsets for batch 1. Metadata",
          "26/11/30 23:52:50 INFO ProgressLogger: micro-batch 0: 20000 input records, 2002"
              + " records/s, 0 bad records (0 since start), 220 state rows");

  @Test
  void everyDriverMilestoneIsRecognisedOnItsLine() {
    DriverLogMilestones log = new DriverLogMilestones();
    Map<FirstOutputMilestone, Integer> firstLine = new EnumMap<>(FirstOutputMilestone.class);
    for (int i = 0; i < DRIVER_LOG.size(); i++) {
      for (FirstOutputMilestone m : log.accept(DRIVER_LOG.get(i))) {
        firstLine.putIfAbsent(m, i);
      }
    }
    assertThat(log.requestedExecutors()).isEqualTo(2);
    assertThat(firstLine)
        .containsEntry(FirstOutputMilestone.SPARK_CONTEXT_STARTING, 1)
        .containsEntry(FirstOutputMilestone.EXECUTORS_REQUESTED, 2)
        // the second registration of two requested
        .containsEntry(FirstOutputMilestone.EXECUTORS_REGISTERED, 4)
        .containsEntry(FirstOutputMilestone.SCHEDULER_READY, 5)
        .containsEntry(FirstOutputMilestone.QUERY_STARTED, 6)
        .containsEntry(FirstOutputMilestone.BATCH0_PLANNED, 7)
        .containsEntry(FirstOutputMilestone.FIRST_TASK, 8)
        .containsEntry(FirstOutputMilestone.BATCH0_COMMITTED, 11)
        .doesNotContainKeys(
            FirstOutputMilestone.APPLIED,
            FirstOutputMilestone.DRIVER_POD_CREATED,
            FirstOutputMilestone.FIRST_OUTPUT);
  }

  @Test
  void stepsAreMeasuredFromTheNamedMilestoneAndRowsSortedByTime() {
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    Map<FirstOutputMilestone, Instant> seen = new EnumMap<>(FirstOutputMilestone.class);
    seen.put(FirstOutputMilestone.APPLIED, t0);
    seen.put(FirstOutputMilestone.DRIVER_POD_CREATED, t0.plusMillis(400));
    seen.put(FirstOutputMilestone.EXECUTORS_REQUESTED, t0.plusMillis(3000));
    // ready before registration (overlap): its step is from the request, not from the row above
    seen.put(FirstOutputMilestone.SCHEDULER_READY, t0.plusMillis(3100));
    seen.put(FirstOutputMilestone.EXECUTORS_REGISTERED, t0.plusMillis(6000));
    FirstOutputBreakdown b = FirstOutputBreakdown.of(seen);

    assertThat(b.step(FirstOutputMilestone.DRIVER_POD_CREATED)).isEqualTo(Duration.ofMillis(400));
    assertThat(b.step(FirstOutputMilestone.SCHEDULER_READY)).isEqualTo(Duration.ofMillis(100));
    // its predecessor (executor pods Running) was not seen
    assertThat(b.step(FirstOutputMilestone.EXECUTORS_REGISTERED)).isNull();
    assertThat(b.step(FirstOutputMilestone.APPLIED)).isNull();

    List<String> rows = b.table().lines().skip(1).toList();
    assertThat(rows).hasSize(5);
    assertThat(rows.get(3)).contains("3.10", "0.10", "SparkContext ready");
    assertThat(rows.get(4)).contains("6.00", "executors registered");
    assertThatThrownBy(() -> FirstOutputBreakdown.of(Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void summaryGivesMediansOfMilestonesReachedInEveryRun() {
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    List<FirstOutputBreakdown> runs = new ArrayList<>();
    for (int ms : new int[] {9000, 5000, 7000}) {
      Map<FirstOutputMilestone, Instant> seen = new EnumMap<>(FirstOutputMilestone.class);
      seen.put(FirstOutputMilestone.APPLIED, t0);
      seen.put(FirstOutputMilestone.FIRST_TASK, t0.plusMillis(ms - 2000));
      seen.put(FirstOutputMilestone.FIRST_OUTPUT, t0.plusMillis(ms));
      if (ms == 5000) {
        seen.put(FirstOutputMilestone.BATCH0_COMMITTED, t0.plusMillis(ms + 1000));
      }
      runs.add(FirstOutputBreakdown.of(seen));
    }
    String summary = FirstOutputBreakdown.summary(runs);
    assertThat(summary)
        .contains("7.00   (5.00–9.00)    2.00  first output record read")
        .doesNotContain("micro-batch 0 committed");
    assertThat(
            FirstOutputBreakdown.median(
                List.of(Duration.ofSeconds(4), Duration.ofSeconds(1), Duration.ofSeconds(2))))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(FirstOutputBreakdown.median(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))))
        .isEqualTo(Duration.ofMillis(1500));
  }
}
