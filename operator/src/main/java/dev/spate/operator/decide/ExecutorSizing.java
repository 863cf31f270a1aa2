package dev.spate.operator.decide;

/**
 * How many executors a job wants. Spark's Kafka source reads one task per topic partition per
 * micro-batch, so the read stage wants one core per partition: {@code clamp(ceil(partitions /
 * executor.cores), min, max)}.
 */
public final class ExecutorSizing {

  private ExecutorSizing() {}

  /**
   * The desired executor count.
   *
   * @param partitions total partitions of the input topics (0 when none exist yet)
   * @param coresPerExecutor {@code spark.executor.cores}, at least 1
   * @param minExecutors lower bound, at least 0
   * @param maxExecutors upper bound, at least {@code minExecutors}
   * @return {@code clamp(ceil(partitions / coresPerExecutor), minExecutors, maxExecutors)}
   * @throws IllegalArgumentException on a negative partition count, cores below 1, or bounds out of
   *     order
   */
  public static int desiredExecutors(
      int partitions, int coresPerExecutor, int minExecutors, int maxExecutors) {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, was " + partitions);
    }
    if (coresPerExecutor < 1) {
      throw new IllegalArgumentException("executor cores must be >= 1, was " + coresPerExecutor);
    }
    if (minExecutors < 0 || maxExecutors < minExecutors) {
      throw new IllegalArgumentException(
          "executor bounds must satisfy 0 <= min <= max, were min="
              + minExecutors
              + " max="
              + maxExecutors);
    }
    int wanted = (partitions + coresPerExecutor - 1) / coresPerExecutor;
    return Math.min(maxExecutors, Math.max(minExecutors, wanted));
  }
}
