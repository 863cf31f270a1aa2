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
      (namespace, name) -> Optional.of(Set.of("client.properties", "sasl.properties"));

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
    // the referenced Secret exists with the referenced key
    assertThat(VALIDATOR.problems(job, (ns, name) -> Optional.of(Set.of(key)))).isEmpty();
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
  void checkpointSchemeMustBeSupported() {
    StreamingJob job = TestJobs.load("minimal");
    job.getSpec().getCheckpoint().setLocation("ftp://host/checkpoints");
    assertThat(VALIDATOR.problems(job, ALL_SECRETS))
        .singleElement()
        .asString()
        .startsWith(
            "spec.checkpoint.location: scheme ftp is not supported; use one of abfs, abfss, file, gs, hdfs, s3a");
    for (String ok :
        List.of(
            "s3a://b/p",
            "gs://b/p",
            "abfss://c@a.dfs.core.windows.net/p",
            "hdfs://nn/p",
            "file:///checkpoints/x")) {
      job.getSpec().getCheckpoint().setLocation(ok);
      assertThat(VALIDATOR.problems(job, ALL_SECRETS)).as(ok).isEmpty();
    }
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
