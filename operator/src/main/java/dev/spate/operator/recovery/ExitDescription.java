package dev.spate.operator.recovery;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One human line about how a container ended, for {@code status.restarts.lastFailure.message},
 * conditions and Events: the exit code with its signal name (an exit code above 128 is 128 + the
 * signal number, the shell's and the kubelet's convention; 137 = SIGKILL), Kubernetes' reason when
 * it says more than {@code Error}/{@code Completed} (e.g. {@code OOMKilled}), and the job's
 * termination message when it wrote one.
 *
 * <p>With {@code terminationMessagePolicy: FallbackToLogsOnError} Kubernetes puts the log tail into
 * the termination message when the container wrote none (a {@code kill -9}): such a tail is
 * recognised by its log-line timestamps, and only its last {@code ERROR}/exception line is kept, or
 * nothing.
 */
public final class ExitDescription {

  /** Longest line kept, in characters. */
  public static final int MAX_CHARS = 300;

  private static final Map<Integer, String> SIGNALS =
      Map.of(
          1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 6, "SIGABRT", 9, "SIGKILL", 11, "SIGSEGV", 13,
          "SIGPIPE", 15, "SIGTERM");

  /** A log line: Spark's {@code yy/MM/dd HH:mm:ss LEVEL} or an ISO-8601 timestamp first. */
  private static final Pattern LOG_LINE =
      Pattern.compile(
          "^(\\d{2}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}|\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:).*");

  private static final Pattern FAILURE_LINE = Pattern.compile(".*(\\bERROR\\b|Exception|Error:).*");

  private ExitDescription() {}

  /**
   * The line.
   *
   * @param exitCode the container's exit code, or null
   * @param reason Kubernetes' {@code state.terminated.reason}, or null
   * @param message the termination message (the job's own, or a log tail), or null
   * @return e.g. {@code "Exit code 137 (SIGKILL)"}, {@code "Exit code 1:
   *     java.lang.IllegalStateException: no such topic"}, {@code "Exit code 137 (SIGKILL,
   *     OOMKilled)"}; never null
   */
  public static String line(Integer exitCode, String reason, String message) {
    StringBuilder out = new StringBuilder();
    out.append(exitCode == null ? "Ended" : "Exit code " + exitCode);
    String signal = exitCode != null && exitCode > 128 ? SIGNALS.get(exitCode - 128) : null;
    boolean telling =
        reason != null
            && !reason.isBlank()
            && !"Error".equals(reason)
            && !"Completed".equals(reason);
    if (signal != null || telling) {
      out.append(" (");
      if (signal != null) {
        out.append(signal);
      }
      if (telling) {
        out.append(signal != null ? ", " : "").append(reason.strip());
      }
      out.append(")");
    }
    String text = messageLine(message);
    if (text != null) {
      out.append(": ").append(text);
    }
    return out.length() > MAX_CHARS ? out.substring(0, MAX_CHARS - 1) + "…" : out.toString();
  }

  /** The one line worth showing of a termination message, or null. */
  static String messageLine(String message) {
    if (message == null || message.isBlank()) {
      return null;
    }
    List<String> lines =
        message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    boolean logTail = lines.stream().anyMatch(l -> LOG_LINE.matcher(l).matches());
    if (!logTail) {
      return lines.get(0);
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String l = lines.get(i);
      if (FAILURE_LINE.matcher(l).matches() && !l.startsWith("at ")) {
        return l;
      }
    }
    return null;
  }
}
