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
 * Exponential backoff between restarts: the n-th restart (n from 1) waits min(initial ×
 * multiplier^(n-1), max).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"initial", "max", "multiplier"})
@ValidationRule(
    value =
        "!has(self.initial) || !has(self.max)"
            + " || !self.initial.matches('"
            + ApiPatterns.DURATION
            + "')"
            + " || !self.max.matches('"
            + ApiPatterns.DURATION
            + "')"
            + " || duration(self.initial) <= duration(self.max)",
    message =
        "restartPolicy.backoff.initial must be less than or equal to restartPolicy.backoff.max",
    fieldPath = ".initial")
public class BackoffSpec {

  @JsonPropertyDescription(
      "Delay before the first restart, a duration (an integer and ms, s, m or h), at most max. Default 10s.")
  @Default(Defaults.BACKOFF_INITIAL)
  @Size(max = 16)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DURATION + "')",
      message = "restartPolicy.backoff.initial " + ApiPatterns.DURATION_HINT)
  private String initial;

  @JsonPropertyDescription(
      "Longest delay between restarts, a duration (an integer and ms, s, m or h). Default 5m.")
  @Default(Defaults.BACKOFF_MAX)
  @Size(max = 16)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DURATION + "')",
      message = "restartPolicy.backoff.max " + ApiPatterns.DURATION_HINT)
  private String max;

  @JsonPropertyDescription(
      "Factor between consecutive delays, 1 to 10 (1 = constant delay). Default 2.0.")
  @Default("2.0")
  @Min(1)
  @Max(10)
  private Double multiplier;

  /**
   * Delay before the first restart, a duration ({@link ApiPatterns#DURATION}), at most {@code max}.
   * Default {@value Defaults#BACKOFF_INITIAL}.
   *
   * @return the delay, or {@code null} for the default
   */
  public String getInitial() {
    return initial;
  }

  /**
   * @param initial see {@link #getInitial()}
   */
  public void setInitial(String initial) {
    this.initial = initial;
  }

  /**
   * Longest delay between restarts, a duration (an integer and ms, s, m or h). Default {@value
   * Defaults#BACKOFF_MAX}.
   *
   * @return the delay, or {@code null} for the default
   */
  public String getMax() {
    return max;
  }

  /**
   * @param max see {@link #getMax()}
   */
  public void setMax(String max) {
    this.max = max;
  }

  /**
   * Factor between consecutive delays, at least 1 (1 = constant delay). Default {@value
   * Defaults#BACKOFF_MULTIPLIER}.
   *
   * @return the factor, or {@code null} for the default
   */
  public Double getMultiplier() {
    return multiplier;
  }

  /**
   * @param multiplier see {@link #getMultiplier()}
   */
  public void setMultiplier(Double multiplier) {
    this.multiplier = multiplier;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BackoffSpec that)) {
      return false;
    }
    return Objects.equals(initial, that.initial)
        && Objects.equals(max, that.max)
        && Objects.equals(multiplier, that.multiplier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(initial, max, multiplier);
  }

  @Override
  public String toString() {
    return "BackoffSpec{"
        + "initial="
        + initial
        + ", max="
        + max
        + ", multiplier="
        + multiplier
        + "}";
  }
}
