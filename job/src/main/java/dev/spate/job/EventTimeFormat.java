package dev.spate.job;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the event-time field is read ({@code spark.spate.aggregation.eventTimeFormat}), one of:
 *
 * <ul>
 *   <li>absent: ISO-8601 ({@link DateTimeFormatter#ISO_DATE_TIME}: with an offset such as {@code
 *       +02:00} or {@code Z}, optionally a zone id, or local time read as UTC; or a date alone
 *       ({@link DateTimeFormatter#ISO_LOCAL_DATE}), read as the start of that day in UTC) or epoch
 *       milliseconds (a JSON integer or a string of digits);
 *   <li>{@value #EPOCH_MILLIS} or {@value #EPOCH_SECONDS}: a JSON integer or a string of digits
 *       (optionally signed), milliseconds or seconds since 1970-01-01T00:00:00Z;
 *   <li>a {@link DateTimeFormatter} pattern (letters of {@code DateTimeFormatter.ofPattern}, {@link
 *       Locale#ROOT} for names of months and days): read with an offset or zone when the pattern
 *       has one ({@code XXX}, {@code Z}, {@code VV}, ...), else as UTC; a pattern with a date and
 *       no time gives the start of the day in UTC. A JSON number is read as its text.
 * </ul>
 *
 * <p>A pattern is accepted only when it reads back what it writes: every sample instant of {@link
 * #SAMPLES}, written with the pattern in UTC, must read back to an instant that the pattern writes
 * the same way. That rejects patterns without a full date (year, month, day), 12-hour clocks
 * without an AM/PM marker and anything else that would send every record to the dead-letter topic.
 * The operator's validator applies the same rule; {@code docs/event-time-formats.tsv} is the corpus
 * both sides are tested against.
 */
public final class EventTimeFormat implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Named format: epoch milliseconds. */
  public static final String EPOCH_MILLIS = "epochMillis";

  /** Named format: epoch seconds. */
  public static final String EPOCH_SECONDS = "epochSeconds";

  /**
   * Instants a pattern must read back: an afternoon hour (a 12-hour clock without AM/PM reads it 12
   * hours early), milliseconds and none, two different years, months and days.
   */
  static final List<Instant> SAMPLES =
      List.of(Instant.parse("2001-02-03T16:05:06.789Z"), Instant.parse("2026-11-28T23:59:58Z"));

  private enum Kind {
    DEFAULT,
    EPOCH_MILLIS,
    EPOCH_SECONDS,
    PATTERN
  }

  private final Kind kind;
  private final String pattern;
  private transient DateTimeFormatter formatter;
  private transient FixedWidthTimestamp fixedWidth;
  private transient boolean fixedWidthChecked;

  private EventTimeFormat(Kind kind, String pattern) {
    this.kind = kind;
    this.pattern = pattern;
  }

  /**
   * @param format the configured format, or {@code null} for the default
   * @return the format
   * @throws IllegalArgumentException when the format is not accepted, with the reason
   */
  public static EventTimeFormat of(String format) {
    if (format == null) {
      return new EventTimeFormat(Kind.DEFAULT, null);
    }
    if (format.equals(EPOCH_MILLIS)) {
      return new EventTimeFormat(Kind.EPOCH_MILLIS, null);
    }
    if (format.equals(EPOCH_SECONDS)) {
      return new EventTimeFormat(Kind.EPOCH_SECONDS, null);
    }
    problem(format)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return new EventTimeFormat(Kind.PATTERN, format);
  }

  /**
   * @param format a configured format
   * @return why it is not accepted, or empty when it is
   */
  public static Optional<String> problem(String format) {
    if (format == null || format.equals(EPOCH_MILLIS) || format.equals(EPOCH_SECONDS)) {
      return Optional.empty();
    }
    DateTimeFormatter f;
    try {
      f = DateTimeFormatter.ofPattern(format, Locale.ROOT);
    } catch (IllegalArgumentException e) {
      // ofPattern's own message names the offending letter
      return Optional.of(
          "'"
              + format
              + "' is neither "
              + EPOCH_MILLIS
              + ", "
              + EPOCH_SECONDS
              + " nor a java.time pattern: "
              + e.getMessage());
    }
    for (Instant sample : SAMPLES) {
      String written;
      try {
        written = f.format(sample.atZone(ZoneOffset.UTC));
        if (readsBack(f, sample, written)) {
          continue;
        }
      } catch (DateTimeException | ArithmeticException e) {
        written = "(cannot be written: " + e.getMessage() + ")";
      }
      return Optional.of(
          "pattern '"
              + format
              + "' cannot read back what it writes ('"
              + written
              + "' for "
              + sample
              + "): it needs a full date (year, month, day) and, for a 12-hour clock, an AM/PM"
              + " marker");
    }
    return Optional.empty();
  }

  /**
   * Whether {@code written} (the sample written with {@code f}) reads back to the sample, cut to
   * the pattern's precision: it writes the same text again, is at most a day earlier, and at most
   * an hour earlier unless the pattern has no time of day (then it is midnight UTC).
   */
  private static boolean readsBack(DateTimeFormatter f, Instant sample, String written) {
    Instant read = Instant.ofEpochMilli(readPattern(f, written));
    Duration cut = Duration.between(read, sample);
    boolean midnight = read.atZone(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
    return f.format(read.atZone(ZoneOffset.UTC)).equals(written)
        && !cut.isNegative()
        && cut.compareTo(Duration.ofDays(1)) < 0
        && (cut.compareTo(Duration.ofHours(1)) < 0 || midnight);
  }

  /**
   * @param text the field's text
   * @return the event time, ms since the epoch
   * @throws DateTimeParseException when the text does not match the format
   * @throws NumberFormatException when an epoch format's text is not a whole number
   * @throws ArithmeticException when epoch seconds overflow milliseconds
   */
  public long parse(String text) {
    return switch (kind) {
      case EPOCH_MILLIS -> Long.parseLong(text);
      case EPOCH_SECONDS -> Math.multiplyExact(Long.parseLong(text), 1000L);
      case PATTERN -> readPatternText(text);
      case DEFAULT -> readDefault(text);
    };
  }

  /** The fixed-width fast path when the pattern has one and the text fits it, else java.time. */
  private long readPatternText(String text) {
    if (!fixedWidthChecked) {
      fixedWidth = FixedWidthTimestamp.of(pattern);
      fixedWidthChecked = true;
    }
    if (fixedWidth != null) {
      long t = fixedWidth.read(text);
      if (t != FixedWidthTimestamp.NOT_READ) {
        return t;
      }
    }
    return readPattern(formatter(), text);
  }

  /**
   * @param number the field's value when it is a JSON integer
   * @return the event time, ms since the epoch
   * @throws DateTimeParseException when a pattern does not match the number's text
   * @throws ArithmeticException when epoch seconds overflow milliseconds
   */
  public long parse(long number) {
    return switch (kind) {
      case DEFAULT, EPOCH_MILLIS -> number;
      case EPOCH_SECONDS -> Math.multiplyExact(number, 1000L);
      case PATTERN -> readPatternText(Long.toString(number));
    };
  }

  /**
   * @return a phrase for messages: what the text was expected to be
   */
  public String describe() {
    return switch (kind) {
      case DEFAULT -> "as ISO-8601 or epoch ms";
      case EPOCH_MILLIS -> "as epoch milliseconds";
      case EPOCH_SECONDS -> "as epoch seconds";
      case PATTERN -> "with pattern '" + pattern + "'";
    };
  }

  private DateTimeFormatter formatter() {
    if (formatter == null) {
      formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    }
    return formatter;
  }

  /**
   * What {@code f.parseBest(text, ZonedDateTime::from, LocalDateTime::from, LocalDate::from)}
   * returns, without its cost: {@code parseBest} tries each query in turn and a query that does not
   * fit throws, so a pattern without a zone paid for an exception per record (measured: a quarter
   * of the map side's CPU). Here the text is parsed once and a query is tried only when the parsed
   * fields can satisfy it (a zone for {@code ZonedDateTime}, a time of day for {@code
   * LocalDateTime}); a query that still fails falls through to the next, as in {@code parseBest}.
   */
  private static long readPattern(DateTimeFormatter f, String text) {
    TemporalAccessor parsed = f.parse(text);
    if (parsed.query(TemporalQueries.zone()) != null) {
      try {
        return toEpochMilli(ZonedDateTime.from(parsed));
      } catch (DateTimeException e) {
        // not enough fields for a ZonedDateTime: try the next query, as parseBest does
      }
    }
    if (parsed.query(TemporalQueries.localTime()) != null) {
      try {
        return toEpochMilli(LocalDateTime.from(parsed));
      } catch (DateTimeException e) {
        // no full date: try the next query, as parseBest does
      }
    }
    try {
      return toEpochMilli(LocalDate.from(parsed));
    } catch (DateTimeException e) {
      throw new DateTimeParseException(
          "Unable to convert parsed text using any of the specified queries", text, 0, e);
    }
  }

  private static long readDefault(String text) {
    if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
      return Long.parseLong(text);
    }
    if (text.indexOf('T') < 0) {
      return toEpochMilli(LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE));
    }
    // parseBest(ZonedDateTime::from, LocalDateTime::from) without its exception per record for a
    // local date-time: ISO_DATE_TIME always has a time of day, so readPattern gives the same
    return readPattern(DateTimeFormatter.ISO_DATE_TIME, text);
  }

  private static long toEpochMilli(TemporalAccessor t) {
    if (t instanceof ZonedDateTime z) {
      return z.toInstant().toEpochMilli();
    }
    if (t instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    return ((LocalDate) t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
