package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * How the bundled job turns JSON records into per-key state ({@code count, sum, min, max,
 * firstEventTime, lastEventTime, version}). Each field maps to one {@code
 * spark.spate.aggregation.*} key of docs/CONTRACT.md.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"keyField", "valueField", "eventTimeField", "eventTimeFormat", "stateTimeout"})
@ValidationRule(
    value = "!has(self.eventTimeFormat) || has(self.eventTimeField)",
    message = "aggregation.eventTimeFormat needs aggregation.eventTimeField")
public class AggregationSpec {

  @JsonPropertyDescription(
      "Top-level JSON field whose value is the aggregation key (spark.spate.aggregation.keyField). Default (absent): the Kafka record key.")
  @Size(min = 1, max = 256)
  @ValidationRule(
      value = "!self.startsWith(' ') && !self.endsWith(' ')",
      message = "aggregation.keyField must not have leading or trailing spaces")
  private String keyField;

  @JsonPropertyDescription(
      "Top-level numeric JSON field aggregated into sum, min and max (spark.spate.aggregation.valueField). Default (absent): count only.")
  @Size(min = 1, max = 256)
  @ValidationRule(
      value = "!self.startsWith(' ') && !self.endsWith(' ')",
      message = "aggregation.valueField must not have leading or trailing spaces")
  private String valueField;

  @JsonPropertyDescription(
      "Top-level JSON field holding the event time (spark.spate.aggregation.eventTimeField). Default (absent): the Kafka record timestamp.")
  @Size(min = 1, max = 256)
  @ValidationRule(
      value = "!self.startsWith(' ') && !self.endsWith(' ')",
      message = "aggregation.eventTimeField must not have leading or trailing spaces")
  private String eventTimeField;

  @JsonPropertyDescription(
      "java.time.format.DateTimeFormatter pattern of the event time field, e.g. yyyy/MM/dd HH:mm (spark.spate.aggregation.eventTimeFormat). Default (absent): ISO-8601 or epoch milliseconds.")
  @Size(min = 1, max = 64)
  private String eventTimeFormat;

  @JsonPropertyDescription(
      "Processing-time idle interval after which a key's state expires and its last record is emitted marked expired (spark.spate.aggregation.stateTimeout, Spark's GroupStateTimeout.ProcessingTimeTimeout). A duration. Default 30m.")
  @Default(Defaults.STATE_TIMEOUT)
  @Size(max = 16)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DURATION + "')",
      message = "aggregation.stateTimeout " + ApiPatterns.DURATION_HINT)
  private String stateTimeout;

  /**
   * Top-level JSON field whose value is the aggregation key ({@code
   * spark.spate.aggregation.keyField}). Default (absent): the Kafka record key.
   *
   * @return the field name, or {@code null}
   */
  public String getKeyField() {
    return keyField;
  }

  /**
   * @param keyField see {@link #getKeyField()}
   */
  public void setKeyField(String keyField) {
    this.keyField = keyField;
  }

  /**
   * Top-level numeric JSON field aggregated into sum, min and max ({@code
   * spark.spate.aggregation.valueField}). Default (absent): count only.
   *
   * @return the field name, or {@code null}
   */
  public String getValueField() {
    return valueField;
  }

  /**
   * @param valueField see {@link #getValueField()}
   */
  public void setValueField(String valueField) {
    this.valueField = valueField;
  }

  /**
   * Top-level JSON field holding the event time ({@code spark.spate.aggregation.eventTimeField}).
   * Default (absent): the Kafka record timestamp.
   *
   * @return the field name, or {@code null}
   */
  public String getEventTimeField() {
    return eventTimeField;
  }

  /**
   * @param eventTimeField see {@link #getEventTimeField()}
   */
  public void setEventTimeField(String eventTimeField) {
    this.eventTimeField = eventTimeField;
  }

  /**
   * {@code java.time.format.DateTimeFormatter} pattern of the event time field, e.g. {@code
   * yyyy/MM/dd HH:mm} ({@code spark.spate.aggregation.eventTimeFormat}). Default (absent): ISO-8601
   * or epoch milliseconds.
   *
   * @return the pattern, or {@code null}
   */
  public String getEventTimeFormat() {
    return eventTimeFormat;
  }

  /**
   * @param eventTimeFormat see {@link #getEventTimeFormat()}
   */
  public void setEventTimeFormat(String eventTimeFormat) {
    this.eventTimeFormat = eventTimeFormat;
  }

  /**
   * Processing-time idle interval after which a key's state expires and its last record is emitted
   * marked expired ({@code spark.spate.aggregation.stateTimeout}, Spark's {@code
   * GroupStateTimeout.ProcessingTimeTimeout}). A duration ({@link ApiPatterns#DURATION}). Default
   * {@value Defaults#STATE_TIMEOUT}.
   *
   * @return the timeout, or {@code null} for the default
   */
  public String getStateTimeout() {
    return stateTimeout;
  }

  /**
   * @param stateTimeout see {@link #getStateTimeout()}
   */
  public void setStateTimeout(String stateTimeout) {
    this.stateTimeout = stateTimeout;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AggregationSpec that)) {
      return false;
    }
    return Objects.equals(keyField, that.keyField)
        && Objects.equals(valueField, that.valueField)
        && Objects.equals(eventTimeField, that.eventTimeField)
        && Objects.equals(eventTimeFormat, that.eventTimeFormat)
        && Objects.equals(stateTimeout, that.stateTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyField, valueField, eventTimeField, eventTimeFormat, stateTimeout);
  }

  @Override
  public String toString() {
    return "AggregationSpec{"
        + "keyField="
        + keyField
        + ", valueField="
        + valueField
        + ", eventTimeField="
        + eventTimeField
        + ", eventTimeFormat="
        + eventTimeFormat
        + ", stateTimeout="
        + stateTimeout
        + "}";
  }
}
