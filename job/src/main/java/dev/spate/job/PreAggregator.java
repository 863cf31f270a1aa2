package dev.spate.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * Map side of the job, one call per Kafka input partition and micro-batch: parses every record once
 * ({@link RecordParser}) and folds the good ones into one {@link Partial} per key, so the shuffle
 * and the state store see one row per key and partition instead of one per record (STACK.md: about
 * 20 % cheaper). Bad records pass through one by one for the dead-letter topic.
 *
 * <p>Input rows: {@code key binary, value binary, topic string, partition int, offset long,
 * timestampMs long}, in that order ({@link AggregationQuery#INPUT_COLUMNS}).
 */
public final class PreAggregator implements MapPartitionsFunction<Row, Partial> {

  private static final long serialVersionUID = 1L;

  private final RecordParser parser;

  /**
   * @param parser how records are read
   */
  public PreAggregator(RecordParser parser) {
    this.parser = parser;
  }

  @Override
  public Iterator<Partial> call(Iterator<Row> rows) {
    Map<String, Partial> byKey = new HashMap<>();
    List<Partial> out = new ArrayList<>();
    while (rows.hasNext()) {
      Row row = rows.next();
      byte[] key = (byte[]) row.get(0);
      byte[] value = (byte[]) row.get(1);
      long timestamp = row.getLong(5);
      ParseResult r = parser.parse(key, value, timestamp);
      if (r.isGood()) {
        Partial p = byKey.get(r.key());
        if (p == null) {
          byKey.put(r.key(), Partial.of(r.key(), r.value(), r.eventTimeMs()));
        } else {
          p.add(r.value(), r.eventTimeMs());
        }
      } else {
        out.add(
            Partial.deadLetter(
                r, row.getString(2), row.getInt(3), row.getLong(4), timestamp, key, value));
      }
    }
    out.addAll(byKey.values());
    return out.iterator();
  }
}
