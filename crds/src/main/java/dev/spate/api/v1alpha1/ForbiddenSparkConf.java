package dev.spate.api.v1alpha1;

import java.util.List;

/**
 * Spark configuration key families a {@code spec.sparkConf} may never set, because each would let
 * the author of a StreamingJob reach beyond what Kubernetes RBAC lets them read or run as: Spark's
 * Kubernetes backend acts on them with the driver's and the operator's rights, not the author's.
 * The CRD rejects them at apply time (a CEL rule on {@code spec.sparkConf}, {@link #RULE}) and the
 * operator checks again through the same rule.
 *
 * <p>The families, from Spark 3.5's "Running on Kubernetes" configuration table:
 *
 * <ul>
 *   <li>{@code spark.kubernetes.{driver,executor}.secrets.<secret>} mounts any Secret of the
 *       namespace into the pods, and {@code spark.kubernetes.{driver,executor}.secretKeyRef.<env>}
 *       puts any Secret key into an environment variable;
 *   <li>{@code spark.kubernetes.kerberos.tokenSecret.*} mounts a named Secret (Hadoop delegation
 *       tokens) into driver and executors;
 *   <li>{@code spark.kubernetes.{driver,executor}.volumes.hostPath.*} mounts a node's file system,
 *       and {@code ...volumes.nfs.*} any NFS export: neither volume type is allowed by the {@code
 *       restricted} Pod Security Standard;
 *   <li>{@code spark.kubernetes.authenticate.*} swaps the Kubernetes credentials Spark uses:
 *       another service account for executors ({@code
 *       spark.kubernetes.authenticate.executor.serviceAccountName}) or the driver, or a token,
 *       client key or CA file for the API client.
 * </ul>
 *
 * Kafka credentials reach the job through {@code spec.kafka.clientConfigSecretRef} instead, which
 * an admission policy checks against the author's own rights.
 */
public final class ForbiddenSparkConf {

  /** Key prefixes rejected in {@code spec.sparkConf}; keep in step with {@link #RULE}. */
  public static final List<String> PREFIXES =
      List.of(
          "spark.kubernetes.driver.secrets.",
          "spark.kubernetes.executor.secrets.",
          "spark.kubernetes.driver.secretKeyRef.",
          "spark.kubernetes.executor.secretKeyRef.",
          "spark.kubernetes.kerberos.tokenSecret.",
          "spark.kubernetes.driver.volumes.hostPath.",
          "spark.kubernetes.executor.volumes.hostPath.",
          "spark.kubernetes.driver.volumes.nfs.",
          "spark.kubernetes.executor.volumes.nfs.",
          "spark.kubernetes.authenticate.");

  /** {@link #PREFIXES} as a CEL list literal. */
  private static final String CEL_PREFIXES =
      "['spark.kubernetes.driver.secrets.', 'spark.kubernetes.executor.secrets.',"
          + " 'spark.kubernetes.driver.secretKeyRef.', 'spark.kubernetes.executor.secretKeyRef.',"
          + " 'spark.kubernetes.kerberos.tokenSecret.',"
          + " 'spark.kubernetes.driver.volumes.hostPath.',"
          + " 'spark.kubernetes.executor.volumes.hostPath.',"
          + " 'spark.kubernetes.driver.volumes.nfs.', 'spark.kubernetes.executor.volumes.nfs.',"
          + " 'spark.kubernetes.authenticate.']";

  /**
   * The one key of these families the operator owns and writes itself ({@link OwnedSparkConf}); the
   * owned-keys rule reports it, so that every key gets exactly one message.
   */
  public static final String OWNED_EXCEPTION =
      "spark.kubernetes.authenticate.driver.serviceAccountName";

  /** A key of {@link #PREFIXES} other than {@link #OWNED_EXCEPTION}, as a CEL condition on k. */
  private static final String CEL_FORBIDDEN =
      "k != 'spark.kubernetes.authenticate.driver.serviceAccountName' && "
          + CEL_PREFIXES
          + ".exists(p, k.startsWith(p))";

  /** CEL rule on {@code spec.sparkConf}: no key starts with one of {@link #PREFIXES}. */
  public static final String RULE = "self.all(k, !(" + CEL_FORBIDDEN + "))";

  /** Fixed message of {@link #RULE} (shown when the message expression cannot be evaluated). */
  public static final String MESSAGE =
      "sparkConf must not mount Secrets, host paths or NFS volumes, nor change the Kubernetes"
          + " credentials Spark uses (spark.kubernetes.{driver,executor}.secrets.*,"
          + " *.secretKeyRef.*, spark.kubernetes.kerberos.tokenSecret.*,"
          + " *.volumes.hostPath.*, *.volumes.nfs.*, spark.kubernetes.authenticate.*): give Kafka"
          + " credentials with spec.kafka.clientConfigSecretRef, a Secret key for the driver with"
          + " spec.driver.env and the driver's service account with spec.driver.serviceAccountName";

  /** Message expression of {@link #RULE}: names the first offending key. */
  public static final String MESSAGE_EXPRESSION =
      "'sparkConf must not set ' + self.filter(k, "
          + CEL_FORBIDDEN
          + ")[0] + ': it would mount a Secret, a host path or an NFS"
          + " volume, or change the Kubernetes credentials Spark uses; give Kafka credentials with"
          + " spec.kafka.clientConfigSecretRef, a Secret key for the driver with spec.driver.env"
          + " and the driver service account with spec.driver.serviceAccountName'";

  /**
   * @param key a Spark configuration key
   * @return whether {@code spec.sparkConf} may not set it for the reasons of this class (the {@link
   *     #OWNED_EXCEPTION} is rejected as an owned key instead)
   */
  public static boolean isForbidden(String key) {
    return !key.equals(OWNED_EXCEPTION) && PREFIXES.stream().anyMatch(key::startsWith);
  }

  private ForbiddenSparkConf() {}
}
