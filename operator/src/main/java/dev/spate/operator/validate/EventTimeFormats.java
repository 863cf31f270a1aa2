package dev.spate.operator.validate;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which {@code spec.aggregation.eventTimeFormat} values the bundled job can read: absent, {@value
 * #EPOCH_MILLIS}, {@value #EPOCH_SECONDS}, or a {@code java.time.format.DateTimeFormatter} pattern
 * ({@link Locale#ROOT}) that reads back what it writes — for each of {@link #SAMPLES}, written in
 * UTC and read back (with its offset or zone, else as UTC; a date alone as the start of the day),
 * it must give an instant the pattern writes the same way, at most a day earlier, and at most an
 * hour earlier unless it is midnight (a pattern without a time of day). That rejects patterns
 * without a full date and 12-hour clocks without AM/PM, which would send every record to the
 * dead-letter topic.
 *
 * <p>The job applies the same rule in its own code (it shares no code with the operator);
 * docs/event-time-formats.tsv is the corpus both sides are tested against.
 */
public final class EventTimeFormats {

  /** Named format: epoch milliseconds. */
  public static final String EPOCH_MILLIS = "epochMillis";

  /** Named format: epoch seconds. */
  public static final String EPOCH_SECONDS = "epochSeconds";

  /** Instants a pattern must read back (the job's samples). */
  static final List<Instant> SAMPLES =
      List.of(Instant.parse("2001-02-03T16:05:06.789Z"), Instant.parse("2026-11-28T23:59:58Z"));

  private EventTimeFormats() {}

  /**
   * @param format the configured format, or {@code null}
   * @return why the job cannot read it, or empty when it can
   */
  public static Optional<String> problem(String format) {
    if (format == null || format.equals(EPOCH_MILLIS) || format.equals(EPOCH_SECONDS)) {
      return Optional.empty();
    }
    DateTimeFormatter f;
    try {
      f = DateTimeFormatter.ofPattern(format, Locale.ROOT);
    } catch (IllegalArgumentException e) {
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

  private static boolean readsBack(DateTimeFormatter f, Instant sample, String written) {
    Instant read =
        toInstant(f.parseBest(written, ZonedDateTime::from, LocalDateTime::from, LocalDate::from));
    Duration cut = Duration.between(read, sample);
    boolean midnight = read.atZone(ZoneOffset.UTC).toLocalTime().equals(LocalTime.MIDNIGHT);
    return f.format(read.atZone(ZoneOffset.UTC)).equals(written)
        && !cut.isNegative()
        && cut.compareTo(Duration.ofDays(1)) < 0
        && (cut.compareTo(Duration.ofHours(1)) < 0 || midnight);
  }

  private static Instant toInstant(TemporalAccessor t) {
    if (t instanceof ZonedDateTime z) {
      return z.toInstant();
    }
    if (t instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    }
    return ((LocalDate) t).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
