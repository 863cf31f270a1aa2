package dev.spate.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Builds the bundled job's streaming query: Kafka source → {@link PreAggregator} (parse once, fold
 * per key within a partition, bad records straight to the dead-letter topic) → {@code groupByKey} →
 * {@link KeyStateFunction} ({@code flatMapGroupsWithState}, update mode, processing-time timeout) →
 * Kafka sink (the output topic, through the per-row {@code topic} column).
 *
 * <p>Bad records are counted with the observed metric {@value #METRICS} (columns {@code
 * goodRecords}, {@code badRecords}), visible in every {@code StreamingQueryProgress}.
 */
public final class AggregationQuery {

  /** Name of the streaming query ({@code StreamingQuery.name()}). */
  public static final String QUERY_NAME = "spate-aggregation";

  /** Name of the observed metrics in {@code StreamingQueryProgress.observedMetrics}. */
  public static final String METRICS = "spate";

  /** Columns the map side reads from Spark's Kafka source, in this order. */
  static final String[] INPUT_COLUMNS = {
    "key", "value", "topic", "partition", "offset", "unix_millis(timestamp) AS timestampMs"
  };

  /**
   * Consumer settings the job sets unless the client properties file does. {@code
   * fetch.max.wait.ms} low: with skewed partitions the consumer default (500 ms) dominates a
   * micro-batch (measured on 2 cores).
   */
  static final Map<String, String> CONSUMER_DEFAULTS = Map.of("fetch.max.wait.ms", "10");

  private AggregationQuery() {}

  /**
   * @param c the configuration
   * @return options of Spark's Kafka source ({@code kafka.}-prefixed client settings included,
   *     secret values as references to the mounted client properties file: {@link
   *     JobConfig#executorKafkaProperties()})
   */
  public static Map<String, String> sourceOptions(JobConfig c) {
    Map<String, String> o = new LinkedHashMap<>();
    CONSUMER_DEFAULTS.forEach((k, v) -> o.put("kafka." + k, v));
    c.executorKafkaProperties().forEach((k, v) -> o.put("kafka." + k, v));
    o.put("kafka.bootstrap.servers", c.bootstrapServers());
    o.put("subscribe", c.subscribe());
    o.put("startingOffsets", c.startingOffsets());
    if (c.maxOffsetsPerTrigger() != null) {
      o.put("maxOffsetsPerTrigger", String.valueOf(c.maxOffsetsPerTrigger()));
    }
    return o;
  }

  /**
   * @param c the configuration
   * @return options of Spark's Kafka sink ({@code kafka.}-prefixed client settings included, secret
   *     values as references to the mounted client properties file); the topic comes from each
   *     row's {@code topic} column
   */
  public static Map<String, String> sinkOptions(JobConfig c) {
    Map<String, String> o = new LinkedHashMap<>();
    c.executorKafkaProperties().forEach((k, v) -> o.put("kafka." + k, v));
    o.put("kafka.bootstrap.servers", c.bootstrapServers());
    // no "topic" option: it would override the per-row topic column that routes dead letters
    return o;
  }

  /**
   * @param spark the session
   * @param c the configuration
   * @return the records to write, columns {@code key, topic, value} (Kafka sink schema)
   */
  public static Dataset<OutputRecord> build(SparkSession spark, JobConfig c) {
    Dataset<Row> input =
        spark
            .readStream()
            .format("kafka")
            .options(sourceOptions(c))
            .load()
            .selectExpr(INPUT_COLUMNS);
    Dataset<Partial> partials =
        input
            .mapPartitions(
                new PreAggregator(new RecordParser(c.parse()), deadLetterSink(c)),
                Encoders.bean(Partial.class))
            .observe(
                METRICS,
                sum(col("count")).as("goodRecords"),
                sum(col("badRecords")).as("badRecords"));
    return partials
        .filter((FilterFunction<Partial>) p -> !p.isTally())
        .groupByKey((MapFunction<Partial, String>) Partial::getGroupKey, Encoders.STRING())
        .flatMapGroupsWithState(
            new KeyStateFunction(
                c.outputTopic(), c.parse().valueField() != null, c.stateTimeoutMs()),
            OutputMode.Update(),
            Encoders.bean(KeyState.class),
            Encoders.bean(OutputRecord.class),
            GroupStateTimeout.ProcessingTimeTimeout());
  }

  /**
   * @param c the configuration
   * @return the dead-letter sink, or {@code null} without a dead-letter topic
   */
  static DeadLetterSink deadLetterSink(JobConfig c) {
    return c.deadLetterTopic() == null
        ? null
        : new DeadLetterSink(
            c.deadLetterTopic(), c.bootstrapServers(), c.executorKafkaProperties());
  }

  /**
   * Starts the query.
   *
   * @param spark the session
   * @param c the configuration
   * @return the running query, named {@value #QUERY_NAME}
   * @throws TimeoutException when Spark cannot start the query in time
   */
  public static StreamingQuery start(SparkSession spark, JobConfig c) throws TimeoutException {
    return start(spark, c, Trigger.ProcessingTime(c.triggerIntervalMs()));
  }

  /**
   * Starts the query with another trigger than the configured one (benchmarks use {@code
   * Trigger.AvailableNow()}).
   *
   * @param spark the session
   * @param c the configuration
   * @param trigger the trigger
   * @return the running query, named {@value #QUERY_NAME}
   * @throws TimeoutException when Spark cannot start the query in time
   */
  public static StreamingQuery start(SparkSession spark, JobConfig c, Trigger trigger)
      throws TimeoutException {
    return build(spark, c)
        .writeStream()
        .format("kafka")
        .options(sinkOptions(c))
        .option("checkpointLocation", c.checkpointLocation())
        .outputMode(OutputMode.Update())
        .trigger(trigger)
        .queryName(QUERY_NAME)
        .start();
  }
}
