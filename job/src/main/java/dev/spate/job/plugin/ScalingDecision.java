package dev.spate.job.plugin;

import java.util.Comparator;
import java.util.List;

/**
 * What the driver does to reach a desired executor count: the total to request from the cluster
 * manager ({@code SparkContext.requestTotalExecutors}) and which executors to kill ({@code
 * SparkContext.killExecutors}) — lowering the requested total alone does not remove running
 * executors (seen with Spark 3.5's Kubernetes backend), so shrinking kills the least busy ones.
 *
 * @param requestTotal executor total to request, at least 0
 * @param kill ids of executors to kill, least busy first (empty when growing or steady)
 */
public record ScalingDecision(int requestTotal, List<String> kill) {

  /** One running executor and its load. */
  public record ExecutorLoad(String id, int runningTasks) {}

  /**
   * @param desired desired executor count, at least 0
   * @param running the running executors (not the driver)
   * @return the decision: grow by requesting {@code desired}; shrink by killing the {@code running
   *     - desired} executors with the fewest running tasks (ties: the highest numeric id, i.e. the
   *     newest, first) and requesting {@code desired}
   * @throws IllegalArgumentException when {@code desired} is negative
   */
  public static ScalingDecision decide(int desired, List<ExecutorLoad> running) {
    if (desired < 0) {
      throw new IllegalArgumentException("desired executors must be >= 0, not " + desired);
    }
    int surplus = running.size() - desired;
    if (surplus <= 0) {
      return new ScalingDecision(desired, List.of());
    }
    List<String> kill =
        running.stream()
            .sorted(
                Comparator.comparingInt(ExecutorLoad::runningTasks)
                    .thenComparing(ExecutorLoad::id, ScalingDecision::newestFirst))
            .limit(surplus)
            .map(ExecutorLoad::id)
            .toList();
    return new ScalingDecision(desired, kill);
  }

  private static int newestFirst(String a, String b) {
    try {
      return Long.compare(Long.parseLong(b), Long.parseLong(a));
    } catch (NumberFormatException e) {
      return b.compareTo(a);
    }
  }
}
