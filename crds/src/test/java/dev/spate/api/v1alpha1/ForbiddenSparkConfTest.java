package dev.spate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.api.validation.Violation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD's CEL rule rejects exactly the families of {@link ForbiddenSparkConf#PREFIXES}: the Java
 * list and the CEL list stay in step (the corpus has a manifest per family with a real key).
 */
class ForbiddenSparkConfTest {

  private static final CrdRuleEvaluator EVALUATOR = CrdRuleEvaluator.forStreamingJob();
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<String> prefixes() {
    return ForbiddenSparkConf.PREFIXES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("prefixes")
  void everyFamilyIsRejectedByTheCrdNamingTheKey(String prefix) {
    String key = prefix + "x";
    assertThat(ForbiddenSparkConf.isForbidden(key)).isTrue();
    List<String> violations =
        EVALUATOR.validateSpec(spec(key)).stream().map(Violation::toString).toList();
    assertThat(violations)
        .singleElement()
        .asString()
        .startsWith("spec.sparkConf: sparkConf must not set " + key + ": ");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("prefixes")
  void theFamilyNameWithoutItsDotIsAnotherKeyAndPasses(String prefix) {
    // e.g. spark.kubernetes.executor.secretsx is no Spark key, but shows the rule matches prefixes
    String key = prefix.substring(0, prefix.length() - 1) + "x";
    assertThat(ForbiddenSparkConf.isForbidden(key)).isFalse();
    // other rules may still refuse it (spark.kubernetes.driver.volumes.* names a spec field);
    // this rule must not
    assertThat(EVALUATOR.validateSpec(spec(key)))
        .map(Violation::toString)
        .noneMatch(v -> v.startsWith("spec.sparkConf: sparkConf must not set " + key + ": "));
  }

  private static ObjectNode spec(String sparkConfKey) {
    ObjectNode spec = JSON.createObjectNode();
    ObjectNode kafka = spec.putObject("kafka");
    kafka.put("bootstrapServers", "kafka:9092");
    kafka.putArray("inputTopics").add("clicks");
    kafka.put("outputTopic", "out");
    spec.putObject("checkpoint").put("location", "s3a://b/p");
    spec.putObject("sparkConf").put(sparkConfKey, "v");
    return spec;
  }
}
