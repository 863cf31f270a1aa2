package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** Executor pods: how many the operator wants and how many are ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"desired", "ready", "summary"})
public class ExecutorsStatus {

  @JsonPropertyDescription(
      "Executors the operator wants: clamp(ceil(partitions / executor.cores), minExecutors, maxExecutors).")
  private Integer desired;

  @JsonPropertyDescription("Executor pods that are Ready.")
  private Integer ready;

  @JsonPropertyDescription("<ready>/<desired>, e.g. 4/4: the EXECUTORS printer column.")
  private String summary;

  /**
   * Executors the operator wants: clamp(ceil(partitions / executor.cores), minExecutors,
   * maxExecutors).
   *
   * @return the count
   */
  public Integer getDesired() {
    return desired;
  }

  /**
   * @param desired see {@link #getDesired()}
   */
  public void setDesired(Integer desired) {
    this.desired = desired;
  }

  /**
   * Executor pods that are Ready.
   *
   * @return the count
   */
  public Integer getReady() {
    return ready;
  }

  /**
   * @param ready see {@link #getReady()}
   */
  public void setReady(Integer ready) {
    this.ready = ready;
  }

  /**
   * {@code <ready>/<desired>}, e.g. {@code 4/4}: the EXECUTORS printer column.
   *
   * @return the summary
   */
  public String getSummary() {
    return summary;
  }

  /**
   * @param summary see {@link #getSummary()}
   */
  public void setSummary(String summary) {
    this.summary = summary;
  }

  /**
   * The {@link #getSummary() summary} text for two counts.
   *
   * @param ready ready executors
   * @param desired desired executors
   * @return {@code ready + "/" + desired}
   */
  public static String summary(int ready, int desired) {
    return ready + "/" + desired;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ExecutorsStatus that)) {
      return false;
    }
    return Objects.equals(desired, that.desired)
        && Objects.equals(ready, that.ready)
        && Objects.equals(summary, that.summary);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desired, ready, summary);
  }

  @Override
  public String toString() {
    return "ExecutorsStatus{"
        + "desired="
        + desired
        + ", ready="
        + ready
        + ", summary="
        + summary
        + "}";
  }
}
