package dev.spate.job.plugin;

import java.util.List;

/**
 * The driver's executor controls the scaling plugin uses; {@link SparkExecutorControl} in
 * production.
 */
public interface ExecutorControl {

  /**
   * @return whether the scheduler backend has started and can take requests; until then the scaler
   *     neither requests nor kills executors
   */
  boolean ready();

  /**
   * @return the running executors (not the driver) with their running tasks
   */
  List<ScalingDecision.ExecutorLoad> executors();

  /**
   * @param total executor total for the cluster manager
   * @return whether the scheduler backend accepted it (false e.g. in local mode)
   */
  boolean requestTotalExecutors(int total);

  /**
   * @param ids executors to kill
   * @return the ids the scheduler backend agreed to kill
   */
  List<String> killExecutors(List<String> ids);
}
