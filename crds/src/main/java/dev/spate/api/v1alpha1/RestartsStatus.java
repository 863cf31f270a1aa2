package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** Restarts of the driver. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"count", "lastRestartTime", "lastFailure"})
public class RestartsStatus {

  @JsonPropertyDescription(
      "Restarts since the last reset (spec.restartPolicy.resetAfter): the RESTARTS printer column, compared with spec.restartPolicy.maxRestarts.")
  private Integer count;

  @JsonPropertyDescription("When the last restart was made, RFC 3339.")
  private String lastRestartTime;

  @JsonPropertyDescription("Why the last driver ended.")
  private FailureStatus lastFailure;

  /**
   * Restarts since the last reset ({@code spec.restartPolicy.resetAfter}): the RESTARTS printer
   * column, compared with {@code spec.restartPolicy.maxRestarts}.
   *
   * @return the count
   */
  public Integer getCount() {
    return count;
  }

  /**
   * @param count see {@link #getCount()}
   */
  public void setCount(Integer count) {
    this.count = count;
  }

  /**
   * When the last restart was made, RFC 3339.
   *
   * @return the time
   */
  public String getLastRestartTime() {
    return lastRestartTime;
  }

  /**
   * @param lastRestartTime see {@link #getLastRestartTime()}
   */
  public void setLastRestartTime(String lastRestartTime) {
    this.lastRestartTime = lastRestartTime;
  }

  /**
   * Why the last driver ended.
   *
   * @return the failure, or {@code null}
   */
  public FailureStatus getLastFailure() {
    return lastFailure;
  }

  /**
   * @param lastFailure see {@link #getLastFailure()}
   */
  public void setLastFailure(FailureStatus lastFailure) {
    this.lastFailure = lastFailure;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RestartsStatus that)) {
      return false;
    }
    return Objects.equals(count, that.count)
        && Objects.equals(lastRestartTime, that.lastRestartTime)
        && Objects.equals(lastFailure, that.lastFailure);
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, lastRestartTime, lastFailure);
  }

  @Override
  public String toString() {
    return "RestartsStatus{"
        + "count="
        + count
        + ", lastRestartTime="
        + lastRestartTime
        + ", lastFailure="
        + lastFailure
        + "}";
  }
}
