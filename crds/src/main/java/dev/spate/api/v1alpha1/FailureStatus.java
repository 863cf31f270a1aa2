package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** Why the last driver ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"reason", "message", "exitCode", "time"})
public class FailureStatus {

  @JsonPropertyDescription(
      "CamelCase cause, e.g. DriverFailed, DriverEvicted, DriverDeleted, DriverSucceeded, NoProgress.")
  private String reason;

  @JsonPropertyDescription(
      "The driver container's termination message (the job writes the exception's class and message, first 4 KiB) or the operator's description.")
  private String message;

  @JsonPropertyDescription("Exit code of the driver container, when it exited.")
  private Integer exitCode;

  @JsonPropertyDescription("When the driver ended, RFC 3339.")
  private String time;

  /**
   * CamelCase cause, e.g. {@code DriverFailed}, {@code DriverEvicted}, {@code DriverDeleted},
   * {@code DriverSucceeded}, {@code NoProgress}.
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
   * The driver container's termination message (the job writes the exception's class and message,
   * first 4 KiB) or the operator's description.
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
   * Exit code of the driver container, when it exited.
   *
   * @return the exit code, or {@code null}
   */
  public Integer getExitCode() {
    return exitCode;
  }

  /**
   * @param exitCode see {@link #getExitCode()}
   */
  public void setExitCode(Integer exitCode) {
    this.exitCode = exitCode;
  }

  /**
   * When the driver ended, RFC 3339.
   *
   * @return the time
   */
  public String getTime() {
    return time;
  }

  /**
   * @param time see {@link #getTime()}
   */
  public void setTime(String time) {
    this.time = time;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FailureStatus that)) {
      return false;
    }
    return Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message)
        && Objects.equals(exitCode, that.exitCode)
        && Objects.equals(time, that.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, message, exitCode, time);
  }

  @Override
  public String toString() {
    return "FailureStatus{"
        + "reason="
        + reason
        + ", message="
        + message
        + ", exitCode="
        + exitCode
        + ", time="
        + time
        + "}";
  }
}
