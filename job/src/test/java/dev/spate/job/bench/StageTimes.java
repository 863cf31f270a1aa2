package dev.spate.job.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/**
 * Where a benchmark run's time goes, stage by stage: a Spark listener that keeps every completed
 * stage's wall time (submission to completion), task count and its tasks' summed run time, CPU time
 * and shuffle records ({@code StageInfo.taskMetrics}, Spark's "Task Metrics" of the monitoring
 * guide).
 */
final class StageTimes extends SparkListener {

  private final List<String> lines = new ArrayList<>();

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
    StageInfo s = completed.stageInfo();
    long wall =
        s.completionTime().isDefined() && s.submissionTime().isDefined()
            ? (Long) s.completionTime().get() - (Long) s.submissionTime().get()
            : -1;
    var t = s.taskMetrics();
    lines.add(
        String.format(
            Locale.ROOT,
            "  stage %3d %-28.28s %3d tasks %6d ms wall %7d ms run %7d ms cpu  shuffle %,9d w %,9d r",
            s.stageId(),
            s.name(),
            s.numTasks(),
            wall,
            t.executorRunTime(),
            t.executorCpuTime() / 1_000_000,
            t.shuffleWriteMetrics().recordsWritten(),
            t.shuffleReadMetrics().recordsRead()));
  }

  /** Forgets the stages seen so far (call before the measured run). */
  synchronized void reset() {
    lines.clear();
  }

  /**
   * @return one line per stage completed since the last {@link #reset()}
   */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
