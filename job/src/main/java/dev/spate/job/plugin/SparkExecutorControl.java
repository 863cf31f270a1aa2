package dev.spate.job.plugin;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ExecutorAllocationClient;
import org.apache.spark.SparkContext;
import org.apache.spark.status.api.v1.ExecutorSummary;
import scala.collection.JavaConverters;

/**
 * {@link ExecutorControl} over Spark's developer API: {@code SparkContext.requestTotalExecutors}
 * and {@code SparkContext.killExecutors}; executors and their active tasks come from the driver's
 * status store (what the UI's Executors tab and {@code /api/v1/applications/<id>/executors} show).
 * {@code killExecutors} also lowers the requested total by the number killed (Spark 3.5).
 *
 * <p>Only Scala 2.12's standard library is used for collections ({@code
 * scala.collection.JavaConverters}), never {@code scala.jdk.*}: that comes from {@code
 * scala-collection-compat}, of which Spark 3.5.3 ships 2.7.0 — without {@code scala.jdk.javaapi}
 * ({@code NoClassDefFoundError} on Spark's class path).
 */
public final class SparkExecutorControl implements ExecutorControl {

  private static final String DRIVER_ID = "driver";

  private final SparkContext sc;

  /**
   * @param sc the driver's context
   */
  public SparkExecutorControl(SparkContext sc) {
    this.sc = sc;
  }

  @Override
  public List<ScalingDecision.ExecutorLoad> executors() {
    List<ScalingDecision.ExecutorLoad> result = new ArrayList<>();
    for (ExecutorSummary e : JavaConverters.seqAsJavaList(sc.statusStore().executorList(true))) {
      if (!DRIVER_ID.equals(e.id())) {
        result.add(new ScalingDecision.ExecutorLoad(e.id(), e.activeTasks()));
      }
    }
    return result;
  }

  /**
   * {@inheritDoc}
   *
   * <p>True once {@code SparkContext} has started its task scheduler and scheduler backend (it
   * knows its application id only then). Driver plugins are initialised before that, and a request
   * made earlier is refused — or, on Kubernetes, overwritten by {@code spark.executor.instances}
   * when the backend starts.
   */
  @Override
  public boolean ready() {
    return !sc.isStopped() && sc.applicationId() != null;
  }

  @Override
  public boolean requestTotalExecutors(int total) {
    if (!(sc.schedulerBackend() instanceof ExecutorAllocationClient)) {
      return false; // e.g. local mode: nothing that scales
    }
    return sc.requestTotalExecutors(total, 0, scala.collection.immutable.Map$.MODULE$.empty());
  }

  @Override
  public List<String> killExecutors(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return sc.killExecutors(JavaConverters.asScalaBuffer(ids).toSeq())
        ? List.copyOf(ids)
        : List.of();
  }
}
