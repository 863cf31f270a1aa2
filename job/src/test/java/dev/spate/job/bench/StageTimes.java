package dev.spate.job.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.StageInfo;

/**
 * Where a benchmark run's time goes, stage by stage: a Spark listener that keeps every completed
 * stage's wall time (submission to completion), task count and its tasks' summed run time, CPU time
 * and shuffle records ({@code StageInfo.taskMetrics}, Spark's "Task Metrics" of the monitoring
 * guide), and what the whole JVM spent meanwhile: process CPU time (every thread: task threads, the
 * in-JVM broker, RocksDB's, the driver's) and GC time.
 */
final class StageTimes extends SparkListener {

  private final List<String> lines = new ArrayList<>();
  private final Map<Integer, long[]> atSubmit = new HashMap<>();
  private final Map<Integer, Map<Long, Long>> threadsAtSubmit = new HashMap<>();

  private static Map<Long, Long> threadCpu() {
    var mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> m = new HashMap<>();
    for (long id : mx.getAllThreadIds()) {
      m.put(id, mx.getThreadCpuTime(id));
    }
    return m;
  }

  private static String topThreads(Map<Long, Long> before) {
    var mx = ManagementFactory.getThreadMXBean();
    Map<Long, Long> after = threadCpu();
    Map<String, Long> byName = new HashMap<>();
    after.forEach(
        (id, cpu) -> {
          var info = mx.getThreadInfo(id);
          if (info == null || cpu < 0) {
            return;
          }
          long d = cpu - before.getOrDefault(id, 0L);
          String name = info.getThreadName().replaceAll("[0-9]+", "N");
          byName.merge(name, d / 1_000_000, Long::sum);
        });
    StringBuilder b = new StringBuilder();
    byName.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(6)
        .forEach(
            e ->
                b.append(
                    String.format(Locale.ROOT, "%n      %5d ms %s", e.getValue(), e.getKey())));
    return b.toString();
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    atSubmit.put(submitted.stageInfo().stageId(), new long[] {processCpuNanos(), gcMillis()});
    threadsAtSubmit.put(submitted.stageInfo().stageId(), threadCpu());
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted completed) {
    StageInfo s = completed.stageInfo();
    long wall =
        s.completionTime().isDefined() && s.submissionTime().isDefined()
            ? (Long) s.completionTime().get() - (Long) s.submissionTime().get()
            : -1;
    var t = s.taskMetrics();
    long[] before = atSubmit.remove(s.stageId());
    long jvmCpu = before == null ? -1 : (processCpuNanos() - before[0]) / 1_000_000;
    long gc = before == null ? -1 : gcMillis() - before[1];
    lines.add(
        String.format(
                Locale.ROOT,
                "  stage %3d %-28.28s %3d tasks %6d ms wall %7d ms run %7d ms cpu  shuffle %,9d w %,9d r"
                    + "  | JVM %6d ms cpu, gc %4d ms",
                s.stageId(),
                s.name(),
                s.numTasks(),
                wall,
                t.executorRunTime(),
                t.executorCpuTime() / 1_000_000,
                t.shuffleWriteMetrics().recordsWritten(),
                t.shuffleReadMetrics().recordsRead(),
                jvmCpu,
                gc)
            + (threadsAtSubmit.containsKey(s.stageId())
                ? topThreads(threadsAtSubmit.remove(s.stageId()))
                : ""));
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
