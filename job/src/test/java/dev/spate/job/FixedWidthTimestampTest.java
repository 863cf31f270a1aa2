package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fixed-width fast path reads exactly what {@code java.time} reads, to the same instant, and
 * leaves everything else to it: on every fixed-width pattern of the event-time corpus and more,
 * with generated texts, valid ones and mutated ones.
 */
class FixedWidthTimestampTest {

  private static final Path CORPUS = Path.of("..", "docs", "event-time-formats.tsv");

  private static final List<String> MORE =
      List.of(
          "yyyy/MM/dd HH:mm",
          "yyyy-MM-dd'T'HH:mm:ss.SSS",
          "yyyy-MM-dd'T'HH:mm:ss'Z'",
          "yyyyMMddHHmmss",
          "uuuu-MM-dd",
          "dd.MM.yyyy HH:mm:ss",
          "yyyy-MM-dd HH:mm:ss.SSSSSS",
          "yyyy-MM-dd HH:mm:ss.S",
          "MM/dd/yyyy HH",
          "yyyy-MM-dd HH:mm:ss,SSSSSSSSS");

  /** What EventTimeFormat's java.time path gives: UTC, a date alone at the start of the day. */
  private static Long javaTime(DateTimeFormatter f, String text) {
    try {
      TemporalAccessor t = f.parse(text);
      LocalDate d = LocalDate.from(t);
      LocalTime time = t.query(TemporalQueries.localTime());
      return (time == null ? d.atStartOfDay() : d.atTime(time))
          .toInstant(ZoneOffset.UTC)
          .toEpochMilli();
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static Set<String> patterns() throws Exception {
    Set<String> p = new LinkedHashSet<>();
    for (String line : Files.readAllLines(CORPUS, StandardCharsets.UTF_8)) {
      String[] cols = line.split("\t");
      if (!line.startsWith("#") && cols.length >= 2 && cols[1].equals("yes")) {
        p.add(cols[0]);
      }
    }
    p.addAll(MORE);
    return p;
  }

  @Test
  void takesOnlyFixedWidthUtcPatternsWithAFullDate() {
    assertThat(FixedWidthTimestamp.of("yyyy/MM/dd HH:mm")).isNotNull();
    assertThat(FixedWidthTimestamp.of("yyyy-MM-dd'T'HH:mm:ss.SSS")).isNotNull();
    for (String other :
        List.of(
            "yyyy-MM-dd HH:mm XXX",
            "yyyy-MM-dd HH:mm:ss Z",
            "MMM d yyyy",
            "yy-MM-dd",
            "yyyy-MM-dd hh:mm a",
            "yyyy-MM",
            "yyyy-MM-dd mm",
            "yyyy-MM-dd[ HH:mm]",
            "yyyy-MM-dd''HH",
            "yyyy-DDD",
            "epochMillis")) {
      assertThat(FixedWidthTimestamp.of(other)).as(other).isNull();
    }
  }

  @Test
  void readsWhatJavaTimeReadsAndLeavesTheRestToIt() throws Exception {
    Random random = new Random(42);
    String noise = "0123456789/-: .,TZx";
    int fast = 0;
    int left = 0;
    List<String> eligible = new ArrayList<>();
    for (String pattern : patterns()) {
      FixedWidthTimestamp fw = FixedWidthTimestamp.of(pattern);
      if (fw == null) {
        continue;
      }
      eligible.add(pattern);
      DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        long ms = random.nextLong(-62_000_000_000_000L, 253_000_000_000_000L);
        texts.add(f.format(Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC)));
      }
      List<String> mutated = new ArrayList<>();
      for (String t : texts.subList(0, 500)) {
        char[] c = t.toCharArray();
        c[random.nextInt(c.length)] = noise.charAt(random.nextInt(noise.length()));
        mutated.add(new String(c));
        mutated.add(t.substring(1));
        mutated.add(t + "0");
      }
      texts.addAll(mutated);
      // fields that smart resolving changes, or that do not exist: tokens of 1987-06-15 10:44:33
      String base =
          f.format(
              java.time.LocalDateTime.of(1987, 6, 15, 10, 44, 33, 123_456_789)
                  .atZone(ZoneOffset.UTC));
      String[][] edges = {
        {"06", "02", "15", "30"},
        {"06", "02", "15", "29"},
        {"1987", "2000", "06", "02", "15", "29"},
        {"06", "04", "15", "31"},
        {"1987", "0000"},
        {"06", "00"},
        {"06", "13"},
        {"15", "00"},
        {"10", "24"},
        {"44", "60"},
        {"33", "60"}
      };
      for (String[] edge : edges) {
        String t = base;
        for (int k = 0; k < edge.length; k += 2) {
          t = t.replaceFirst(java.util.regex.Pattern.quote(edge[k]), edge[k + 1]);
        }
        texts.add(t);
      }
      for (String text : texts) {
        long read = fw.read(text);
        Long expected = javaTime(f, text);
        if (read == FixedWidthTimestamp.NOT_READ) {
          left++;
        } else {
          fast++;
          assertThat(expected).as("java.time reads '%s' with '%s'", text, pattern).isNotNull();
          assertThat(read).as("'%s' with '%s'", text, pattern).isEqualTo(expected);
        }
      }
    }
    assertThat(eligible).contains("yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm:ss.SSSSSS");
    assertThat(fast).as("texts the fast path read").isGreaterThan(10 * 2_000);
    assertThat(left).as("texts it left to java.time").isGreaterThan(1_000);
  }

  @Test
  void eventTimeFormatGivesTheSameWithAndWithoutTheFastPath() {
    EventTimeFormat f = EventTimeFormat.of("yyyy/MM/dd HH:mm");
    assertThat(f.parse("2001/02/03 04:05"))
        .isEqualTo(Instant.parse("2001-02-03T04:05:00Z").toEpochMilli());
    // smart resolving, not the fast path: the last day of February
    assertThat(f.parse("2001/02/30 04:05"))
        .isEqualTo(Instant.parse("2001-02-28T04:05:00Z").toEpochMilli());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.parse("2001/02/03 4:05"))
        .isInstanceOf(java.time.format.DateTimeParseException.class);
  }
}
