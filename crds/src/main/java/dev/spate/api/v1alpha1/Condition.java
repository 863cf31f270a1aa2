package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * One observation of an aspect of the job, Strimzi/Kubernetes style: a {@link ConditionType type},
 * a {@code status} of {@value #TRUE}, {@value #FALSE} or {@value #UNKNOWN}, a CamelCase {@code
 * reason}, a human {@code message}, and the RFC 3339 time the status last changed (kept while the
 * status stays the same).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "type",
  "status",
  "reason",
  "message",
  "lastTransitionTime",
  "observedGeneration"
})
public class Condition {

  /** Condition status value. */
  public static final String TRUE = "True";

  /** Condition status value. */
  public static final String FALSE = "False";

  /** Condition status value. */
  public static final String UNKNOWN = "Unknown";

  @JsonPropertyDescription("The type: Ready, Progressing or Degraded.")
  @Required
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  @Required
  private String status;

  @JsonPropertyDescription(
      "Why the condition has its status, one CamelCase word, e.g. InvalidSpec, DriverFailed, Running.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail.")
  private String message;

  @JsonPropertyDescription("When status last changed, RFC 3339 in UTC (e.g. 2026-11-21T20:21:16Z).")
  private String lastTransitionTime;

  @JsonPropertyDescription(
      "metadata.generation of the spec this condition was computed from (as"
          + " metav1.Condition.observedGeneration); older than metadata.generation while the"
          + " operator has not yet reconciled an edit.")
  @Min(0)
  private Long observedGeneration;

  /** An empty condition. */
  public Condition() {}

  /**
   * A condition with every field set.
   *
   * @param type the type
   * @param status {@value #TRUE}, {@value #FALSE} or {@value #UNKNOWN}
   * @param reason CamelCase reason
   * @param message human message
   * @param lastTransitionTime RFC 3339 time
   */
  public Condition(
      ConditionType type, String status, String reason, String message, String lastTransitionTime) {
    this.type = type.value();
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.lastTransitionTime = lastTransitionTime;
  }

  /**
   * The type: {@code Ready}, {@code Progressing} or {@code Degraded} ({@link ConditionType}).
   *
   * @return the type
   */
  public String getType() {
    return type;
  }

  /**
   * @param type see {@link #getType()}
   */
  public void setType(String type) {
    this.type = type;
  }

  /**
   * @param conditionType a type
   * @return whether this condition is of that type
   */
  @JsonIgnore
  public boolean is(ConditionType conditionType) {
    return conditionType.value().equals(type);
  }

  /**
   * {@value #TRUE}, {@value #FALSE} or {@value #UNKNOWN}.
   *
   * @return the status
   */
  public String getStatus() {
    return status;
  }

  /**
   * @param status see {@link #getStatus()}
   */
  public void setStatus(String status) {
    this.status = status;
  }

  /**
   * Why the condition has its status, one CamelCase word, e.g. {@code InvalidSpec}, {@code
   * DriverFailed}, {@code Running}.
   *
   * @return the reason
   */
  public String getReason() {
    return reason;
  }

  /**
   * @param reason see {@link #getReason()}
   */
  public void setReason(String reason) {
    this.reason = reason;
  }

  /**
   * Human-readable detail.
   *
   * @return the message
   */
  public String getMessage() {
    return message;
  }

  /**
   * @param message see {@link #getMessage()}
   */
  public void setMessage(String message) {
    this.message = message;
  }

  /**
   * When {@code status} last changed, RFC 3339 in UTC (e.g. {@code 2026-11-21T20:21:16Z}).
   *
   * @return the time
   */
  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  /**
   * @param lastTransitionTime see {@link #getLastTransitionTime()}
   */
  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  /**
   * {@code metadata.generation} of the spec this condition was computed from ({@code
   * metav1.Condition.observedGeneration}, which Flux's kstatus and {@code kubectl wait} read).
   *
   * @return the generation, or {@code null} when not recorded
   */
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  /**
   * @param observedGeneration see {@link #getObservedGeneration()}
   */
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Condition that)) {
      return false;
    }
    return Objects.equals(type, that.type)
        && Objects.equals(status, that.status)
        && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message)
        && Objects.equals(lastTransitionTime, that.lastTransitionTime)
        && Objects.equals(observedGeneration, that.observedGeneration);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, status, reason, message, lastTransitionTime, observedGeneration);
  }

  @Override
  public String toString() {
    return "Condition{"
        + "type="
        + type
        + ", status="
        + status
        + ", reason="
        + reason
        + ", message="
        + message
        + ", lastTransitionTime="
        + lastTransitionTime
        + ", observedGeneration="
        + observedGeneration
        + "}";
  }
}
