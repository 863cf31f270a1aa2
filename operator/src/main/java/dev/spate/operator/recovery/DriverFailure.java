package dev.spate.operator.recovery;

import dev.spate.api.v1alpha1.FailureStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * How a driver ended without being asked to.
 *
 * @param reason the cause
 * @param message the driver container's termination message when it wrote one (the bundled job
 *     writes the exception's class and message), else Kubernetes' or the operator's description;
 *     never null
 * @param exitCode the driver container's exit code when it exited, else null
 * @param time when the driver ended (container {@code finishedAt}, the deletion request, or the
 *     moment the operator noticed), never null
 */
public record DriverFailure(FailureReason reason, String message, Integer exitCode, Instant time) {

  /**
   * Longest message kept, in characters: a Kubernetes termination message is at most 4096 bytes.
   */
  public static final int MAX_MESSAGE_CHARS = 4096;

  /**
   * @throws NullPointerException when reason, message or time is null
   */
  public DriverFailure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(time, "time");
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS);
    }
  }

  /**
   * The failure as {@code status.restarts.lastFailure}, the time in RFC 3339 to whole seconds.
   *
   * @return a new FailureStatus
   */
  public FailureStatus toStatus() {
    FailureStatus status = new FailureStatus();
    status.setReason(reason.value());
    status.setMessage(message);
    status.setExitCode(exitCode);
    status.setTime(time.truncatedTo(ChronoUnit.SECONDS).toString());
    return status;
  }
}
