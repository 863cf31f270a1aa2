package dev.spate.operator.resources;

import dev.spate.operator.spark.JobPlan;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Metadata shared by every object a StreamingJob owns. */
final class Owned {

  private Owned() {}

  /** Labels of every owned object: managed-by and the job's name. */
  static Map<String, String> labels(JobPlan plan) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGER);
    labels.put(Labels.JOB, plan.name());
    return labels;
  }

  /** Metadata with the object's name, the job's namespace and {@link #labels}. */
  static ObjectMeta meta(JobPlan plan, String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(plan.namespace())
        .withLabels(labels(plan))
        .build();
  }
}
