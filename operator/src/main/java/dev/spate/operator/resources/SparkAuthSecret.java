package dev.spate.operator.resources;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret {@code <job>-spark-auth} holding the job's Spark authentication key: the shared key
 * with which the driver and every executor authenticate each other's RPC and block-transfer
 * connections ({@code spark.authenticate}, Spark's security docs), and from which {@code
 * spark.network.crypto.enabled} derives the session keys. The operator generates it once (256
 * random bits from {@link SecureRandom}, Spark's own default length {@code
 * spark.authenticate.secretBitLength}, as 64 hex characters) and never changes it: drivers and
 * executors of every attempt use the same key.
 *
 * <p>Two keys hold the same secret, one per way Spark 3.5 reads it on Kubernetes: {@value
 * SparkProperties#AUTH_SECRET_KEY}, the file the driver reads ({@code
 * spark.authenticate.secret.driver.file}; Spark uses the base64 of the file's bytes as the key),
 * and {@value SparkProperties#AUTH_ENV_KEY}, that base64 text, which executors get as the
 * environment variable {@code _SPARK_AUTH_SECRET} from a {@code secretKeyRef} ({@code
 * spark.kubernetes.executor.secretKeyRef._SPARK_AUTH_SECRET}). An executor cannot read a key file:
 * its first connection to the driver (fetching the driver's properties) reads a key file only when
 * {@code spark.master} is in its own configuration, which Spark does not pass to executors. With a
 * key file configured, Spark does not put a key of its own, as plain text, into the executor pods'
 * environment either; the pod spec shows only the reference to this Secret.
 *
 * <p>Created only, never updated, and removed by Kubernetes' garbage collector through its owner
 * reference to the job: the operator needs no more than {@code create} on Secrets for it, not
 * {@code update} or {@code delete} on every Secret it can see. Created with a plain POST even when
 * the operator writes with server-side apply ({@code spate.serverSideApply}, JOSDK's {@code
 * useSSA}): JOSDK creates a server-side-apply dependent with an apply PATCH, which would need
 * {@code patch} on every Secret of the namespace.
 */
@KubernetesDependent(
    useSSA = BooleanWithUndefined.FALSE,
    informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SparkAuthSecret extends KubernetesDependentResource<Secret, StreamingJob>
    implements Creator<Secret, StreamingJob>, GarbageCollected<StreamingJob> {

  /** Bytes of a generated key (Spark's default {@code spark.authenticate.secretBitLength}). */
  static final int KEY_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Creates the dependent (JOSDK instantiates it from the reconciler's workflow). */
  public SparkAuthSecret() {
    super(Secret.class);
  }

  /** The live object is found by its deterministic name, also during cleanup. */
  @Override
  protected ResourceID targetSecondaryResourceID(StreamingJob job, Context<StreamingJob> context) {
    return new ResourceID(
        new JobNames(job.getMetadata().getName()).sparkAuthSecret(),
        job.getMetadata().getNamespace());
  }

  @Override
  protected Secret desired(StreamingJob job, Context<StreamingJob> context) {
    JobPlan plan = PlanContext.get(context);
    Optional<String> live =
        getSecondaryResource(job, context)
            .map(Secret::getData)
            .map(d -> d.get(SparkProperties.AUTH_SECRET_KEY))
            .filter(v -> !v.isEmpty())
            .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.US_ASCII));
    return Owned.ownedBy(build(plan, live.orElseGet(SparkAuthSecret::newKey)), job);
  }

  /**
   * The Secret for a plan.
   *
   * @param plan the resolved job
   * @param key the key file's text (64 hex characters)
   * @return the Secret, type {@code Opaque}, with the file and its base64 (what Spark makes of the
   *     file) as the executors' environment value
   */
  public static Secret build(JobPlan plan, String key) {
    Base64.Encoder b64 = Base64.getEncoder();
    String sparkKey = b64.encodeToString(key.getBytes(StandardCharsets.US_ASCII));
    return new SecretBuilder()
        .withMetadata(Owned.meta(plan, plan.names().sparkAuthSecret()))
        .withType("Opaque")
        .withData(
            Map.of(
                SparkProperties.AUTH_SECRET_KEY,
                sparkKey,
                SparkProperties.AUTH_ENV_KEY,
                b64.encodeToString(sparkKey.getBytes(StandardCharsets.US_ASCII))))
        .build();
  }

  /**
   * @return a new key: {@link #KEY_BYTES} random bytes as hex text
   */
  static String newKey() {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
