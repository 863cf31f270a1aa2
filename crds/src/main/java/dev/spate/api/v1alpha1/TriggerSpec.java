package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** When micro-batches start. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TriggerSpec {

  @JsonPropertyDescription(
      "Micro-batch interval (Spark Trigger.ProcessingTime; spark.spate.trigger.processingTime): a duration (an integer and ms, s, m or h), 0s starts each micro-batch as soon as the previous one ends. A micro-batch costs 0.5–0.8 s of fixed overhead, so very short intervals waste the cluster. Default 10s.")
  @Default(Defaults.TRIGGER_PROCESSING_TIME)
  @Size(max = 16)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DURATION + "')",
      message = "trigger.processingTime " + ApiPatterns.DURATION_HINT)
  private String processingTime;

  /**
   * Micro-batch interval (Spark {@code Trigger.ProcessingTime}; {@code
   * spark.spate.trigger.processingTime}): a duration ({@link ApiPatterns#DURATION}), {@code 0s}
   * starts each micro-batch as soon as the previous one ends. A micro-batch costs 0.5–0.8 s of
   * fixed overhead, so very short intervals waste the cluster. Default {@value
   * Defaults#TRIGGER_PROCESSING_TIME}.
   *
   * @return the interval, or {@code null} for the default
   */
  public String getProcessingTime() {
    return processingTime;
  }

  /**
   * @param processingTime see {@link #getProcessingTime()}
   */
  public void setProcessingTime(String processingTime) {
    this.processingTime = processingTime;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TriggerSpec that)) {
      return false;
    }
    return Objects.equals(processingTime, that.processingTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(processingTime);
  }

  @Override
  public String toString() {
    return "TriggerSpec{" + "processingTime=" + processingTime + "}";
  }
}
