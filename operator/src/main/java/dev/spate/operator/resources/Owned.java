package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
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

  /**
   * Adds the owner reference to the StreamingJob (controller, blocking owner deletion), so
   * Kubernetes' garbage collector removes the object with the job even if the operator is gone; the
   * operator also deletes it itself on cleanup. JOSDK finds the object back through its own
   * annotations (the dependents are not "garbage collected" in JOSDK's sense).
   */
  static <T extends HasMetadata> T ownedBy(T resource, StreamingJob job) {
    resource
        .getMetadata()
        .setOwnerReferences(
            List.of(
                new OwnerReferenceBuilder()
                    .withApiVersion(job.getApiVersion())
                    .withKind(job.getKind())
                    .withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build()));
    return resource;
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
