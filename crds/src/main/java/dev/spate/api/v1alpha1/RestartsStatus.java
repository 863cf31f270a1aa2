package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Restarts of the driver. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"count", "lastRestartTime", "lastFailure"})
public class RestartsStatus {

  private Integer count;
  private String lastRestartTime;
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

  /** @param count see {@link #getCount()} */
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

  /** @param lastRestartTime see {@link #getLastRestartTime()} */
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

  /** @param lastFailure see {@link #getLastFailure()} */
  public void setLastFailure(FailureStatus lastFailure) {
    this.lastFailure = lastFailure;
  }
}
