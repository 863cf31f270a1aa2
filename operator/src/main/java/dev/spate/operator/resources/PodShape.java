package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.PodSettings;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every pod of a job has in common, driver and executors alike: the "restricted" Pod Security
 * Standard (Kubernetes' Pod Security Standards, level {@code restricted}: non-root, no privilege
 * escalation, every capability dropped, the runtime's default seccomp profile) and the user's pod
 * settings ({@code spec.driver} / {@code spec.executor}: pull secrets, node selector, tolerations,
 * affinity, priority class, labels, annotations). Pure functions over fabric8 model objects.
 */
public final class PodShape {

  /** UID and GID of the {@code spark} user in the official Spark images. */
  public static final long SPARK_UID = 185L;

  /** The seccomp profile type every pod and container gets ({@code RuntimeDefault}). */
  public static final String SECCOMP_PROFILE = "RuntimeDefault";

  private PodShape() {}

  /**
   * The pod-level security context: runs as the image's {@code spark} user ({@value #SPARK_UID}),
   * {@code runAsNonRoot}, {@code fsGroup} {@value #SPARK_UID} (so mounted volumes are writable),
   * seccomp {@value #SECCOMP_PROFILE}.
   *
   * @return a new security context
   */
  public static PodSecurityContext restrictedPod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(SPARK_UID)
        .withRunAsGroup(SPARK_UID)
        .withFsGroup(SPARK_UID)
        .withNewSeccompProfile()
        .withType(SECCOMP_PROFILE)
        .endSeccompProfile()
        .build();
  }

  /**
   * The container-level security context: {@code allowPrivilegeEscalation: false}, {@code
   * runAsNonRoot: true}, capabilities {@code drop: [ALL]}, seccomp {@value #SECCOMP_PROFILE}.
   *
   * @return a new security context
   */
  public static SecurityContext restrictedContainer() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType(SECCOMP_PROFILE)
        .endSeccompProfile()
        .build();
  }

  /**
   * Puts a job's pod settings on a pod: the user's labels and annotations join the pod's own (a key
   * the pod already has keeps its value: validation rejects such keys before), and the scheduling
   * fields ({@code imagePullSecrets}, {@code nodeSelector}, {@code tolerations}, {@code affinity},
   * {@code priorityClassName}) are set when given.
   *
   * @param pod the pod to change (its metadata and spec are created when missing)
   * @param settings the settings, may be null (nothing changes)
   * @return {@code pod}
   */
  public static Pod apply(Pod pod, PodSettings settings) {
    if (settings == null) {
      return pod;
    }
    if (pod.getMetadata() == null) {
      pod.setMetadata(new ObjectMeta());
    }
    if (pod.getSpec() == null) {
      pod.setSpec(new PodSpec());
    }
    ObjectMeta meta = pod.getMetadata();
    meta.setLabels(joined(settings.getLabels(), meta.getLabels()));
    meta.setAnnotations(joined(settings.getAnnotations(), meta.getAnnotations()));
    PodSpec spec = pod.getSpec();
    if (settings.getImagePullSecrets() != null && !settings.getImagePullSecrets().isEmpty()) {
      spec.setImagePullSecrets(new ArrayList<>(settings.getImagePullSecrets()));
    }
    if (settings.getNodeSelector() != null && !settings.getNodeSelector().isEmpty()) {
      spec.setNodeSelector(new TreeMap<>(settings.getNodeSelector()));
    }
    if (settings.getTolerations() != null && !settings.getTolerations().isEmpty()) {
      spec.setTolerations(new ArrayList<>(settings.getTolerations()));
    }
    if (settings.getAffinity() != null) {
      spec.setAffinity(settings.getAffinity());
    }
    if (settings.getPriorityClassName() != null) {
      spec.setPriorityClassName(settings.getPriorityClassName());
    }
    return pod;
  }

  /** The user's entries, then the pod's own over them; null when both are empty. */
  private static Map<String, String> joined(Map<String, String> user, Map<String, String> own) {
    Map<String, String> out = new TreeMap<>();
    if (user != null) {
      out.putAll(user);
    }
    if (own != null) {
      out.putAll(own);
    }
    return out.isEmpty() ? null : out;
  }
}
