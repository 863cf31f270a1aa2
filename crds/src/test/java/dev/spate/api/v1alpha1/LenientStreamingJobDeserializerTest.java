package dev.spate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stored objects the typed model cannot hold are read, never thrown at the informer. */
class LenientStreamingJobDeserializerTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private static String job(String spec, String status) {
    return """
        {"apiVersion":"spate.dev/v1alpha1","kind":"StreamingJob",
         "metadata":{"name":"j","namespace":"ns","generation":3},
         "spec":%s,"status":%s}
        """
        .formatted(spec, status);
  }

  private static final String GOOD_SPEC =
      "{\"kafka\":{\"bootstrapServers\":\"k:9092\",\"inputTopics\":[\"in\"],"
          + "\"outputTopic\":\"out\"},\"checkpoint\":{\"location\":\"file:///c/j\"}}";

  @Test
  void aReadableJobIsReadAsUsual() {
    StreamingJob job =
        SERIALIZATION.unmarshal(job(GOOD_SPEC, "{\"attempt\":2}"), StreamingJob.class);
    assertThat(job.unreadableSpecReason()).isEmpty();
    assertThat(job.getSpec().getKafka().getOutputTopic()).isEqualTo("out");
    assertThat(job.getStatus().getAttempt()).isEqualTo(2);
    assertThat(job.getMetadata().getGeneration()).isEqualTo(3L);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"executor\":{\"cores\":\"lots\"}}|spec.executor.cores cannot be read:",
        "{\"driver\":{\"cores\":3000000000}}|spec.driver.cores cannot be read:",
        "{\"kafka\":{\"startingOffsets\":\"middle\"}}|spec.kafka.startingOffsets cannot be read:",
        "{\"kafka\":{\"inputTopics\":[[1]]}}|spec.kafka.inputTopics[0] cannot be read:",
        "\"run my job\"|spec cannot be read:"
      })
  void anUnreadableSpecIsKeptRawWithItsReason(String spec, String reason) {
    StreamingJob job = SERIALIZATION.unmarshal(job(spec, "null"), StreamingJob.class);
    assertThat(job.unreadableSpecReason())
        .hasValueSatisfying(r -> assertThat(r).startsWith(reason));
    assertThat(job.unreadableSpecReason().get()).doesNotContain("\\n").hasSizeLessThan(400);
    assertThat(job.getMetadata().getName()).isEqualTo("j");

    // a serialised copy (JOSDK's cache clone, a status update) carries the stored spec unchanged
    String written = SERIALIZATION.asJson(job);
    assertThat(SERIALIZATION.unmarshal(written, java.util.Map.class).get("spec"))
        .isEqualTo(
            SERIALIZATION.unmarshal("{\"spec\":" + spec + "}", java.util.Map.class).get("spec"));
    StreamingJob copy = SERIALIZATION.clone(job);
    assertThat(copy.unreadableSpecReason()).isEqualTo(job.unreadableSpecReason());
    assertThat(copy.getSpec()).isEqualTo(job.getSpec());
  }

  @Test
  void anUnreadableStatusIsDroppedAndTheSpecStillRead() {
    StreamingJob job =
        SERIALIZATION.unmarshal(
            job(GOOD_SPEC, "{\"kafka\":{\"lag\":\"many\"}}"), StreamingJob.class);
    assertThat(job.getStatus()).isNull();
    assertThat(job.unreadableSpecReason()).isEmpty();
    assertThat(job.getSpec().getKafka().getInputTopics()).containsExactly("in");
  }
}
