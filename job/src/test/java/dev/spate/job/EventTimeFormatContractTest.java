package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The job's side of docs/event-time-formats.tsv: the job accepts exactly the formats marked {@code
 * yes} (the operator's SpecValidatorTest pins the same for the validator) and reads every sample to
 * the instant given, or sends it to the dead-letter topic where the corpus says {@code BAD}.
 */
class EventTimeFormatContractTest {

  private static final Path CORPUS = Path.of("..", "docs", "event-time-formats.tsv");

  /** One corpus line. */
  record Row(String format, boolean accepted, String sample, String instant) {}

  static List<Row> corpus() throws Exception {
    return Files.readAllLines(CORPUS, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(
            l -> {
              String[] c = l.split("\t", -1);
              return new Row(
                  c[0].equals("(absent)") ? null : c[0],
                  c[1].equals("yes"),
                  c.length > 2 ? c[2] : null,
                  c.length > 3 ? c[3] : null);
            })
        .toList();
  }

  private static boolean jobAccepts(String format) {
    Map<String, String> c = new HashMap<>();
    c.put(JobConfigKeys.BOOTSTRAP_SERVERS, "localhost:9092");
    c.put(JobConfigKeys.INPUT_TOPICS, "in");
    c.put(JobConfigKeys.OUTPUT_TOPIC, "out");
    c.put(JobConfigKeys.CONSUMER_GROUP, "g");
    c.put(JobConfigKeys.CHECKPOINT_LOCATION, "file:///tmp/cp");
    c.put(JobConfigKeys.EVENT_TIME_FIELD, "t");
    if (format != null) {
      c.put(JobConfigKeys.EVENT_TIME_FORMAT, format);
    }
    try {
      JobConfig.from(c);
      return true;
    } catch (InvalidConfigurationException e) {
      assertThat(e.problems())
          .singleElement()
          .asString()
          .startsWith(JobConfigKeys.EVENT_TIME_FORMAT + ": ");
      return false;
    }
  }

  @Test
  void theJobAcceptsExactlyTheFormatsOfTheCorpusAndReadsItsSamples() throws Exception {
    List<Row> rows = corpus();
    assertThat(rows).hasSizeGreaterThan(20);
    SoftAssertions soft = new SoftAssertions();
    for (Row row : rows) {
      soft.assertThat(jobAccepts(row.format()))
          .as("job accepts format %s", row.format())
          .isEqualTo(row.accepted());
      soft.assertThat(EventTimeFormat.problem(row.format()).isEmpty())
          .as("EventTimeFormat.problem(%s)", row.format())
          .isEqualTo(row.accepted());
      if (!row.accepted() || row.sample() == null) {
        continue;
      }
      RecordParser parser = new RecordParser(new JobConfig.ParseSpec("k", null, "t", row.format()));
      ParseResult r =
          parser.parse(
              null,
              ("{\"k\":\"a\",\"t\":" + row.sample() + "}").getBytes(StandardCharsets.UTF_8),
              0);
      if (row.instant().equals("BAD")) {
        soft.assertThat(r.reason())
            .as("%s read with %s", row.sample(), row.format())
            .isEqualTo(BadRecordReason.BAD_EVENT_TIME);
      } else {
        soft.assertThat(r.isGood())
            .as("%s read with %s: %s", row.sample(), row.format(), r)
            .isTrue();
        soft.assertThat(r.eventTimeMs())
            .as("%s read with %s", row.sample(), row.format())
            .isEqualTo(Instant.parse(row.instant()).toEpochMilli());
      }
    }
    soft.assertAll();
  }
}
