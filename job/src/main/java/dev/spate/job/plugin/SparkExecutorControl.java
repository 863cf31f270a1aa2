package dev.spate.job.plugin;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.SparkContext;
import org.apache.spark.status.api.v1.ExecutorSummary;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@link ExecutorControl} over Spark's developer API: {@code SparkContext.requestTotalExecutors}
 * and {@code SparkContext.killExecutors}; executors and their active tasks come from the driver's
 * status store (what the UI's Executors tab and {@code /api/v1/applications/<id>/executors} show).
 * {@code killExecutors} also lowers the requested total by the number killed (Spark 3.5).
 */
public final class SparkExecutorControl implements ExecutorControl {

    private static final String DRIVER_ID = "driver";

    private final SparkContext sc;

    /** @param sc the driver's context */
    public SparkExecutorControl(SparkContext sc) {
        this.sc = sc;
    }

    @Override
    public List<ScalingDecision.ExecutorLoad> executors() {
        List<ScalingDecision.ExecutorLoad> result = new ArrayList<>();
        for (ExecutorSummary e : CollectionConverters.asJava(sc.statusStore().executorList(true))) {
            if (!DRIVER_ID.equals(e.id())) {
                result.add(new ScalingDecision.ExecutorLoad(e.id(), e.activeTasks()));
            }
        }
        return result;
    }

    @Override
    public boolean requestTotalExecutors(int total) {
        return sc.requestTotalExecutors(total, 0, scala.collection.immutable.Map$.MODULE$.empty());
    }

    @Override
    public List<String> killExecutors(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return sc.killExecutors(CollectionConverters.asScala(ids).toSeq()) ? List.copyOf(ids) : List.of();
    }
}
