package dev.spate.job;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of the job's configuration: {@code 500ms}, {@code 10s}, {@code 30m}, {@code
 * 2h}, {@code 1d}.
 */
public final class Durations {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @param text a whole number followed by a unit {@code ms|s|m|h|d}, e.g. {@code 10s}
   * @return the duration in milliseconds
   * @throws IllegalArgumentException when the text has another form or is not positive
   */
  public static long toMillis(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration like 500ms, 10s, 30m, 2h or 1d");
    }
    long n = Long.parseLong(m.group(1));
    long unit =
        switch (m.group(2)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default -> 86_400_000L;
        };
    if (n <= 0) {
      throw new IllegalArgumentException("'" + text + "' must be longer than zero");
    }
    return Math.multiplyExact(n, unit);
  }
}
