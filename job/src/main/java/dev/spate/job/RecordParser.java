package dev.spate.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;

/**
 * Reads the key, value and event time of one Kafka record in a single streaming pass over its JSON
 * (Jackson's {@link JsonParser}; fields other than the three configured ones are skipped, the whole
 * document is still checked for syntax). Pure and cheap; one instance per task.
 *
 * <p>Rules: the key is the key field's text (a string, number or boolean) or, without a key field,
 * the Kafka key decoded as UTF-8 (bytes that are not UTF-8 make the record bad, {@link
 * BadRecordReason#KEY_NOT_UTF8}: decoding them leniently would merge different keys into one
 * replacement string); the value must be a JSON number; the event time is the field's string or
 * integer read with the configured {@link EventTimeFormat}; without an event-time field it is the
 * Kafka record timestamp.
 */
public final class RecordParser implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  private final JobConfig.ParseSpec spec;
  private final EventTimeFormat timeFormat;

  /**
   * @param spec which fields to read
   * @throws IllegalArgumentException when the event-time format is not accepted ({@link
   *     EventTimeFormat#of})
   */
  public RecordParser(JobConfig.ParseSpec spec) {
    this.spec = spec;
    this.timeFormat = EventTimeFormat.of(spec.eventTimeFormat());
  }

  /**
   * @param kafkaKey the Kafka record key, may be {@code null}
   * @param value the Kafka record value, may be {@code null}
   * @param kafkaTimestampMs the Kafka record timestamp, ms since the epoch
   * @return a good event or the reason it is bad; never throws for bad input
   */
  public ParseResult parse(byte[] kafkaKey, byte[] value, long kafkaTimestampMs) {
    if (value == null || value.length == 0) {
      return ParseResult.bad(BadRecordReason.NOT_JSON, "empty value");
    }
    String key = null;
    boolean keySeen = false;
    double number = 0;
    boolean valueSeen = false;
    String valueProblem = null;
    String timeText = null;
    long timeNumber = 0;
    boolean timeIsNumber = false;
    try (JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return ParseResult.bad(
            BadRecordReason.NOT_A_JSON_OBJECT, "the value is JSON but not an object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals(spec.keyField()) && !keySeen) {
          keySeen = true;
          key = v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : null;
          if (!v.isScalarValue()) {
            p.skipChildren();
          }
        } else if (name.equals(spec.valueField()) && !valueSeen) {
          valueSeen = true;
          if (v.isNumeric()) {
            number = p.getDoubleValue();
          } else {
            valueProblem = "value field '" + name + "' is not a number: " + describe(p, v);
            p.skipChildren();
          }
        } else if (name.equals(spec.eventTimeField()) && timeText == null && !timeIsNumber) {
          if (v == JsonToken.VALUE_NUMBER_INT) {
            timeIsNumber = true;
            timeNumber = p.getLongValue();
          } else if (v == JsonToken.VALUE_STRING) {
            timeText = p.getText();
          } else {
            p.skipChildren();
          }
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        return ParseResult.bad(BadRecordReason.NOT_JSON, "trailing content after the JSON object");
      }
    } catch (IOException e) {
      return ParseResult.bad(BadRecordReason.NOT_JSON, "not JSON: " + firstLine(e.getMessage()));
    }
    if (spec.keyField() == null && kafkaKey != null) {
      try {
        key = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(kafkaKey)).toString();
      } catch (CharacterCodingException e) {
        return ParseResult.bad(
            BadRecordReason.KEY_NOT_UTF8,
            "the Kafka record key ("
                + kafkaKey.length
                + " bytes) is not UTF-8: "
                + e.getClass().getSimpleName());
      }
    }
    if (key == null || key.isEmpty()) {
      return ParseResult.bad(
          BadRecordReason.MISSING_KEY,
          spec.keyField() == null
              ? "the Kafka record has no key"
              : "key field '" + spec.keyField() + "' is missing, null or empty");
    }
    if (spec.valueField() != null) {
      if (valueProblem != null) {
        return ParseResult.bad(BadRecordReason.NON_NUMERIC_VALUE, valueProblem);
      }
      if (!valueSeen) {
        return ParseResult.bad(
            BadRecordReason.NON_NUMERIC_VALUE,
            "value field '" + spec.valueField() + "' is missing");
      }
      if (!Double.isFinite(number)) {
        return ParseResult.bad(BadRecordReason.NON_NUMERIC_VALUE, "value is not finite");
      }
    }
    long eventTime = kafkaTimestampMs;
    if (spec.eventTimeField() != null) {
      if (!timeIsNumber && timeText == null) {
        return ParseResult.bad(
            BadRecordReason.BAD_EVENT_TIME,
            "event time field '"
                + spec.eventTimeField()
                + "' is missing or not a string or integer");
      }
      try {
        eventTime = timeIsNumber ? timeFormat.parse(timeNumber) : timeFormat.parse(timeText);
      } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
        return ParseResult.bad(
            BadRecordReason.BAD_EVENT_TIME,
            "event time '"
                + abbreviate(timeIsNumber ? Long.toString(timeNumber) : timeText)
                + "' cannot be parsed "
                + timeFormat.describe());
      }
    }
    return ParseResult.good(key, number, eventTime);
  }

  private static String describe(JsonParser p, JsonToken v) throws IOException {
    return switch (v) {
      case VALUE_STRING -> "\"" + abbreviate(p.getText()) + "\"";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> p.getText();
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
