package dev.spate.api.v1alpha1;

import java.util.List;

/**
 * Spark configuration keys the operator writes itself, from the spec or from how it runs the driver
 * (as spark-submit's cluster mode would). {@code spec.sparkConf} may not set them: the CRD rejects
 * them (CEL rules on {@code spec.sparkConf}) and the operator checks again with {@link #isOwned}.
 */
public final class OwnedSparkConf {

  /**
   * Keys owned exactly. Keep in step with the CEL rule on {@link StreamingJobSpec#getSparkConf()}.
   */
  public static final List<String> KEYS =
      List.of(
          "spark.master",
          "spark.submit.deployMode",
          "spark.app.id",
          "spark.app.name",
          "spark.driver.host",
          "spark.driver.bindAddress",
          "spark.driver.port",
          "spark.driver.blockManager.port",
          "spark.driver.cores",
          "spark.driver.memory",
          "spark.executor.cores",
          "spark.executor.memory",
          "spark.executor.instances",
          "spark.dynamicAllocation.enabled",
          "spark.kubernetes.namespace",
          "spark.kubernetes.driver.pod.name",
          "spark.kubernetes.executor.podNamePrefix",
          "spark.kubernetes.container.image",
          "spark.kubernetes.driver.container.image",
          "spark.kubernetes.executor.container.image",
          "spark.kubernetes.authenticate.driver.serviceAccountName",
          "spark.sql.streaming.checkpointLocation",
          "spark.sql.shuffle.partitions");

  /**
   * Class-list keys Spate sets and a {@code sparkConf} may set too: the operator appends the user's
   * classes to its own ({@code spark.plugins}, {@code
   * spark.sql.streaming.streamingQueryListeners}).
   */
  public static final List<String> MERGED_KEYS =
      List.of("spark.plugins", "spark.sql.streaming.streamingQueryListeners");

  /**
   * Pod template keys ({@code spark.kubernetes.{driver,executor}.podTemplateFile} and {@code
   * .podTemplateContainerName}, Spark's "Pod Template" on Kubernetes): the operator builds the
   * driver pod itself and writes the executor pod template from {@code spec.driver} and {@code
   * spec.executor}. Keep in step with the CEL rule on {@link StreamingJobSpec#getSparkConf()}.
   */
  public static final List<String> POD_TEMPLATE_KEYS =
      List.of(
          "spark.kubernetes.driver.podTemplateFile",
          "spark.kubernetes.driver.podTemplateContainerName",
          "spark.kubernetes.executor.podTemplateFile",
          "spark.kubernetes.executor.podTemplateContainerName");

  /** Why {@link #POD_TEMPLATE_KEYS} are refused, naming the spec fields to use instead. */
  public static final String POD_TEMPLATE_MESSAGE =
      "Spate renders the driver pod and the executor pod template itself (restricted security"
          + " context included); set spec.driver and spec.executor imagePullSecrets, nodeSelector,"
          + " tolerations, affinity, priorityClassName, labels and annotations instead";

  /** Prefix of keys owned as a family: the operator↔job contract keys (docs/CONTRACT.md). */
  public static final String PREFIX = "spark.spate.";

  /**
   * @param key a Spark configuration key
   * @return whether the operator owns it
   */
  public static boolean isOwned(String key) {
    return KEYS.contains(key) || POD_TEMPLATE_KEYS.contains(key) || key.startsWith(PREFIX);
  }

  private OwnedSparkConf() {}
}
