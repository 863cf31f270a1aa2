package dev.spate.job;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Entry point of the bundled job: per-key aggregates of JSON records from Kafka, kept in Spark's
 * state store and written back to Kafka (see {@link AggregationQuery}).
 *
 * <p>Configuration: the {@code spark.spate.*} keys of {@link JobConfigKeys} from the Spark
 * configuration ({@code spark-submit --properties-file}/{@code --conf}), overridden by program
 * arguments {@code key=value} (the {@code spark.spate.} prefix may be left out).
 *
 * <p>Exit codes: 0 after a requested stop (SIGTERM: the query is stopped cleanly first); 1 when the
 * query fails or ends by itself (the cause is written to {@link
 * JobConfigKeys#TERMINATION_MESSAGE_PATH}); 2 for bad configuration (also written there).
 */
public final class StatefulAggregationJob {

  /** Exit code for a requested, clean stop. */
  public static final int EXIT_STOPPED = 0;

  /** Exit code when the query failed. */
  public static final int EXIT_FAILED = 1;

  /** Exit code for unusable configuration. */
  public static final int EXIT_BAD_CONFIGURATION = 2;

  /**
   * How long a SIGTERM waits for {@code StreamingQuery.stop()}, s: well within Kubernetes' default
   * grace period of 30 s, since a stop can hang when the executors are deleted at the same time and
   * {@code spark.stop()} still has to run before the SIGKILL.
   */
  private static final long STOP_TIMEOUT_SECONDS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(StatefulAggregationJob.class);

  private StatefulAggregationJob() {}

  /**
   * @param args {@code key=value} overrides of the Spark configuration
   */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /**
   * Runs the job until it is stopped or fails.
   *
   * @param args {@code key=value} overrides of the Spark configuration
   * @return the exit code
   */
  static int run(String[] args) {
    // first: a SIGTERM while the SparkContext starts must not fall to the JVM's default (exit 143)
    StopRequest stop = StopRequest.onSigterm();
    SparkConf sparkConf = new SparkConf(); // spark.* system properties, as spark-submit sets them
    Map<String, String> conf =
        Arrays.stream(sparkConf.getAll())
            .collect(Collectors.toMap(Tuple2::_1, Tuple2::_2, (a, b) -> b));
    String terminationPath = JobConfig.terminationMessagePath(conf);
    JobConfig config;
    try {
      Map<String, String> merged = JobConfig.merge(conf, args);
      config = JobConfig.from(merged);
      // arguments become Spark conf too, so the offset committer and the plugin see them
      merged.forEach(
          (k, v) -> {
            if (k.startsWith(JobConfigKeys.PREFIX)) {
              sparkConf.set(k, v);
            }
          });
    } catch (InvalidConfigurationException e) {
      System.err.println(e.getMessage());
      TerminationMessage.write(terminationPath, "InvalidConfiguration: " + e.getMessage());
      return EXIT_BAD_CONFIGURATION;
    }
    LOG.info("starting with {}", config);
    SparkDefaults.applyTo(sparkConf);
    sparkConf.setIfMissing("spark.app.name", "spate-aggregation");
    SparkSession spark = SparkSession.builder().config(sparkConf).getOrCreate();
    try {
      if (stop.requested()) {
        LOG.info("query stopped on request (before it started)");
        return EXIT_STOPPED;
      }
      spark.streams().addListener(new ProgressLogger());
      StreamingQuery query = AggregationQuery.start(spark, config);
      stop.attach(query);
      query.awaitTermination();
      if (stop.requested()) {
        // awaitTermination returns when the stream thread ends, before stop() has finished
        stop.awaitStopped(STOP_TIMEOUT_SECONDS);
        LOG.info("query stopped on request");
        return EXIT_STOPPED;
      }
      TerminationMessage.write(
          terminationPath, "QueryEnded: the streaming query stopped without a stop request");
      return EXIT_FAILED;
    } catch (Exception e) {
      if (stop.requested()) {
        stop.awaitStopped(STOP_TIMEOUT_SECONDS);
        LOG.info("query stopped on request ({})", e.toString());
        return EXIT_STOPPED;
      }
      LOG.error("query failed", e);
      TerminationMessage.write(terminationPath, TerminationMessage.describe(e));
      return EXIT_FAILED;
    } finally {
      spark.stop();
    }
  }
}
