package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * What happens when the driver ends without being asked to: a new driver from the same checkpoint
 * after an exponential backoff, within a budget of restarts.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "maxRestarts", "backoff", "resetAfter"})
public class RestartPolicySpec {

  @JsonPropertyDescription("When to restart. Default Always.")
  @Default(Defaults.RESTART_POLICY_TYPE)
  private RestartPolicyType type;

  @JsonPropertyDescription(
      "Restarts allowed (counted since the last reset, see resetAfter) before the job goes to phase Failed, 0 to 10000; 0 means none. Default 10.")
  @Default("10")
  @Min(0)
  @Max(ApiPatterns.MAX_RESTARTS)
  private Integer maxRestarts;

  @JsonPropertyDescription("Delay before each restart. Default: 10s, doubling, at most 5m.")
  private BackoffSpec backoff;

  @JsonPropertyDescription(
      "A driver that has run this long (a duration: an integer and ms, s, m or h) resets the restart count and the backoff delay. Default 10m.")
  @Default(Defaults.RESET_AFTER)
  @Size(max = 16)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DURATION + "')",
      message = "restartPolicy.resetAfter " + ApiPatterns.DURATION_HINT)
  private String resetAfter;

  /**
   * When to restart. Default {@code Always}.
   *
   * @return the type, or {@code null} for the default
   */
  public RestartPolicyType getType() {
    return type;
  }

  /**
   * @param type see {@link #getType()}
   */
  public void setType(RestartPolicyType type) {
    this.type = type;
  }

  /**
   * Restarts allowed (counted since the last reset, see {@link #getResetAfter()}) before the job
   * goes to phase {@code Failed}; 0 means none. Default {@value Defaults#MAX_RESTARTS}.
   *
   * @return the budget, or {@code null} for the default
   */
  public Integer getMaxRestarts() {
    return maxRestarts;
  }

  /**
   * @param maxRestarts see {@link #getMaxRestarts()}
   */
  public void setMaxRestarts(Integer maxRestarts) {
    this.maxRestarts = maxRestarts;
  }

  /**
   * Delay before each restart. Default: {@value Defaults#BACKOFF_INITIAL}, doubling, at most
   * {@value Defaults#BACKOFF_MAX}.
   *
   * @return the backoff, or {@code null} for the default
   */
  public BackoffSpec getBackoff() {
    return backoff;
  }

  /**
   * @param backoff see {@link #getBackoff()}
   */
  public void setBackoff(BackoffSpec backoff) {
    this.backoff = backoff;
  }

  /**
   * A driver that has run this long (a duration, {@link ApiPatterns#DURATION}) resets the restart
   * count and the backoff delay. Default {@value Defaults#RESET_AFTER}.
   *
   * @return the duration, or {@code null} for the default
   */
  public String getResetAfter() {
    return resetAfter;
  }

  /**
   * @param resetAfter see {@link #getResetAfter()}
   */
  public void setResetAfter(String resetAfter) {
    this.resetAfter = resetAfter;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RestartPolicySpec that)) {
      return false;
    }
    return Objects.equals(type, that.type)
        && Objects.equals(maxRestarts, that.maxRestarts)
        && Objects.equals(backoff, that.backoff)
        && Objects.equals(resetAfter, that.resetAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, maxRestarts, backoff, resetAfter);
  }

  @Override
  public String toString() {
    return "RestartPolicySpec{"
        + "type="
        + type
        + ", maxRestarts="
        + maxRestarts
        + ", backoff="
        + backoff
        + ", resetAfter="
        + resetAfter
        + "}";
  }
}
