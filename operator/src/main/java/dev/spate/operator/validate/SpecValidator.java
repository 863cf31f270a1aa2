package dev.spate.operator.validate;

import dev.spate.api.v1alpha1.OwnedSparkConf;
import dev.spate.api.v1alpha1.PodSettings;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.api.validation.Violation;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a StreamingJob may be deployed: first whether its stored spec could be read at
 * all ({@link StreamingJob#unreadableSpecReason()}), then the CRD's own rules (OpenAPI schema and
 * CEL {@code x-kubernetes-validations}, evaluated by {@link CrdRuleEvaluator} exactly as the API
 * server would, for objects that bypassed admission or predate a rule), then the checks that need
 * the world: the referenced client config Secret and key exist, so do the checkpoint credentials
 * Secret and both its keys, the checkpoint scheme is one the Spate image supports, the user's
 * {@code sparkConf} does not set a key the operator owns, and the name fits in a label value.
 */
public final class SpecValidator {

  private static final String RESERVED_KEY =
      "Spark or Spate sets this key on the pod itself (spark-role, spark-app-selector,"
          + " spark-app-name, spark-exec-id, spark-exec-resourceprofile-id,"
          + " app.kubernetes.io/managed-by, spate.dev/*); choose another key";

  /**
   * Checkpoint URI schemes the default Spate Spark image (deploy/spark.Dockerfile) can write:
   * {@code file} (a shared volume), {@code s3a} (hadoop-aws and the AWS SDK bundle it adds), {@code
   * hdfs} (the Hadoop client Spark ships).
   */
  public static final Set<String> CHECKPOINT_SCHEMES = Set.of("file", "s3a", "hdfs");

  /**
   * Further schemes accepted only with an image of the user's own ({@code spec.image}), which must
   * then carry the connector: {@code gs} (GCS connector), {@code abfs}/{@code abfss}
   * (hadoop-azure). The default image has neither.
   */
  public static final Set<String> CUSTOM_IMAGE_CHECKPOINT_SCHEMES = Set.of("gs", "abfs", "abfss");

  /**
   * Longest job name: it is the value of the {@code spate.dev/job} label (the CRD's rule on {@code
   * metadata.name}, {@link dev.spate.api.v1alpha1.ApiPatterns#MAX_JOB_NAME_LENGTH}).
   */
  public static final int MAX_NAME_LENGTH = dev.spate.api.v1alpha1.ApiPatterns.MAX_JOB_NAME_LENGTH;

  /** What the validator needs from the cluster. */
  public interface World {
    /**
     * The data keys of a Secret.
     *
     * @param namespace the Secret's namespace
     * @param name the Secret's name
     * @return its keys ({@code data} and {@code stringData}), empty when the Secret does not exist
     */
    Optional<Set<String>> secretKeys(String namespace, String name);

    /**
     * The other StreamingJobs this operator sees (its informer cache), to find a checkpoint
     * location used twice.
     *
     * @return every StreamingJob the operator watches (the job being validated may be among them)
     */
    default Collection<StreamingJob> jobs() {
      return List.of();
    }
  }

  private final CrdRuleEvaluator rules;
  private final OperatorConfig config;

  /**
   * @param rules the CRD's rules ({@link CrdRuleEvaluator#forStreamingJob()})
   * @param config the operator configuration (to resolve defaults)
   */
  public SpecValidator(CrdRuleEvaluator rules, OperatorConfig config) {
    this.rules = rules;
    this.config = config;
  }

  /**
   * Every problem of a job, CRD rules first.
   *
   * @param job the StreamingJob
   * @param world access to Secrets
   * @return human-readable problems ({@code path: message}); empty when the job may be deployed
   */
  public List<String> problems(StreamingJob job, World world) {
    List<String> problems = new ArrayList<>();
    job.unreadableSpecReason().ifPresent(problems::add);
    for (Violation v : rules.validate(job)) {
      problems.add(v.toString());
    }
    if (!problems.isEmpty()) {
      return problems; // world checks assume a well-formed spec
    }
    StreamingJobSpec spec = job.getSpec();
    JobPlan plan = JobPlan.of(job, config, 0);
    plan.clientConfigSecret()
        .ifPresent(
            ref -> {
              Optional<Set<String>> keys = world.secretKeys(plan.namespace(), ref.getName());
              if (keys.isEmpty()) {
                problems.add(
                    "spec.kafka.clientConfigSecretRef.name: Secret "
                        + ref.getName()
                        + " not found in namespace "
                        + plan.namespace());
              } else if (!keys.get().contains(plan.clientConfigKey())) {
                problems.add(
                    "spec.kafka.clientConfigSecretRef.key: Secret "
                        + ref.getName()
                        + " has no key "
                        + plan.clientConfigKey());
              }
            });
    if (plan.checkpointCredentials() != null) {
      String secret = plan.checkpointCredentials().getName();
      Optional<Set<String>> keys = world.secretKeys(plan.namespace(), secret);
      if (keys.isEmpty()) {
        problems.add(
            "spec.checkpoint.credentialsSecretRef.name: Secret "
                + secret
                + " not found in namespace "
                + plan.namespace());
      } else {
        List<String> fields = List.of("accessKeyIdKey", "secretAccessKeyKey");
        List<String> secretKeys = List.copyOf(plan.checkpointCredentialKeys().values());
        for (int i = 0; i < fields.size(); i++) {
          if (!keys.get().contains(secretKeys.get(i))) {
            problems.add(
                "spec.checkpoint.credentialsSecretRef."
                    + fields.get(i)
                    + ": Secret "
                    + secret
                    + " has no key "
                    + secretKeys.get(i));
          }
        }
      }
    }
    String location = spec.getCheckpoint().getLocation();
    String scheme = schemeOf(location);
    boolean customImage = spec.getImage() != null;
    if (scheme == null
        || !(CHECKPOINT_SCHEMES.contains(scheme)
            || customImage && CUSTOM_IMAGE_CHECKPOINT_SCHEMES.contains(scheme))) {
      problems.add(
          "spec.checkpoint.location: scheme "
              + (scheme == null ? "(none)" : scheme)
              + " is not supported"
              + (scheme != null && CUSTOM_IMAGE_CHECKPOINT_SCHEMES.contains(scheme)
                  ? " by the default image, which has no connector for it (set spec.image to an"
                      + " image with one)"
                  : "")
              + "; use one of "
              + String.join(", ", CHECKPOINT_SCHEMES.stream().sorted().toList())
              + (customImage
                  ? ", "
                      + String.join(
                          ", ", CUSTOM_IMAGE_CHECKPOINT_SCHEMES.stream().sorted().toList())
                  : ""));
    }
    if (spec.getAggregation() != null) {
      EventTimeFormats.problem(spec.getAggregation().getEventTimeFormat())
          .ifPresent(p -> problems.add("spec.aggregation.eventTimeFormat: " + p));
    }
    CheckpointOwners.claimedBefore(job, world.jobs())
        .ifPresent(
            other ->
                problems.add(
                    "spec.checkpoint.location: "
                        + location
                        + " is already the checkpoint of StreamingJob "
                        + other.getMetadata().getNamespace()
                        + "/"
                        + other.getMetadata().getName()
                        + " (created earlier); two queries on one checkpoint corrupt it: give"
                        + " each job its own location"));
    List<String> templateKeys =
        OwnedSparkConf.POD_TEMPLATE_KEYS.stream()
            .filter(plan.userSparkConf()::containsKey)
            .toList();
    if (!templateKeys.isEmpty()) {
      problems.add(
          "spec.sparkConf: "
              + String.join(", ", templateKeys)
              + ": "
              + OwnedSparkConf.POD_TEMPLATE_MESSAGE);
    }
    PodSettings.reservedKeys(spec.getDriver())
        .forEach(k -> problems.add("spec.driver." + k + ": " + RESERVED_KEY));
    PodSettings.reservedKeys(spec.getExecutor())
        .forEach(k -> problems.add("spec.executor." + k + ": " + RESERVED_KEY));
    Set<String> owned = new java.util.TreeSet<>(SparkProperties.ownedKeysSetByUser(plan));
    owned.removeAll(templateKeys);
    if (!owned.isEmpty()) {
      problems.add(
          "spec.sparkConf: "
              + String.join(", ", owned)
              + (owned.size() == 1 ? " is" : " are")
              + " set by the operator; use the matching spec field instead");
    }
    Map<String, String> conf = plan.userSparkConf();
    try {
      dev.spate.operator.decide.SparkMemory.containerMemory(
          dev.spate.operator.decide.SparkMemory.Role.DRIVER, plan.driverMemory(), conf);
      dev.spate.operator.decide.SparkMemory.containerMemory(
          dev.spate.operator.decide.SparkMemory.Role.EXECUTOR, plan.executorMemory(), conf);
    } catch (IllegalArgumentException e) {
      problems.add("spec: " + e.getMessage());
    }
    return problems;
  }

  /**
   * The first problem, as the condition message shows it.
   *
   * @param job the StreamingJob
   * @param world access to Secrets
   * @return the first problem (with a count of the others), or empty when valid
   */
  public Optional<String> firstProblem(StreamingJob job, World world) {
    List<String> problems = problems(job, world);
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    String first = problems.get(0);
    return Optional.of(
        problems.size() == 1
            ? first
            : first
                + " (and "
                + (problems.size() - 1)
                + " more: "
                + String.join("; ", problems.subList(1, problems.size()))
                + ")");
  }

  private static String schemeOf(String location) {
    try {
      String scheme = URI.create(location).getScheme();
      return scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
