package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how a pod of the job is scheduled and what it carries besides Spark's own settings:
 * pull secrets, node selection, tolerations, affinity, priority, extra labels and annotations. The
 * operator puts them on the driver pod and, through the executor pod template it writes ({@code
 * spark.kubernetes.executor.podTemplateFile}, Spark's "Pod Template" on Kubernetes), on every
 * executor pod. The types are Kubernetes' own ({@code core/v1} {@code LocalObjectReference}, {@code
 * Toleration}, {@code Affinity}), with the meaning {@code kubectl explain pod.spec.<field>} gives.
 *
 * <p>Labels and annotations may not set a key Spark or Spate puts on the pod themselves ({@link
 * #RESERVED_LABELS}, the {@value #RESERVED_PREFIX} prefix): the CRD rejects them, and the operator
 * checks again with {@link #reservedKeys}.
 */
public abstract class PodSettings {

  /**
   * Label keys Spark ({@code Constants} of Spark's Kubernetes resource manager: role, application
   * id and name, executor id, resource profile) and Spate ({@code app.kubernetes.io/managed-by})
   * set on their pods.
   */
  public static final List<String> RESERVED_LABELS =
      List.of(
          "spark-role",
          "spark-app-selector",
          "spark-app-name",
          "spark-exec-id",
          "spark-exec-resourceprofile-id",
          "app.kubernetes.io/managed-by");

  /** Prefix of the label and annotation keys Spate writes ({@code spate.dev/job}, ...). */
  public static final String RESERVED_PREFIX = "spate.dev/";

  /** Most entries of each map and list field. */
  public static final int MAX_ENTRIES = 64;

  /**
   * A label or annotation key (Kubernetes qualified name): an optional DNS-1123 subdomain prefix
   * and {@code /}, then 1 to 63 of {@code [-A-Za-z0-9_.]} starting and ending alphanumeric.
   */
  public static final String QUALIFIED_NAME =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /**
   * A label value: empty, or up to 63 of {@code [-A-Za-z0-9_.]} starting and ending alphanumeric.
   */
  public static final String LABEL_VALUE = "^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";

  /** {@link #RESERVED_LABELS} as a CEL list literal (kept equal by a test). */
  static final String RESERVED_LABELS_CEL =
      "['spark-role', 'spark-app-selector', 'spark-app-name', 'spark-exec-id',"
          + " 'spark-exec-resourceprofile-id', 'app.kubernetes.io/managed-by']";

  @JsonPropertyDescription(
      "Secrets (by name, in the job's namespace) the kubelet uses to pull the image, as a pod's spec.imagePullSecrets (kubectl explain pod.spec.imagePullSecrets). At most 64. Default: none.")
  @Size(max = MAX_ENTRIES)
  private List<LocalObjectReference> imagePullSecrets;

  @JsonPropertyDescription(
      "Node labels the pod's node must have, as a pod's spec.nodeSelector. At most 64. Default: none.")
  @Size(max = MAX_ENTRIES)
  @ValidationRule(
      value = "self.all(k, size(k) <= 317 && size(self[k]) <= 63)",
      message = "nodeSelector keys must be at most 317 and values at most 63 characters")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription(
      "Taints the pod tolerates, as a pod's spec.tolerations (kubectl explain pod.spec.tolerations). At most 64. Default: none.")
  @Size(max = MAX_ENTRIES)
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Node and pod affinity and anti-affinity, as a pod's spec.affinity (kubectl explain pod.spec.affinity). Default: none.")
  private Affinity affinity;

  @JsonPropertyDescription(
      "PriorityClass of the pod, as a pod's spec.priorityClassName; the class must exist. Default: none (the cluster's default priority).")
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DNS1123_SUBDOMAIN + "')",
      message =
          "priorityClassName must be a PriorityClass name (lower case alphanumerics, '-' and '.')")
  private String priorityClassName;

  @JsonPropertyDescription(
      "Extra labels of the pod. Keys Spark or Spate set themselves are rejected: spark-role, spark-app-selector, spark-app-name, spark-exec-id, spark-exec-resourceprofile-id, app.kubernetes.io/managed-by and any spate.dev/ key. At most 64. Default: none.")
  @Size(max = MAX_ENTRIES)
  @ValidationRule(
      value =
          "self.all(k, size(k) <= 317 && k.matches('"
              + QUALIFIED_NAME
              + "') && size(self[k]) <= 63 && self[k].matches('"
              + LABEL_VALUE
              + "'))",
      message =
          "labels must be Kubernetes labels: keys [prefix/]name (name at most 63 of"
              + " [-A-Za-z0-9_.]), values at most 63 of [-A-Za-z0-9_.] starting and ending"
              + " alphanumeric")
  @ValidationRule(
      value =
          "self.all(k, !(k in "
              + RESERVED_LABELS_CEL
              + ") && !k.startsWith('"
              + RESERVED_PREFIX
              + "'))",
      message =
          "labels must not set a label Spark or Spate puts on the pod (spark-role,"
              + " spark-app-selector, spark-app-name, spark-exec-id, spark-exec-resourceprofile-id,"
              + " app.kubernetes.io/managed-by, spate.dev/*)")
  private Map<String, String> labels;

  @JsonPropertyDescription(
      "Extra annotations of the pod. Keys starting with spate.dev/ are Spate's and rejected. At most 64 entries, values at most 4096 characters. Default: none.")
  @Size(max = MAX_ENTRIES)
  @ValidationRule(
      value =
          "self.all(k, size(k) <= 317 && k.matches('"
              + QUALIFIED_NAME
              + "') && size(self[k]) <= 4096)",
      message =
          "annotations keys must be [prefix/]name (name at most 63 of [-A-Za-z0-9_.]) and values"
              + " at most 4096 characters")
  @ValidationRule(
      value = "self.all(k, !k.startsWith('" + RESERVED_PREFIX + "'))",
      message = "annotations must not set spate.dev/* keys: Spate writes them")
  private Map<String, String> annotations;

  /**
   * Keys of {@code labels} and {@code annotations} that Spark or Spate set themselves.
   *
   * @param settings the pod settings, may be null
   * @return the offending keys as {@code labels[key]} or {@code annotations[key]}; empty when none
   */
  public static List<String> reservedKeys(PodSettings settings) {
    if (settings == null) {
      return List.of();
    }
    List<String> out = new java.util.ArrayList<>();
    if (settings.labels != null) {
      settings.labels.keySet().stream()
          .filter(k -> RESERVED_LABELS.contains(k) || k.startsWith(RESERVED_PREFIX))
          .sorted()
          .forEach(k -> out.add("labels[" + k + "]"));
    }
    if (settings.annotations != null) {
      settings.annotations.keySet().stream()
          .filter(k -> k.startsWith(RESERVED_PREFIX))
          .sorted()
          .forEach(k -> out.add("annotations[" + k + "]"));
    }
    return out;
  }

  /**
   * Secrets the kubelet pulls the image with ({@code spec.imagePullSecrets} of the pod).
   *
   * @return the references, or {@code null} for none
   */
  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  /**
   * @param imagePullSecrets see {@link #getImagePullSecrets()}
   */
  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  /**
   * Node labels the pod's node must carry ({@code spec.nodeSelector}).
   *
   * @return label to value, or {@code null} for none
   */
  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  /**
   * @param nodeSelector see {@link #getNodeSelector()}
   */
  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  /**
   * Taints the pod tolerates ({@code spec.tolerations}).
   *
   * @return the tolerations, or {@code null} for none
   */
  public List<Toleration> getTolerations() {
    return tolerations;
  }

  /**
   * @param tolerations see {@link #getTolerations()}
   */
  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  /**
   * Node and pod (anti-)affinity ({@code spec.affinity}).
   *
   * @return the affinity, or {@code null} for none
   */
  public Affinity getAffinity() {
    return affinity;
  }

  /**
   * @param affinity see {@link #getAffinity()}
   */
  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  /**
   * PriorityClass of the pod ({@code spec.priorityClassName}).
   *
   * @return the class name, or {@code null} for the cluster's default
   */
  public String getPriorityClassName() {
    return priorityClassName;
  }

  /**
   * @param priorityClassName see {@link #getPriorityClassName()}
   */
  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  /**
   * Extra labels of the pod; never a key of {@link #RESERVED_LABELS} or with {@value
   * #RESERVED_PREFIX}.
   *
   * @return label to value, or {@code null} for none
   */
  public Map<String, String> getLabels() {
    return labels;
  }

  /**
   * @param labels see {@link #getLabels()}
   */
  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  /**
   * Extra annotations of the pod; never a key with {@value #RESERVED_PREFIX}.
   *
   * @return annotation to value, or {@code null} for none
   */
  public Map<String, String> getAnnotations() {
    return annotations;
  }

  /**
   * @param annotations see {@link #getAnnotations()}
   */
  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  /**
   * @param that other settings
   * @return whether every pod setting equals {@code that}'s
   */
  protected boolean samePodSettings(PodSettings that) {
    return Objects.equals(imagePullSecrets, that.imagePullSecrets)
        && Objects.equals(nodeSelector, that.nodeSelector)
        && Objects.equals(tolerations, that.tolerations)
        && Objects.equals(affinity, that.affinity)
        && Objects.equals(priorityClassName, that.priorityClassName)
        && Objects.equals(labels, that.labels)
        && Objects.equals(annotations, that.annotations);
  }

  /**
   * @return a hash of the pod settings
   */
  protected int podSettingsHash() {
    return Objects.hash(
        imagePullSecrets,
        nodeSelector,
        tolerations,
        affinity,
        priorityClassName,
        labels,
        annotations);
  }

  /**
   * @return the pod settings that are set, for {@code toString}
   */
  protected String podSettingsString() {
    StringBuilder s = new StringBuilder();
    append(s, "imagePullSecrets", imagePullSecrets);
    append(s, "nodeSelector", nodeSelector);
    append(s, "tolerations", tolerations);
    append(s, "affinity", affinity);
    append(s, "priorityClassName", priorityClassName);
    append(s, "labels", labels);
    append(s, "annotations", annotations);
    return s.toString();
  }

  private static void append(StringBuilder s, String name, Object value) {
    if (value != null) {
      s.append(", ").append(name).append('=').append(value);
    }
  }
}
