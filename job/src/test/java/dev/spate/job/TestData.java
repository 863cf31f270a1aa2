package dev.spate.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flights slice of src/test/resources/data (see SOURCE.md there) and exact aggregates over it.
 */
final class TestData {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String DATE_FORMAT = "yyyy/MM/dd HH:mm";
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern(DATE_FORMAT);

  private TestData() {}

  /**
   * @return the 3,000 flights as JSON text, one record each
   */
  static List<String> flights() {
    try (InputStream in = TestData.class.getResourceAsStream("/data/flights-3k.jsonl")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Expected aggregate of one key, compared with what the job emits. */
  record Aggregate(
      long count, double sum, double min, double max, String firstEventTime, String lastEventTime) {

    static Aggregate fromOutput(JsonNode n) {
      return new Aggregate(
          n.get("count").asLong(),
          n.get("sum").asDouble(),
          n.get("min").asDouble(),
          n.get("max").asDouble(),
          n.get("firstEventTime").asText(),
          n.get("lastEventTime").asText());
    }
  }

  /**
   * Exact per-origin aggregates of delay, computed here independently of the job.
   *
   * @param records flight JSON records
   * @return origin → aggregate
   */
  static Map<String, Aggregate> expectedByOrigin(List<String> records) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, double[]> values = new TreeMap<>();
    for (String r : records) {
      JsonNode n = read(r);
      String origin = n.get("origin").asText();
      double delay = n.get("delay").asDouble();
      long time =
          LocalDateTime.parse(n.get("date").asText(), DATE)
              .toInstant(ZoneOffset.UTC)
              .toEpochMilli();
      long[] c =
          counts.computeIfAbsent(origin, k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
      double[] v =
          values.computeIfAbsent(
              origin, k -> new double[] {0, Double.MAX_VALUE, -Double.MAX_VALUE});
      c[0]++;
      c[1] = Math.min(c[1], time);
      c[2] = Math.max(c[2], time);
      v[0] += delay;
      v[1] = Math.min(v[1], delay);
      v[2] = Math.max(v[2], delay);
    }
    Map<String, Aggregate> result = new TreeMap<>();
    counts.forEach(
        (k, c) -> {
          double[] v = values.get(k);
          result.put(
              k,
              new Aggregate(
                  c[0],
                  v[0],
                  v[1],
                  v[2],
                  java.time.Instant.ofEpochMilli(c[1]).toString(),
                  java.time.Instant.ofEpochMilli(c[2]).toString()));
        });
    return result;
  }

  static JsonNode read(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
