package dev.spate.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spate.api.v1alpha1.CheckpointSpec;
import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.KafkaSpec;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The evaluator on small hand-written CRDs (each feature in isolation) and on the StreamingJob CRD
 * through the Java model.
 */
class CrdRuleEvaluatorTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A CRD whose v1 schema's spec is the given YAML (indented under {@code spec:}). */
  private static CrdRuleEvaluator crd(String specSchema) {
    String crd =
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        spec:
          versions:
          - name: v1
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
        """
            + specSchema.indent(12);
    return CrdRuleEvaluator.fromCrd(yaml(crd), "v1");
  }

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<String> validate(CrdRuleEvaluator evaluator, String resource) {
    return evaluator.validate(yaml(resource)).stream().map(Violation::toString).toList();
  }

  @Test
  void evaluatesRulesOnListItemsWithTheItemIndexInThePath() {
    CrdRuleEvaluator evaluator =
        crd(
            """
            type: object
            properties:
              partitions:
                type: array
                items:
                  type: object
                  properties:
                    topic: {type: string}
                    count: {type: integer}
                  x-kubernetes-validations:
                  - rule: self.count > 0
                    message: count must be positive
            """);

    assertThat(
            validate(
                evaluator,
                """
                spec:
                  partitions:
                  - {topic: a, count: 1}
                  - {topic: b, count: 0}
                  - {topic: c, count: 3}
                """))
        .containsExactly("spec.partitions[1]: count must be positive");
  }

  @Test
  void evaluatesRulesOnMapValuesWithTheKeyInThePath() {
    CrdRuleEvaluator evaluator =
        crd(
            """
            type: object
            properties:
              limits:
                type: object
                additionalProperties:
                  type: integer
                  x-kubernetes-validations:
                  - rule: self <= 10
                    message: at most 10
            """);

    assertThat(validate(evaluator, "spec: {limits: {a: 3, b: 11}}"))
        .containsExactly("spec.limits[b]: at most 10");
  }

  @Test
  void reportsAtTheRulesFieldPathAndEvaluatesMessageExpressions() {
    CrdRuleEvaluator evaluator =
        crd(
            """
            type: object
            x-kubernetes-validations:
            - rule: self.low <= self.high
              fieldPath: .low
              messageExpression: "'low ' + string(self.low) + ' exceeds high ' + string(self.high)"
            properties:
              low: {type: integer}
              high: {type: integer}
            """);

    assertThat(validate(evaluator, "spec: {low: 5, high: 2}"))
        .containsExactly("spec.low: low 5 exceeds high 2");
  }

  @Test
  void appliesSchemaDefaultsBeforeTheRulesButNotToAbsentObjects() {
    CrdRuleEvaluator evaluator =
        crd(
            """
            type: object
            properties:
              bounds:
                type: object
                x-kubernetes-validations:
                - rule: self.min <= self.max
                  message: min above max
                properties:
                  min: {type: integer, default: 1}
                  max: {type: integer, default: 16}
            """);

    assertThat(validate(evaluator, "spec: {bounds: {min: 20}}"))
        .containsExactly("spec.bounds: min above max");
    assertThat(validate(evaluator, "spec: {bounds: {}}")).isEmpty();
    assertThat(validate(evaluator, "spec: {}")).isEmpty();
    assertThat(evaluator.withDefaults(yaml("spec: {bounds: {max: 4}}")))
        .isEqualTo(yaml("spec: {bounds: {min: 1, max: 4}}"));
    assertThat(evaluator.withDefaults(yaml("spec: {}"))).isEqualTo(yaml("spec: {}"));
  }

  @Test
  void checksOpenApiConstraints() {
    CrdRuleEvaluator evaluator =
        crd(
            """
            type: object
            required: [name]
            properties:
              name: {type: string, minLength: 2, maxLength: 4, pattern: '^[a-z]+$'}
              mode: {type: string, enum: [fast, slow]}
              ratio: {type: number, minimum: 0.5, maximum: 2}
              tags: {type: array, minItems: 1, maxItems: 2, items: {type: string}}
            """);

    assertThat(validate(evaluator, "spec: {mode: fast}"))
        .containsExactly("spec.name: Required value");
    assertThat(validate(evaluator, "spec: {name: ABCDE, mode: quick, ratio: 2.5, tags: [a, b, c]}"))
        .containsExactly(
            "spec.name: Too long: may not be more than 4 bytes",
            "spec.name: Invalid value: \"ABCDE\": spec.name in body should match '^[a-z]+$'",
            "spec.mode: Unsupported value: \"quick\": supported values: \"fast\", \"slow\"",
            "spec.ratio: Invalid value: 2.5: spec.ratio in body should be less than or equal to 2",
            "spec.tags: Too many: 3: must have at most 2 items");
    assertThat(validate(evaluator, "spec: {name: a, ratio: 0.1, tags: []}"))
        .containsExactly(
            "spec.name: Invalid value: \"a\": spec.name in body should be at least 2 chars long",
            "spec.ratio: Invalid value: 0.1: spec.ratio in body should be greater than or equal to 0.5",
            "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items");
  }

  @Test
  void reportsUnknownFieldsButAcceptsTheResourceEnvelope() {
    CrdRuleEvaluator evaluator = crd("type: object\nproperties:\n  name: {type: string}\n");

    assertThat(
            validate(
                evaluator,
                """
                apiVersion: example.dev/v1
                kind: Thing
                metadata: {name: x}
                spec: {name: a, nmae: b}
                """))
        .containsExactly("spec.nmae: unknown field \"spec.nmae\"");
  }

  @Test
  void typeErrorsSkipTheCelRulesAsTheApiServerDoes() {
    CrdRuleEvaluator evaluator =
        crd(
            """
            type: object
            x-kubernetes-validations:
            - rule: self.count > 0
              message: count must be positive
            properties:
              count: {type: integer}
            """);

    assertThat(validate(evaluator, "spec: {count: many}"))
        .containsExactly(
            "spec.count: Invalid value: \"string\": spec.count in body must be of type integer:"
                + " \"string\"",
            CrdRuleEvaluator.RULES_SKIPPED);
  }

  @Test
  void reportsARuleThatCannotBeEvaluated() {
    CrdRuleEvaluator evaluator =
        crd(
            """
            type: object
            x-kubernetes-validations:
            - rule: self.missing == 1
              message: never shown
            properties:
              present: {type: integer}
            """);

    assertThat(validate(evaluator, "spec: {present: 1}"))
        .singleElement()
        .asString()
        .startsWith("spec: rule evaluation error: self.missing == 1");
  }

  @Test
  void skipsTransitionRulesWhichNeedTheOldObject() {
    CrdRuleEvaluator evaluator =
        crd(
            """
            type: object
            properties:
              location:
                type: string
                x-kubernetes-validations:
                - rule: self == oldSelf
                  message: immutable
            """);

    assertThat(validate(evaluator, "spec: {location: s3a://a}")).isEmpty();
  }

  @Test
  void refusesACrdUsingAFunctionPlainCelDoesNotKnow() {
    assertThatThrownBy(
            () ->
                crd(
                    """
                    type: object
                    properties:
                      memory:
                        type: string
                        x-kubernetes-validations:
                        - rule: quantity(self).isGreaterThan(quantity('1Gi'))
                    """))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CEL rule does not compile: quantity(self)");
  }

  @Test
  void refusesAMissingVersion() {
    assertThatThrownBy(
            () ->
                CrdRuleEvaluator.fromCrd(
                    yaml("spec: {versions: [{name: v1, schema: {openAPIV3Schema: {}}}]}"), "v2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v2");
  }

  @Test
  void validatesAStreamingJobBuiltInJava() {
    StreamingJob job = new StreamingJob();
    job.setMetadata(new ObjectMetaBuilder().withName("j").withNamespace("ns").build());
    StreamingJobSpec spec = new StreamingJobSpec();
    KafkaSpec kafka = new KafkaSpec();
    kafka.setBootstrapServers("kafka:9092");
    kafka.setInputTopics(List.of("in"));
    kafka.setOutputTopic("out");
    spec.setKafka(kafka);
    CheckpointSpec checkpoint = new CheckpointSpec();
    checkpoint.setLocation("file:///checkpoints/j");
    spec.setCheckpoint(checkpoint);
    job.setSpec(spec);
    CrdRuleEvaluator evaluator = CrdRuleEvaluator.forStreamingJob();

    assertThat(evaluator.validate(job)).isEmpty();

    ExecutorSpec executor = new ExecutorSpec();
    executor.setMinExecutors(5);
    executor.setMaxExecutors(2);
    spec.setExecutor(executor);
    assertThat(evaluator.validate(job))
        .containsExactly(
            new Violation(
                "spec.executor.minExecutors",
                "executor.minExecutors must be less than or equal to executor.maxExecutors"));
  }

  @Test
  void validatesASpecAloneWithPathsFromSpec() {
    CrdRuleEvaluator evaluator = CrdRuleEvaluator.forStreamingJob();

    assertThat(
            evaluator.validateSpec(
                yaml(
                    """
                    kafka: {bootstrapServers: "k:9092", inputTopics: [a], outputTopic: b}
                    checkpoint: {location: "s3a://x/y"}
                    trigger: {processingTime: soon}
                    """)))
        .extracting(Violation::path)
        .containsExactly("spec.trigger.processingTime");
  }
}
