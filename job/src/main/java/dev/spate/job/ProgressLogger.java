package dev.spate.job;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per micro-batch of the bundled job: input records, records/s, bad records (this
 * batch and in total since the driver started), state rows and state memory.
 */
public final class ProgressLogger extends StreamingQueryListener {

  private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);

  private final AtomicLong badRecordsTotal = new AtomicLong();

  /**
   * @return bad records counted since this listener was registered
   */
  public long badRecordsTotal() {
    return badRecordsTotal.get();
  }

  /**
   * @param progress a micro-batch's progress
   * @return its {@code badRecords} observed metric, 0 when absent
   */
  public static long badRecords(StreamingQueryProgress progress) {
    return metric(progress, "badRecords");
  }

  /**
   * @param progress a micro-batch's progress
   * @return its {@code goodRecords} observed metric, 0 when absent
   */
  public static long goodRecords(StreamingQueryProgress progress) {
    return metric(progress, "goodRecords");
  }

  private static long metric(StreamingQueryProgress progress, String name) {
    Row row =
        progress.observedMetrics() == null
            ? null
            : progress.observedMetrics().get(AggregationQuery.METRICS);
    if (row == null) {
      return 0;
    }
    int i = row.fieldIndex(name);
    return row.isNullAt(i) ? 0 : ((Number) row.get(i)).longValue();
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    LOG.info("query {} (id {}, run {}) started", event.name(), event.id(), event.runId());
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    if (!AggregationQuery.QUERY_NAME.equals(p.name())) {
      return;
    }
    long bad = badRecords(p);
    long total = badRecordsTotal.addAndGet(bad);
    long stateRows = 0;
    long stateBytes = 0;
    for (StateOperatorProgress s : p.stateOperators()) {
      stateRows += s.numRowsTotal();
      stateBytes += s.memoryUsedBytes();
    }
    if (p.numInputRows() > 0
        || LOG.isDebugEnabled()) { // no-data batches (state timeouts) at DEBUG only
      String line =
          "micro-batch {}: {} input records, {} records/s, {} bad records ({} since start), "
              + "{} state rows, {} bytes state memory";
      Object[] args = {
        p.batchId(),
        p.numInputRows(),
        Math.round(p.processedRowsPerSecond()),
        bad,
        total,
        stateRows,
        stateBytes
      };
      if (p.numInputRows() > 0) {
        LOG.info(line, args);
      } else {
        LOG.debug(line, args);
      }
    }
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    LOG.info(
        "query {} terminated{}",
        event.id(),
        event.exception().isDefined() ? " with " + event.exception().get() : "");
  }
}
