package dev.spate.job;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The bundled job's streaming queries one test started, stopped after the test (also when it
 * failed), so the next test's queries do not share the SparkSession with them. A test class holds
 * one as {@code @RegisterExtension final StreamingQueries queries = new StreamingQueries();}.
 */
final class StreamingQueries implements AfterEachCallback {

  private final List<StreamingQuery> started = new ArrayList<>();

  /**
   * Starts the job's query ({@link AggregationQuery#start}) on the session.
   *
   * @param conf the job's configuration keys ({@link JobConfigKeys})
   */
  StreamingQuery start(SparkSession spark, Map<String, String> conf) throws Exception {
    return start(spark, JobConfig.from(conf));
  }

  /** Starts the job's query ({@link AggregationQuery#start}) on the session. */
  StreamingQuery start(SparkSession spark, JobConfig config) throws Exception {
    StreamingQuery q = AggregationQuery.start(spark, config);
    started.add(q);
    return q;
  }

  /**
   * Lets the query finish its first three micro-batches (ids 0 to 2), then stops it while a
   * micro-batch runs (trigger active with data), not at a batch boundary: as a killed driver would.
   *
   * @return the id of the last micro-batch that reported progress before the stop
   */
  static long stopAmidMicroBatch(StreamingQuery q, Duration timeout) throws Exception {
    await()
        .atMost(timeout)
        .until(() -> q.lastProgress() != null && q.lastProgress().batchId() >= 2);
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> q.status().isTriggerActive() && q.status().isDataAvailable());
    q.stop();
    return q.lastProgress().batchId();
  }

  /** Stops every query started, in order; the first failure to stop is thrown after the rest. */
  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception failed = null;
    for (StreamingQuery q : started) {
      try {
        q.stop();
      } catch (Exception e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    started.clear();
    if (failed != null) {
      throw failed;
    }
  }
}
