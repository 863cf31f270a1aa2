package dev.spate.operator.sizing;

import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.ExecutorSpec;

/**
 * The part of {@code spec.executor} that decides the executor count, defaults applied.
 *
 * @param executorCores {@code spec.executor.cores} ({@code spark.executor.cores}), at least 1
 * @param minExecutors {@code spec.executor.minExecutors}, at least 0
 * @param maxExecutors {@code spec.executor.maxExecutors}, at least {@code max(1, minExecutors)}
 */
public record SizingSpec(int executorCores, int minExecutors, int maxExecutors) {

  /**
   * @throws IllegalArgumentException when cores are below 1, min is below 0, max is below 1 or min
   *     exceeds max (the CRD schema rejects all of these; the message names the field)
   */
  public SizingSpec {
    if (executorCores < 1) {
      throw new IllegalArgumentException("executor.cores must be >= 1, was " + executorCores);
    }
    if (minExecutors < 0) {
      throw new IllegalArgumentException("executor.minExecutors must be >= 0, was " + minExecutors);
    }
    if (maxExecutors < 1) {
      throw new IllegalArgumentException("executor.maxExecutors must be >= 1, was " + maxExecutors);
    }
    if (minExecutors > maxExecutors) {
      throw new IllegalArgumentException(
          "executor.minExecutors ("
              + minExecutors
              + ") must be less than or equal to executor.maxExecutors ("
              + maxExecutors
              + ")");
    }
  }

  /**
   * The sizing part of a spec, {@link Defaults} applied to every absent field.
   *
   * @param spec {@code spec.executor}, or null for all defaults
   * @return the sizing spec
   * @throws IllegalArgumentException as the constructor
   */
  public static SizingSpec of(ExecutorSpec spec) {
    ExecutorSpec s = spec == null ? new ExecutorSpec() : spec;
    return new SizingSpec(
        s.getCores() == null ? Defaults.EXECUTOR_CORES : s.getCores(),
        s.getMinExecutors() == null ? Defaults.MIN_EXECUTORS : s.getMinExecutors(),
        s.getMaxExecutors() == null ? Defaults.MAX_EXECUTORS : s.getMaxExecutors());
  }

  /**
   * Task slots of the largest cluster this spec allows: {@code maxExecutors × executorCores}.
   *
   * @return cores, as a long so it cannot overflow
   */
  public long maxCores() {
    return (long) maxExecutors * executorCores;
  }
}
