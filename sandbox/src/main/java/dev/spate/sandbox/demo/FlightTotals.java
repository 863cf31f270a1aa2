package dev.spate.sandbox.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's independent expectation: per-key count, sum, min and max of a numeric field, computed
 * straight from the data file (a JSON array of objects) without Spark or Kafka.
 *
 * @param records every record, as compact JSON, in file order
 * @param totals key → totals, sorted by key
 */
public record FlightTotals(List<String> records, Map<String, Totals> totals) {

  /**
   * One key's aggregates.
   *
   * @param count number of records
   * @param sum sum of the value field
   * @param min smallest value
   * @param max largest value
   */
  public record Totals(long count, double sum, double min, double max) {

    Totals add(double value) {
      return new Totals(count + 1, sum + value, Math.min(min, value), Math.max(max, value));
    }

    /**
     * @param other totals from elsewhere (e.g. the job's output)
     * @return true when all four agree (sums to 1e-6)
     */
    public boolean matches(Totals other) {
      return other != null
          && count == other.count
          && Math.abs(sum - other.sum) < 1e-6
          && min == other.min
          && max == other.max;
    }
  }

  /**
   * Reads a JSON array of records.
   *
   * @param in the file
   * @param keyField field holding the key (e.g. {@code origin})
   * @param valueField numeric field aggregated (e.g. {@code delay})
   * @return the records and totals
   * @throws IOException when the file is not a JSON array
   * @throws IllegalArgumentException when a record lacks the key or a numeric value
   */
  public static FlightTotals read(InputStream in, String keyField, String valueField)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode array = json.readTree(in);
    if (array == null || !array.isArray()) {
      throw new IOException("expected a JSON array of records");
    }
    List<String> records = new ArrayList<>(array.size());
    Map<String, Totals> totals = new TreeMap<>();
    int index = 0;
    for (JsonNode record : array) {
      JsonNode key = record.get(keyField);
      JsonNode value = record.get(valueField);
      if (key == null || !key.isTextual() || value == null || !value.isNumber()) {
        throw new IllegalArgumentException(
            "record "
                + index
                + " has no text '"
                + keyField
                + "' or no numeric '"
                + valueField
                + "': "
                + record);
      }
      records.add(json.writeValueAsString(record));
      totals.merge(
          key.asText(),
          new Totals(1, value.asDouble(), value.asDouble(), value.asDouble()),
          (a, b) -> a.add(b.sum()));
      index++;
    }
    return new FlightTotals(records, totals);
  }
}
