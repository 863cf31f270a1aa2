package dev.spate.operator.resources;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic names of everything a StreamingJob owns, so that any operator instance (a restart,
 * a second replica) finds and adopts the existing objects instead of creating new ones.
 *
 * @param job the StreamingJob's name
 */
public record JobNames(String job) {

  /** Kubernetes DNS-1035 label limit (Service names), in characters. */
  static final int DNS_LABEL_MAX = 63;

  /** Kubernetes DNS-1123 subdomain limit (ServiceAccount, Role, RoleBinding names). */
  static final int DNS_SUBDOMAIN_MAX = 253;

  /**
   * Spark's limit on {@code spark.kubernetes.executor.podNamePrefix} (leaves room for {@code
   * -exec-N}).
   */
  static final int EXECUTOR_PREFIX_MAX = 47;

  /**
   * The driver Pod of one attempt, {@code <job>-driver-<attempt>} ({@code
   * spark.kubernetes.driver.pod.name}): each attempt has its own pod name, so two drivers of one
   * job are always visible as two pods and an attempt's pod is found again by name after a crash.
   *
   * @param attempt the driver attempt, from 1
   * @return the pod name
   */
  public String driverPod(int attempt) {
    return job + "-driver-" + attempt;
  }

  /**
   * @return the headless driver Service, {@code <job>-driver-svc}, shortened to 63 characters
   */
  public String driverService() {
    return fit(job, "-driver-svc", DNS_LABEL_MAX);
  }

  /**
   * @return the Spark conf ConfigMap, {@code <job>-spark-conf}
   */
  public String sparkConfConfigMap() {
    return job + "-spark-conf";
  }

  /**
   * @return the Secret holding the job's Spark authentication key, {@code <job>-spark-auth},
   *     shortened to 63 characters
   */
  public String sparkAuthSecret() {
    return fit(job, "-spark-auth", DNS_LABEL_MAX);
  }

  /**
   * The driver's ServiceAccount, and the name of the Role and RoleBinding that grant it what Spark
   * and the driver plugin call, all three created by the operator when {@code
   * spec.driver.serviceAccountName} is absent. Executor pods run under it too (Spark gives them the
   * driver's service account when {@code spark.kubernetes.authenticate.executor.serviceAccountName}
   * is unset).
   *
   * @return {@code <job>-driver}, shortened to 253 characters
   */
  public String driverServiceAccount() {
    return fit(job, "-driver", DNS_SUBDOMAIN_MAX);
  }

  /**
   * @return the control ConfigMap (desired executors), {@code <job>-control}
   */
  public String controlConfigMap() {
    return job + "-control";
  }

  /**
   * {@code spark.kubernetes.executor.podNamePrefix} of one attempt: Spark names executor pods
   * {@code <prefix>-exec-<executor id>} and counts executor ids from 1 in every driver, so the
   * attempt in the prefix keeps the executor pods of two attempts apart (an old attempt's executors
   * may still be terminating when the next driver starts its own).
   *
   * @param attempt the driver attempt, from 1
   * @return {@code <job>-<attempt>}, the job name shortened so that it fits 47 characters
   */
  public String executorPodNamePrefix(int attempt) {
    return fit(job, "-" + attempt, EXECUTOR_PREFIX_MAX);
  }

  /**
   * {@code base + suffix} when it fits in {@code max} characters, else a prefix of {@code base},
   * {@code -}, 8 hex characters of the SHA-256 of {@code base}, and {@code suffix}: still unique
   * and stable.
   */
  static String fit(String base, String suffix, int max) {
    if (base.length() + suffix.length() <= max) {
      return base + suffix;
    }
    String hash = sha256Hex(base).substring(0, 8);
    int keep = max - suffix.length() - hash.length() - 1;
    String head = base.substring(0, keep).replaceAll("[-.]+$", "");
    return head + "-" + hash + suffix;
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
