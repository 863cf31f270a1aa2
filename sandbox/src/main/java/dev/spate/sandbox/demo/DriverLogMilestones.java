package dev.spate.sandbox.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises {@link FirstOutputMilestone}s in a Spark 3.5 driver's log, line by line, in the order
 * the lines were written. The texts are Spark's own log messages ({@code SparkContext}, {@code
 * ExecutorPodsAllocator}, {@code KubernetesClusterSchedulerBackend}, {@code MicroBatchExecution},
 * {@code TaskSetManager}) and the bundled job's progress line ({@code ProgressLogger}). Not thread
 * safe: one instance per driver log.
 */
public final class DriverLogMilestones {

  private static final Pattern REQUEST =
      Pattern.compile("ExecutorPodsAllocator: Going to request \\d+ executors.*target: (\\d+)");

  private int target = -1;
  private int registered;

  /**
   * @param line one log line
   * @return the milestones this line marks (empty for most lines; a milestone may be returned again
   *     by later lines, the first one counts)
   */
  public List<FirstOutputMilestone> accept(String line) {
    List<FirstOutputMilestone> hits = new ArrayList<>(1);
    if (line.contains("SparkContext: Running Spark version")) {
      hits.add(FirstOutputMilestone.SPARK_CONTEXT_STARTING);
    }
    Matcher m = REQUEST.matcher(line);
    if (m.find()) {
      if (target < 0) {
        target = Integer.parseInt(m.group(1));
      }
      hits.add(FirstOutputMilestone.EXECUTORS_REQUESTED);
    }
    if (line.contains("Registered executor ")) {
      registered++;
      if (target > 0 && registered >= target) {
        hits.add(FirstOutputMilestone.EXECUTORS_REGISTERED);
      }
    }
    if (line.contains("SchedulerBackend is ready for scheduling")) {
      hits.add(FirstOutputMilestone.SCHEDULER_READY);
    }
    if (line.contains("MicroBatchExecution: Starting new streaming query")) {
      hits.add(FirstOutputMilestone.QUERY_STARTED);
    }
    if (line.contains("Committed offsets for batch 0.")) {
      hits.add(FirstOutputMilestone.BATCH0_PLANNED);
    }
    if (line.contains("TaskSetManager: Starting task ")) {
      hits.add(FirstOutputMilestone.FIRST_TASK);
    }
    if (line.contains("ProgressLogger: micro-batch 0:")) {
      hits.add(FirstOutputMilestone.BATCH0_COMMITTED);
    }
    return hits;
  }

  /**
   * @return the executor count of Spark's first request ({@code target: N}), or -1 before it
   */
  public int requestedExecutors() {
    return target;
  }
}
