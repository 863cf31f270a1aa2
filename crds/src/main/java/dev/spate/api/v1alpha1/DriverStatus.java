package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** The current driver pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"podName", "startTime"})
public class DriverStatus {

  @JsonPropertyDescription("Name of the driver pod (spark.kubernetes.driver.pod.name).")
  private String podName;

  @JsonPropertyDescription("When the driver pod started, RFC 3339 (Pod.status.startTime).")
  private String startTime;

  /**
   * Name of the driver pod ({@code spark.kubernetes.driver.pod.name}).
   *
   * @return the pod name
   */
  public String getPodName() {
    return podName;
  }

  /**
   * @param podName see {@link #getPodName()}
   */
  public void setPodName(String podName) {
    this.podName = podName;
  }

  /**
   * When the driver pod started, RFC 3339 ({@code Pod.status.startTime}).
   *
   * @return the time
   */
  public String getStartTime() {
    return startTime;
  }

  /**
   * @param startTime see {@link #getStartTime()}
   */
  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DriverStatus that)) {
      return false;
    }
    return Objects.equals(podName, that.podName) && Objects.equals(startTime, that.startTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(podName, startTime);
  }

  @Override
  public String toString() {
    return "DriverStatus{" + "podName=" + podName + ", startTime=" + startTime + "}";
  }
}
