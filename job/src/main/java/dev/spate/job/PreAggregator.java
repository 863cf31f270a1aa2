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
 * and the state store see one row per key and partition instead of one per record (measured: about
 * 20 % cheaper). Bad records are written straight to the dead-letter topic ({@link DeadLetterSink})
 * before the call returns and never reach the shuffle; one {@linkplain Partial#tally tally row} per
 * call carries their count for the observed metrics.
 *
 * <p>Input rows: {@code key binary, value binary, topic string, partition int, offset long,
 * timestampMs long}, in that order ({@link AggregationQuery#INPUT_COLUMNS}).
 */
public final class PreAggregator implements MapPartitionsFunction<Row, Partial> {

  private static final long serialVersionUID = 1L;

  private final RecordParser parser;
  private final DeadLetterSink deadLetters;

  /**
   * @param parser how records are read
   * @param deadLetters where bad records go, or {@code null}: they are only counted
   */
  public PreAggregator(RecordParser parser, DeadLetterSink deadLetters) {
    this.parser = parser;
    this.deadLetters = deadLetters;
  }

  /**
   * @throws DeadLetterSink.DeadLetterException when a dead-letter record could not be written
   */
  @Override
  public Iterator<Partial> call(Iterator<Row> rows) {
    Map<String, Partial> byKey = new HashMap<>();
    long bad = 0;
    DeadLetterSink.Writer writer = deadLetters == null ? null : deadLetters.open();
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
        bad++;
        if (writer != null) {
          writer.send(
              DeadLetter.record(
                  deadLetters.topic(),
                  r,
                  row.getString(2),
                  row.getInt(3),
                  row.getLong(4),
                  timestamp,
                  key,
                  value));
        }
      }
    }
    if (writer != null) {
      writer.close();
    }
    List<Partial> out = new ArrayList<>(byKey.size() + 1);
    out.addAll(byKey.values());
    out.add(Partial.tally(bad));
    return out.iterator();
  }
}
