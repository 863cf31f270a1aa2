package dev.spate.operator.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.api.v1alpha1.StreamingJobSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LastAppliedSpecTest {

  @Test
  void fullSpecSurvivesTheRoundTrip() {
    StreamingJobSpec spec = Specs.full();

    String json = LastAppliedSpec.serialize(spec);

    assertThat(LastAppliedSpec.parse(json)).contains(spec);
    assertThat(
            SpecChanges.classify(LastAppliedSpec.parse(json).orElseThrow(), Specs.full()).outcome())
        .isEqualTo(SpecChange.Outcome.NONE);
  }

  @Test
  void minimalSpecIsCompactJsonInDeclaredOrder() {
    assertThat(LastAppliedSpec.serialize(Specs.minimal()))
        .isEqualTo(
            "{\"kafka\":{\"bootstrapServers\":\"kafka.kafka.svc:9092\",\"inputTopics\":[\"clicks\"],"
                + "\"outputTopic\":\"clicks-per-user\"},"
                + "\"checkpoint\":{\"location\":\"s3a://spate-checkpoints/analytics/clicks-per-user\"}}");
  }

  @Test
  void sparkConfOrderDoesNotChangeTheString() {
    StreamingJobSpec a = Specs.minimal();
    StreamingJobSpec b = Specs.minimal();
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("spark.b", "2");
    ab.put("spark.a", "1");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("spark.a", "1");
    ba.put("spark.b", "2");
    a.setSparkConf(ab);
    b.setSparkConf(ba);

    assertThat(LastAppliedSpec.serialize(a))
        .isEqualTo(LastAppliedSpec.serialize(b))
        .contains("\"sparkConf\":{\"spark.a\":\"1\",\"spark.b\":\"2\"}");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void nothingStoredIsEmpty(String json) {
    assertThat(LastAppliedSpec.parse(json)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{not json",
        "[1,2]",
        "{\"kafka\":{\"inputTopics\":\"not-a-list\"}}",
        "{\"kafka\":{},\"futureField\":true}",
        "{\"restartPolicy\":{\"type\":\"Sometimes\"}}"
      })
  void aCorruptValueIsAClearError(String json) {
    assertThatThrownBy(() -> LastAppliedSpec.parse(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("status.lastAppliedSpec is not the JSON of a StreamingJob spec: ");
  }

  @Test
  void aCopyIsEqualAndIndependent() {
    StreamingJobSpec spec = Specs.full();

    StreamingJobSpec copy = LastAppliedSpec.copy(spec);
    spec.getExecutor().setMaxExecutors(99);
    spec.getSparkConf().put("spark.new", "x");

    assertThat(copy).isEqualTo(Specs.full()).isNotEqualTo(spec);
  }
}
