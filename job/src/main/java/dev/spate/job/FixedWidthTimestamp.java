package dev.spate.job;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A fast reader for the event-time patterns most data uses: only fixed-width numeric fields of a
 * UTC date-time ({@code yyyy} or {@code uuuu}, {@code MM}, {@code dd}, {@code HH}, {@code mm},
 * {@code ss}, {@code S} to {@code SSSSSSSSS}) and literals ({@code /}, {@code -}, a space, {@code
 * :}, {@code .}, {@code ,}, a quoted {@code 'T'}, ...), such as {@code yyyy/MM/dd HH:mm} or {@code
 * yyyy-MM-dd'T'HH:mm:ss.SSS}.
 *
 * <p>It reads a text only when it has exactly the pattern's layout (each field's digits at their
 * place, each literal as written) and every field is in range for the ISO calendar; for anything
 * else {@link #read} returns {@link #NOT_READ} and {@link EventTimeFormat} asks {@code java.time}'s
 * {@code DateTimeFormatter} (smart resolving, the error message of a bad text). What it does read,
 * {@code DateTimeFormatter.ofPattern(pattern, Locale.ROOT)} reads to the same instant: {@code
 * FixedWidthTimestampTest} compares both on every pattern of the event-time corpus and on generated
 * texts, valid and not. Measured: {@code java.time} parsing and resolving was a third of the job's
 * map side (JFR, {@code JobBenchmark}).
 */
final class FixedWidthTimestamp implements Serializable {

  private static final long serialVersionUID = 1L;

  /** What {@link #read} returns for a text it leaves to {@code java.time}. */
  static final long NOT_READ = Long.MIN_VALUE;

  private static final int YEAR = 0;
  private static final int MONTH = 1;
  private static final int DAY = 2;
  private static final int HOUR = 3;
  private static final int MINUTE = 4;
  private static final int SECOND = 5;
  private static final int FRACTION = 6;

  /** Per position of the layout: a field index (0..6), or -1 for a literal. */
  private final int[] fieldAt;

  /** Per position: the literal character (where {@link #fieldAt} is -1). */
  private final char[] literal;

  /** Digits of the fraction ({@code S} count), 0 without one. */
  private final int fractionDigits;

  private FixedWidthTimestamp(int[] fieldAt, char[] literal, int fractionDigits) {
    this.fieldAt = fieldAt;
    this.literal = literal;
    this.fractionDigits = fractionDigits;
  }

  /**
   * @param pattern a {@code DateTimeFormatter} pattern
   * @return the fast reader of that pattern, or {@code null} when it has anything but the fields
   *     and literals above, or lacks a year, month or day
   */
  static FixedWidthTimestamp of(String pattern) {
    List<Integer> fields = new ArrayList<>();
    StringBuilder literals = new StringBuilder();
    boolean[] seen = new boolean[7];
    int fraction = 0;
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        int end = pattern.indexOf('\'', i + 1);
        if (end < 0 || end == i + 1) {
          return null; // unterminated, or '' (an escaped quote)
        }
        for (int k = i + 1; k < end; k++) {
          fields.add(-1);
          literals.append(pattern.charAt(k));
        }
        i = end + 1;
        continue;
      }
      if (Character.isLetter(c)) {
        int run = 1;
        while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
          run++;
        }
        int field = field(c, run);
        if (field < 0 || seen[field]) {
          return null;
        }
        seen[field] = true;
        if (field == FRACTION) {
          fraction = run;
        }
        for (int k = 0; k < run; k++) {
          fields.add(field);
          literals.append('\0');
        }
        i += run;
        continue;
      }
      if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#') {
        return null; // optional sections and reserved characters
      }
      fields.add(-1);
      literals.append(c);
      i++;
    }
    if (!seen[YEAR] || !seen[MONTH] || !seen[DAY]) {
      return null;
    }
    // a field without the coarser ones (minutes without hours, ...) is left to java.time
    if ((seen[MINUTE] && !seen[HOUR])
        || (seen[SECOND] && !seen[MINUTE])
        || (seen[FRACTION] && !seen[SECOND])) {
      return null;
    }
    int[] at = fields.stream().mapToInt(Integer::intValue).toArray();
    return new FixedWidthTimestamp(at, literals.toString().toCharArray(), fraction);
  }

  /**
   * @return the field index of a letter run this reader reads at a fixed width, or -1
   */
  private static int field(char letter, int run) {
    return switch (letter) {
      case 'y', 'u' -> run == 4 ? YEAR : -1;
      case 'M' -> run == 2 ? MONTH : -1;
      case 'd' -> run == 2 ? DAY : -1;
      case 'H' -> run == 2 ? HOUR : -1;
      case 'm' -> run == 2 ? MINUTE : -1;
      case 's' -> run == 2 ? SECOND : -1;
      case 'S' -> run <= 9 ? FRACTION : -1;
      default -> -1;
    };
  }

  /**
   * @param text the event-time field's text
   * @return ms since the epoch (the text read as UTC, the fraction cut to ms), or {@link #NOT_READ}
   *     when the text is not exactly of the layout or a field is out of range
   */
  long read(String text) {
    if (text.length() != fieldAt.length) {
      return NOT_READ;
    }
    int[] v = new int[7];
    for (int p = 0; p < fieldAt.length; p++) {
      char c = text.charAt(p);
      int f = fieldAt[p];
      if (f < 0) {
        if (c != literal[p]) {
          return NOT_READ;
        }
      } else {
        if (c < '0' || c > '9') {
          return NOT_READ;
        }
        v[f] = v[f] * 10 + (c - '0');
      }
    }
    int year = v[YEAR];
    if (year == 0 || v[MONTH] < 1 || v[MONTH] > 12 || v[DAY] < 1 || v[HOUR] > 23) {
      return NOT_READ; // year-of-era 0, and what smart resolving may change, go to java.time
    }
    if (v[MINUTE] > 59 || v[SECOND] > 59) {
      return NOT_READ;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, v[MONTH], v[DAY]).toEpochDay();
    } catch (DateTimeException e) {
      return NOT_READ; // a day the month lacks: smart resolving moves it, so java.time reads it
    }
    long millis = 0;
    if (fractionDigits > 0) {
      millis = v[FRACTION];
      for (int d = fractionDigits; d < 3; d++) {
        millis *= 10;
      }
      for (int d = fractionDigits; d > 3; d--) {
        millis /= 10;
      }
    }
    return ((epochDay * 24 + v[HOUR]) * 60 + v[MINUTE]) * 60_000L + v[SECOND] * 1000L + millis;
  }
}
