package dev.spate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spate.api.corpus.Corpus;
import dev.spate.api.corpus.Corpus.Manifest;
import dev.spate.api.validation.CrdRuleEvaluator;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java model against the committed CRD and the corpus. */
class StreamingJobModelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static JsonNode crd;
  private static JsonNode specSchema;

  @BeforeAll
  static void loadCrd() throws IOException {
    try (InputStream in =
        StreamingJobModelTest.class
            .getClassLoader()
            .getResourceAsStream(CrdRuleEvaluator.STREAMING_JOB_CRD)) {
      crd = YAML.readTree(in);
    }
    specSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
  }

  static List<Manifest> valid() {
    return Corpus.valid();
  }

  /** Numbers compare by value: YAML's {@code 1} and the model's {@code 1.0} are the same. */
  private static final Comparator<JsonNode> BY_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return Double.compare(a.asDouble(), b.asDouble());
        }
        return a.equals(b) ? 0 : 1;
      };

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void everyFieldOfAValidManifestSurvivesTheJavaModel(Manifest manifest) {
    JsonNode original = manifest.tree();
    StreamingJob job = manifest.job();
    JsonNode back = JSON.valueToTree(job);

    assertThat(back.get("spec").equals(BY_VALUE, original.get("spec")))
        .as("spec after YAML -> StreamingJob -> JSON: %s", back.get("spec"))
        .isTrue();
    assertThat(back.get("apiVersion").asText()).isEqualTo(StreamingJob.API_VERSION);
    assertThat(back.get("kind").asText()).isEqualTo(StreamingJob.KIND);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void specsAndStatusesCompareByValue(Manifest manifest) {
    StreamingJobSpec a = manifest.job().getSpec();
    StreamingJobSpec b = manifest.job().getSpec();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotSameAs(b);
    assertThat(a.toString()).isEqualTo(b.toString()).contains(a.getKafka().getOutputTopic());

    b.getKafka().setInputTopics(List.of("other"));
    assertThat(a).isNotEqualTo(b);
    b.getKafka().setInputTopics(a.getKafka().getInputTopics());
    b.setCheckpoint(new CheckpointSpec());
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void crdIdentifiesTheResource() {
    assertThat(crd.at("/metadata/name").asText()).isEqualTo("streamingjobs.spate.dev");
    assertThat(crd.at("/spec/group").asText()).isEqualTo("spate.dev");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("StreamingJob");
    assertThat(crd.at("/spec/names/plural").asText()).isEqualTo("streamingjobs");
    assertThat(crd.at("/spec/names/shortNames").toString()).isEqualTo("[\"sj\"]");
    JsonNode version = crd.at("/spec/versions/0");
    assertThat(version.get("name").asText()).isEqualTo("v1alpha1");
    assertThat(version.get("served").asBoolean()).isTrue();
    assertThat(version.get("storage").asBoolean()).isTrue();
    assertThat(version.at("/subresources/status").isObject()).isTrue();
  }

  @Test
  void printerColumnsAreTheOnesKubectlShowsInThatOrder() {
    List<String> columns = new ArrayList<>();
    for (JsonNode c : crd.at("/spec/versions/0/additionalPrinterColumns")) {
      columns.add(
          c.get("name").asText()
              + " "
              + c.get("type").asText()
              + " "
              + c.get("jsonPath").asText()
              + " "
              + c.path("priority").asInt());
    }
    assertThat(columns)
        .containsExactly(
            "Phase string .status.phase 0",
            "Partitions integer .status.kafka.partitions 0",
            "Executors string .status.executors.summary 0",
            "Lag integer .status.kafka.lag 0",
            "Lag-Seconds integer .status.kafka.lagSeconds 0",
            "Restarts integer .status.restarts.count 0",
            "Age date .metadata.creationTimestamp 0",
            "Batch integer .status.kafka.committedBatchId 1",
            "Message string .status.conditions[?(@.type==\"Ready\")].message 1");
  }

  @Test
  void schemaDefaultsAreTheConstantsOfDefaults() {
    Map<String, Object> expected =
        Map.ofEntries(
            Map.entry("/kafka/properties/startingOffsets", Defaults.STARTING_OFFSETS),
            Map.entry("/kafka/properties/maxOffsetsPerTrigger", Defaults.MAX_OFFSETS_PER_TRIGGER),
            Map.entry(
                "/kafka/properties/clientConfigSecretRef/properties/key",
                Defaults.CLIENT_CONFIG_KEY),
            Map.entry("/trigger/properties/processingTime", Defaults.TRIGGER_PROCESSING_TIME),
            Map.entry("/aggregation/properties/stateTimeout", Defaults.STATE_TIMEOUT),
            Map.entry(
                "/checkpoint/properties/volume/properties/mountPath",
                Defaults.CHECKPOINT_MOUNT_PATH),
            Map.entry("/driver/properties/cores", Defaults.DRIVER_CORES),
            Map.entry("/driver/properties/memory", Defaults.DRIVER_MEMORY),
            Map.entry("/executor/properties/cores", Defaults.EXECUTOR_CORES),
            Map.entry("/executor/properties/memory", Defaults.EXECUTOR_MEMORY),
            Map.entry("/executor/properties/minExecutors", Defaults.MIN_EXECUTORS),
            Map.entry("/executor/properties/maxExecutors", Defaults.MAX_EXECUTORS),
            Map.entry("/restartPolicy/properties/type", Defaults.RESTART_POLICY_TYPE),
            Map.entry("/restartPolicy/properties/maxRestarts", Defaults.MAX_RESTARTS),
            Map.entry(
                "/restartPolicy/properties/backoff/properties/initial", Defaults.BACKOFF_INITIAL),
            Map.entry("/restartPolicy/properties/backoff/properties/max", Defaults.BACKOFF_MAX),
            Map.entry(
                "/restartPolicy/properties/backoff/properties/multiplier",
                Defaults.BACKOFF_MULTIPLIER),
            Map.entry("/restartPolicy/properties/resetAfter", Defaults.RESET_AFTER),
            Map.entry("/suspend", Defaults.SUSPEND),
            Map.entry("/restartNonce", Defaults.RESTART_NONCE));
    expected.forEach(
        (path, value) -> {
          JsonNode actual = specSchema.at(path + "/default");
          assertThat(actual.isMissingNode()).as("default at spec%s", path).isFalse();
          assertThat(actual.equals(BY_VALUE, JSON.valueToTree(value)))
              .as("default at spec%s is %s, Defaults says %s", path, actual, value)
              .isTrue();
        });
    assertThat(Defaults.consumerGroup("analytics", "clicks")).isEqualTo("spate.analytics.clicks");
  }

  @Test
  void defaultsSatisfyTheirOwnRules() throws IOException {
    CrdRuleEvaluator evaluator = CrdRuleEvaluator.forStreamingJob();
    String spec =
        """
        kafka: {bootstrapServers: "kafka:9092", inputTopics: [in], outputTopic: out}
        checkpoint: {location: "file:///checkpoints/job", volume: {claimName: ckpt}}
        aggregation: {}
        trigger: {}
        driver: {}
        executor: {}
        restartPolicy: {backoff: {}}
        """;
    JsonNode resource = YAML.readTree("spec:\n" + spec.indent(2));

    JsonNode defaulted = evaluator.withDefaults(resource).get("spec");
    assertThat(defaulted.at("/executor/maxExecutors").asInt()).isEqualTo(Defaults.MAX_EXECUTORS);
    assertThat(defaulted.at("/driver/memory").asText()).isEqualTo(Defaults.DRIVER_MEMORY);
    assertThat(defaulted.at("/restartPolicy/backoff/initial").asText())
        .isEqualTo(Defaults.BACKOFF_INITIAL);
    assertThat(defaulted.at("/checkpoint/volume/mountPath").asText())
        .isEqualTo(Defaults.CHECKPOINT_MOUNT_PATH);
    assertThat(defaulted.has("sparkConf")).as("absent objects stay absent").isFalse();
    assertThat(evaluator.validate(resource)).isEmpty();
  }

  @Test
  void everyOwnedSparkConfKeyIsRejectedByTheCrdAndNoOtherExactKey() throws IOException {
    CrdRuleEvaluator evaluator = CrdRuleEvaluator.forStreamingJob();
    for (String key : OwnedSparkConf.KEYS) {
      assertThat(evaluator.validateSpec(specWithSparkConf(key)))
          .as(key)
          .singleElement()
          .satisfies(
              v ->
                  assertThat(v.message())
                      .startsWith("sparkConf must not set keys the operator owns"));
      assertThat(OwnedSparkConf.isOwned(key)).isTrue();
    }
    assertThat(evaluator.validateSpec(specWithSparkConf("spark.spate.anything")))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("spark.spate.*"));
    assertThat(OwnedSparkConf.isOwned("spark.spate.anything")).isTrue();
    assertThat(evaluator.validateSpec(specWithSparkConf("spark.sql.adaptive.enabled"))).isEmpty();
    // class lists the operator merges with its own are accepted
    for (String key : OwnedSparkConf.MERGED_KEYS) {
      assertThat(evaluator.validateSpec(specWithSparkConf(key))).as(key).isEmpty();
      assertThat(OwnedSparkConf.isOwned(key)).as(key).isFalse();
    }
    assertThat(OwnedSparkConf.isOwned("spark.sql.adaptive.enabled")).isFalse();

    // the CEL list holds exactly OwnedSparkConf.KEYS: nothing rejected that the operator allows
    String rule =
        StreamSupport.stream(
                specSchema.at("/sparkConf/x-kubernetes-validations").spliterator(), false)
            .map(r -> r.get("rule").asText())
            .filter(r -> r.contains(".exists(k, k in self)") && r.contains("'spark.master'"))
            .findFirst()
            .orElseThrow();
    List<String> quoted = new ArrayList<>();
    Matcher m = Pattern.compile("'([^']+)'").matcher(rule);
    while (m.find()) {
      quoted.add(m.group(1));
    }
    assertThat(quoted).containsExactlyInAnyOrderElementsOf(OwnedSparkConf.KEYS);
  }

  @Test
  void podTemplateKeysAreRejectedNamingTheSpecFieldsToUseInstead() throws IOException {
    CrdRuleEvaluator evaluator = CrdRuleEvaluator.forStreamingJob();
    for (String key : OwnedSparkConf.POD_TEMPLATE_KEYS) {
      assertThat(evaluator.validateSpec(specWithSparkConf(key)))
          .as(key)
          .singleElement()
          .satisfies(
              v ->
                  assertThat(v.message())
                      .contains("podTemplateFile")
                      .contains("spec.driver and spec.executor imagePullSecrets"));
      assertThat(OwnedSparkConf.isOwned(key)).as(key).isTrue();
    }
  }

  @Test
  void reservedLabelsOfTheCelRuleAreTheJavaList() {
    List<String> quoted = new ArrayList<>();
    Matcher m = Pattern.compile("'([^']+)'").matcher(PodSettings.RESERVED_LABELS_CEL);
    while (m.find()) {
      quoted.add(m.group(1));
    }
    assertThat(quoted).containsExactlyElementsOf(PodSettings.RESERVED_LABELS);
  }

  private static JsonNode specWithSparkConf(String key) throws IOException {
    return YAML.readTree(
        """
        kafka: {bootstrapServers: "kafka:9092", inputTopics: [in], outputTopic: out}
        checkpoint: {location: "s3a://b/p"}
        sparkConf: {"%s": "x"}
        """
            .formatted(key));
  }

  @Test
  void enumsAndStatusSerializeAsTheCrdSpellsThem() throws IOException {
    StreamingJobStatus status = new StreamingJobStatus();
    status.setPhase(Phase.RUNNING);
    ExecutorsStatus executors = new ExecutorsStatus();
    executors.setReady(3);
    executors.setDesired(4);
    executors.setSummary(ExecutorsStatus.summary(3, 4));
    status.setExecutors(executors);
    status.putCondition(
        new Condition(
            ConditionType.READY, Condition.FALSE, "Starting", "waiting", "2026-11-21T20:00:00Z"));
    status.putCondition(
        new Condition(
            ConditionType.READY, Condition.TRUE, "Running", "ok", "2026-11-21T20:01:00Z"));
    status.putCondition(
        new Condition(
            ConditionType.DEGRADED, Condition.FALSE, "Healthy", "", "2026-11-21T20:01:00Z"));

    JsonNode json = JSON.valueToTree(status);
    assertThat(json.get("phase").asText()).isEqualTo("Running");
    assertThat(json.at("/executors/summary").asText()).isEqualTo("3/4");
    assertThat(json.get("conditions")).hasSize(2);
    assertThat(status.condition(ConditionType.READY))
        .get()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
    assertThat(status.condition(ConditionType.PROGRESSING)).isEmpty();
    assertThat(JSON.readValue(JSON.writeValueAsString(status), StreamingJobStatus.class).getPhase())
        .isEqualTo(Phase.RUNNING);

    List<String> phases = new ArrayList<>();
    for (Phase p : Phase.values()) {
      phases.add(JSON.valueToTree(p).asText());
      assertThat(JSON.valueToTree(p).asText()).isEqualTo(p.value());
    }
    assertThat(phases)
        .containsExactlyInAnyOrderElementsOf(
            StreamSupport.stream(
                    crd.at(
                            "/spec/versions/0/schema/openAPIV3Schema/properties/status/properties/phase/enum")
                        .spliterator(),
                    false)
                .map(JsonNode::asText)
                .toList());
    for (StartingOffsets s : StartingOffsets.values()) {
      assertThat(JSON.valueToTree(s).asText()).isEqualTo(s.value());
    }
    for (RestartPolicyType t : RestartPolicyType.values()) {
      assertThat(JSON.valueToTree(t).asText()).isEqualTo(t.value());
    }
  }
}
