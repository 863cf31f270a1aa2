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
          "spark.sql.shuffle.partitions",
          "spark.authenticate",
          "spark.authenticate.secret",
          "spark.authenticate.secret.file",
          "spark.authenticate.secret.driver.file",
          "spark.authenticate.secret.executor.file");

  /**
   * Class-list keys Spate sets and a {@code sparkConf} may set too: the operator appends the user's
   * classes to its own ({@code spark.plugins}, {@code
   * spark.sql.streaming.streamingQueryListeners}).
   */
  public static final List<String> MERGED_KEYS =
      List.of("spark.plugins", "spark.sql.streaming.streamingQueryListeners");

  /** Prefix of keys owned as a family: the operator↔job contract keys (docs/CONTRACT.md). */
  public static final String PREFIX = "spark.spate.";

  /**
   * @param key a Spark configuration key
   * @return whether the operator owns it
   */
  public static boolean isOwned(String key) {
    return KEYS.contains(key) || key.startsWith(PREFIX);
  }

  private OwnedSparkConf() {}
}
