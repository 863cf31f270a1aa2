package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordParserTest {

  private static final RecordParser FLIGHTS =
      new RecordParser(new JobConfig.ParseSpec("origin", "delay", "date", "yyyy/MM/dd HH:mm"));

  private static ParseResult parse(RecordParser parser, String key, String value) {
    return parser.parse(
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        1_000L);
  }

  @Test
  void readsKeyValueAndEventTimeInOnePass() {
    ParseResult r =
        parse(
            FLIGHTS,
            null,
            "{\"date\":\"2001/01/01 06:17\",\"delay\":-7,\"nested\":{\"origin\":\"no\"},\"origin\":\"AUS\",\"x\":[1,{}]}");
    assertThat(r.isGood()).isTrue();
    assertThat(r.key()).isEqualTo("AUS");
    assertThat(r.value()).isEqualTo(-7.0);
    assertThat(r.eventTimeMs())
        .isEqualTo(java.time.Instant.parse("2001-01-01T06:17:00Z").toEpochMilli());
  }

  @Test
  void withoutFieldsUsesTheKafkaKeyAndTimestampAndCountsOnly() {
    RecordParser plain = new RecordParser(new JobConfig.ParseSpec(null, null, null, null));
    ParseResult r = parse(plain, "user-1", "{\"anything\":true}");
    assertThat(r.isGood()).isTrue();
    assertThat(r.key()).isEqualTo("user-1");
    assertThat(r.eventTimeMs()).isEqualTo(1_000L);
    assertThat(parse(plain, null, "{}").reason()).isEqualTo(BadRecordReason.MISSING_KEY);
  }

  @Test
  void eventTimeWithoutPatternIsIsoOrEpochMillis() {
    RecordParser iso = new RecordParser(new JobConfig.ParseSpec("k", null, "t", null));
    assertThat(parse(iso, null, "{\"k\":1,\"t\":\"2024-05-01T10:00:00+02:00\"}").eventTimeMs())
        .isEqualTo(java.time.Instant.parse("2024-05-01T08:00:00Z").toEpochMilli());
    assertThat(parse(iso, null, "{\"k\":1,\"t\":\"2024-05-01T08:00:00Z\"}").eventTimeMs())
        .isEqualTo(java.time.Instant.parse("2024-05-01T08:00:00Z").toEpochMilli());
    assertThat(parse(iso, null, "{\"k\":1,\"t\":\"2024-05-01T08:00:00\"}").eventTimeMs())
        .isEqualTo(java.time.Instant.parse("2024-05-01T08:00:00Z").toEpochMilli());
    assertThat(parse(iso, null, "{\"k\":1,\"t\":1714550400000}").eventTimeMs())
        .isEqualTo(1714550400000L);
    assertThat(parse(iso, null, "{\"k\":1,\"t\":\"1714550400000\"}").eventTimeMs())
        .isEqualTo(1714550400000L);
    assertThat(parse(iso, null, "{\"k\":1}").reason()).isEqualTo(BadRecordReason.BAD_EVENT_TIME);
  }

  @Test
  void badRecordsGetAReason() {
    assertThat(parse(FLIGHTS, null, null).reason()).isEqualTo(BadRecordReason.NOT_JSON);
    assertThat(parse(FLIGHTS, null, "{\"origin\":").reason()).isEqualTo(BadRecordReason.NOT_JSON);
    assertThat(parse(FLIGHTS, null, "{\"origin\":\"A\"} trailing").reason())
        .isEqualTo(BadRecordReason.NOT_JSON);
    assertThat(parse(FLIGHTS, null, "\"text\"").reason())
        .isEqualTo(BadRecordReason.NOT_A_JSON_OBJECT);
    assertThat(
            parse(FLIGHTS, null, "{\"origin\":null,\"delay\":1,\"date\":\"2001/01/01 06:17\"}")
                .reason())
        .isEqualTo(BadRecordReason.MISSING_KEY);
    assertThat(
            parse(FLIGHTS, null, "{\"origin\":\"\",\"delay\":1,\"date\":\"2001/01/01 06:17\"}")
                .reason())
        .isEqualTo(BadRecordReason.MISSING_KEY);
    ParseResult notNumeric =
        parse(FLIGHTS, null, "{\"origin\":\"A\",\"delay\":\"late\",\"date\":\"2001/01/01 06:17\"}");
    assertThat(notNumeric.reason()).isEqualTo(BadRecordReason.NON_NUMERIC_VALUE);
    assertThat(notNumeric.detail()).isEqualTo("value field 'delay' is not a number: \"late\"");
    assertThat(parse(FLIGHTS, null, "{\"origin\":\"A\",\"date\":\"2001/01/01 06:17\"}").detail())
        .isEqualTo("value field 'delay' is missing");
    ParseResult badTime =
        parse(FLIGHTS, null, "{\"origin\":\"A\",\"delay\":1,\"date\":\"01.01.2001\"}");
    assertThat(badTime.reason()).isEqualTo(BadRecordReason.BAD_EVENT_TIME);
    assertThat(badTime.detail())
        .isEqualTo("event time '01.01.2001' cannot be parsed with pattern 'yyyy/MM/dd HH:mm'");
  }

  @Test
  void kafkaKeysThatAreNotUtf8HaveTheirOwnReason() {
    RecordParser plain = new RecordParser(new JobConfig.ParseSpec(null, null, null, null));
    byte[] value = "{}".getBytes(StandardCharsets.UTF_8);
    // two different invalid keys would both decode leniently to "\uFFFD" and merge
    ParseResult a = plain.parse(new byte[] {(byte) 0xff}, value, 0);
    ParseResult b = plain.parse(new byte[] {(byte) 0xfe}, value, 0);
    assertThat(a.reason()).isEqualTo(BadRecordReason.KEY_NOT_UTF8);
    assertThat(b.reason()).isEqualTo(BadRecordReason.KEY_NOT_UTF8);
    assertThat(a.detail()).startsWith("the Kafka record key (1 bytes) is not UTF-8");
    assertThat(plain.parse("é-ü".getBytes(StandardCharsets.UTF_8), value, 0).key())
        .isEqualTo("é-ü");
    // with a key field the Kafka key is not read at all
    RecordParser byField = new RecordParser(new JobConfig.ParseSpec("k", null, null, null));
    assertThat(
            byField
                .parse(
                    new byte[] {(byte) 0xff}, "{\"k\":\"a\"}".getBytes(StandardCharsets.UTF_8), 0)
                .key())
        .isEqualTo("a");
  }

  @Test
  void numericAndBooleanKeysAreTheirText() {
    RecordParser numericKey = new RecordParser(new JobConfig.ParseSpec("id", null, null, null));
    assertThat(parse(numericKey, null, "{\"id\":42}").key()).isEqualTo("42");
    assertThat(parse(numericKey, null, "{\"id\":{\"a\":1}}").reason())
        .isEqualTo(BadRecordReason.MISSING_KEY);
  }
}
