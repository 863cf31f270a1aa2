package dev.spate.operator.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.corpus.Corpus;
import dev.spate.api.v1alpha1.SecretReference;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's validator over the manifest corpus shared with crds/ (the same rules the API
 * server applies), plus the checks that need the world.
 */
class SpecValidatorTest {

  private static final SpecValidator VALIDATOR =
      new SpecValidator(CrdRuleEvaluator.forStreamingJob(), OperatorConfig.defaults());

  /** Every Secret exists with the keys a manifest may reference. */
  private static final SpecValidator.World ALL_SECRETS =
      (namespace, name) ->
          Optional.of(
              Set.of(
                  "client.properties",
                  "sasl.properties",
                  "AWS_ACCESS_KEY_ID",
                  "AWS_SECRET_ACCESS_KEY"));

  private static final SpecValidator.World NO_SECRETS = (namespace, name) -> Optional.empty();

  static List<Corpus.Manifest> valid() {
    return Corpus.valid();
  }

  static List<Corpus.Manifest> invalid() {
    return Corpus.invalid();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validCorpusIsDeployable(Corpus.Manifest manifest) {
    StreamingJob job = manifest.job();
    SecretReference ref = job.getSpec().getKafka().getClientConfigSecretRef();
    String key = ref == null || ref.getKey() == null ? "client.properties" : ref.getKey();
    // the referenced Secrets exist with the referenced keys (checkpoint credentials: the defaults)
    assertThat(
            VALIDATOR.problems(
                job,
                (ns, name) ->
                    Optional.of(Set.of(key, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"))))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidCorpusIsNeverDeployed(Corpus.Manifest manifest) {
    StreamingJob job;
    try {
      job = manifest.job();
    } catch (RuntimeException e) {
      // a type error (string for a boolean, unknown field): such an object cannot even be read
      // into a StreamingJob, so it never reaches the reconciler; the CRD's schema rejects it
      assertThat(CrdRuleEvaluator.forStreamingJob().validate(manifest.tree()).toString())
          .contains(manifest.expect());
      return;
    }
    Optional<String> problem = VALIDATOR.firstProblem(job, ALL_SECRETS);
    assertThat(problem).isPresent();
    assertThat(problem.get()).contains(manifest.expect());
  }

  @Test
  void corpusIsNotEmpty() {
    assertThat(Corpus.valid()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(Corpus.invalid()).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void referencedSecretAndKeyMustExist() {
    StreamingJob job = TestJobs.load("minimal");
    SecretReference ref = new SecretReference();
    ref.setName("kafka-client");
    job.getSpec().getKafka().setClientConfigSecretRef(ref);
    assertThat(VALIDATOR.problems(job, NO_SECRETS))
        .singleElement()
        .asString()
        .isEqualTo(
            "spec.kafka.clientConfigSecretRef.name: Secret kafka-client not found in namespace analytics");
    assertThat(VALIDATOR.problems(job, (ns, name) -> Optional.of(Set.of("other.properties"))))
        .singleElement()
        .asString()
        .isEqualTo(
            "spec.kafka.clientConfigSecretRef.key: Secret kafka-client has no key client.properties");
    assertThat(VALIDATOR.problems(job, ALL_SECRETS)).isEmpty();
  }

  @Test
  void checkpointCredentialsSecretAndBothKeysMustExist() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec().getCheckpoint().setLocation("s3a://bucket/analytics/minimal");
    dev.spate.api.v1alpha1.CheckpointCredentials ref =
        new dev.spate.api.v1alpha1.CheckpointCredentials();
    ref.setName("s3");
    ref.setSecretAccessKeyKey("secret");
    job.getSpec().getCheckpoint().setCredentialsSecretRef(ref);
    assertThat(VALIDATOR.problems(job, NO_SECRETS))
        .containsExactly(
            "spec.checkpoint.credentialsSecretRef.name: Secret s3 not found in namespace analytics");
    assertThat(VALIDATOR.problems(job, (ns, name) -> Optional.of(Set.of("other"))))
        .containsExactly(
            "spec.checkpoint.credentialsSecretRef.accessKeyIdKey: Secret s3 has no key"
                + " AWS_ACCESS_KEY_ID",
            "spec.checkpoint.credentialsSecretRef.secretAccessKeyKey: Secret s3 has no key secret");
    assertThat(
            VALIDATOR.problems(
                job, (ns, name) -> Optional.of(Set.of("AWS_ACCESS_KEY_ID", "secret"))))
        .isEmpty();
  }

  @Test
  void checkpointSchemeMustBeOneTheImageHasAConnectorFor() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec().getCheckpoint().setLocation("ftp://host/checkpoints");
    assertThat(VALIDATOR.problems(job, ALL_SECRETS))
        .singleElement()
        .asString()
        .isEqualTo(
            "spec.checkpoint.location: scheme ftp is not supported; use one of file, hdfs, s3a");
    for (String ok : List.of("s3a://b/p", "hdfs://nn/p", "file:///checkpoints/x")) {
      job.getSpec().getCheckpoint().setLocation(ok);
      assertThat(VALIDATOR.problems(job, ALL_SECRETS)).as(ok).isEmpty();
    }
    // the default image has no GCS or Azure connector
    job.getSpec().getCheckpoint().setLocation("gs://b/p");
    assertThat(VALIDATOR.problems(job, ALL_SECRETS))
        .singleElement()
        .asString()
        .startsWith(
            "spec.checkpoint.location: scheme gs is not supported by the default image, which has"
                + " no connector for it (set spec.image to an image with one)");
    // a user's own image vouches for its connectors
    job.getSpec().setImage("registry.example.com/team/spark-with-gcs:1");
    for (String ok : List.of("gs://b/p", "abfss://c@a.dfs.core.windows.net/p", "s3a://b/p")) {
      job.getSpec().getCheckpoint().setLocation(ok);
      assertThat(VALIDATOR.problems(job, ALL_SECRETS)).as(ok).isEmpty();
    }
    job.getSpec().getCheckpoint().setLocation("ftp://host/checkpoints");
    assertThat(VALIDATOR.problems(job, ALL_SECRETS))
        .singleElement()
        .asString()
        .endsWith("use one of file, hdfs, s3a, abfs, abfss, gs");
  }

  /**
   * The validator's side of docs/event-time-formats.tsv: exactly the formats marked {@code yes} are
   * accepted (the job's EventTimeFormatContractTest pins the same for the job).
   */
  @Test
  void eventTimeFormatsAreExactlyThoseTheJobReads() throws Exception {
    List<String[]> rows =
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("../docs/event-time-formats.tsv"))
            .stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(l -> l.split("\t", -1))
            .toList();
    assertThat(rows).hasSizeGreaterThan(20);
    org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
    for (String[] row : rows) {
      StreamingJob job = TestJobs.load("minimal");
      dev.spate.api.v1alpha1.AggregationSpec agg = new dev.spate.api.v1alpha1.AggregationSpec();
      agg.setEventTimeField("t");
      agg.setEventTimeFormat(row[0].equals("(absent)") ? null : row[0]);
      job.getSpec().setAggregation(agg);
      List<String> problems = VALIDATOR.problems(job, ALL_SECRETS);
      if (row[1].equals("yes")) {
        soft.assertThat(problems).as("format %s", row[0]).isEmpty();
      } else {
        soft.assertThat(problems)
            .as("format %s", row[0])
            .singleElement()
            .asString()
            .startsWith("spec.aggregation.eventTimeFormat: ");
      }
    }
    soft.assertAll();
  }

  @Test
  void ownedSparkConfKeysAreRejectedEvenWhenTheCrdRuleDoesNotListThem() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec()
        .setSparkConf(
            Map.of(
                "spark.kubernetes.executor.podNamePrefix",
                "x",
                "spark.kubernetes.driver.request.cores",
                "2"));
    List<String> problems = VALIDATOR.problems(job, ALL_SECRETS);
    assertThat(problems).isNotEmpty();
    assertThat(String.join("\n", problems)).contains("spark.kubernetes.executor.podNamePrefix");
  }

  @Test
  void podTemplateKeysAreRejectedNamingTheSpecFields() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec()
        .setSparkConf(
            Map.of(
                "spark.kubernetes.executor.podTemplateFile", "/tmp/t.yaml",
                "spark.kubernetes.driver.podTemplateFile", "/tmp/d.yaml"));
    List<String> problems = VALIDATOR.problems(job, ALL_SECRETS);
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("spec.sparkConf: ")
                    .contains("spark.kubernetes.executor.podTemplateFile")
                    .contains("spec.driver and spec.executor imagePullSecrets"));
  }

  @Test
  void labelsAndAnnotationsSparkOrSpateSetAreRejected() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec().setDriver(new dev.spate.api.v1alpha1.DriverSpec());
    job.getSpec().getDriver().setLabels(Map.of("spark-role", "x", "team", "a"));
    job.getSpec().setExecutor(new dev.spate.api.v1alpha1.ExecutorSpec());
    job.getSpec().getExecutor().setAnnotations(Map.of("spate.dev/start-executors", "9"));
    job.getSpec().getExecutor().setLabels(Map.of("spate.dev/job", "other"));
    assertThat(VALIDATOR.problems(job, ALL_SECRETS))
        .map(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder(
            "spec.driver.labels", "spec.executor.labels", "spec.executor.annotations");
    assertThat(dev.spate.api.v1alpha1.PodSettings.reservedKeys(job.getSpec().getExecutor()))
        .containsExactly("labels[spate.dev/job]", "annotations[spate.dev/start-executors]");
  }

  @Test
  void nameMustBeADns1035LabelThatFitsALabelValue() {
    StreamingJob job = TestJobs.load("minimal");
    job.getMetadata().setName("j".repeat(64));
    assertThat(VALIDATOR.problems(job, ALL_SECRETS))
        .singleElement()
        .asString()
        .startsWith("metadata.name must be a DNS-1035 label of at most 63 characters");
    for (String bad : List.of("flights.per.origin", "1flights", "Flights", "flights-")) {
      job.getMetadata().setName(bad);
      assertThat(VALIDATOR.problems(job, ALL_SECRETS))
          .as(bad)
          .singleElement()
          .asString()
          .startsWith("metadata.name must be a DNS-1035 label");
    }
  }

  @Test
  void severalProblemsAreCountedInTheFirstMessage() {
    StreamingJob job = TestJobs.load("minimal");
    job.getMetadata().setName("j".repeat(64));
    job.getSpec().getCheckpoint().setLocation("no-scheme");
    assertThat(VALIDATOR.firstProblem(job, ALL_SECRETS))
        .get()
        .asString()
        .startsWith("spec.checkpoint.location: checkpoint.location must be a URI with a scheme")
        .contains("(and 1 more: metadata.name must be a DNS-1035 label");
  }
}
