package com.example.origins;

import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * A bring-your-own Structured Streaming application, written the way a Spate user would: it knows
 * nothing of Spate's classes and reads only the {@code spark.spate.*} keys the operator puts in its
 * Spark conf (docs/CONTRACT.md). It counts the records of the input topics per Kafka record key
 * ({@code groupBy(key).count()}, a stateful aggregation kept in Spark's state store) and writes,
 * in update mode, {@code {"key":…,"count":…,"version":…}} to the output topic; {@code version} is
 * the count, which only grows per key, so a consumer keeps the record with the highest one.
 *
 * <p>SandboxBringYourOwnTest compiles this file against the Spark jars into its own jar; the Kafka
 * connector, the offset committer and the executor scaling plugin come from the Spate jar the
 * operator puts on the class path.
 */
public final class OriginCounts {

  private OriginCounts() {}

  public static void main(String[] args) throws TimeoutException, StreamingQueryException {
    SparkSession spark = SparkSession.builder().getOrCreate();
    SparkConf conf = spark.sparkContext().getConf();
    String bootstrap = conf.get("spark.spate.kafka.bootstrapServers");
    Dataset<Row> input =
        spark
            .readStream()
            .format("kafka")
            .option("kafka.bootstrap.servers", bootstrap)
            .option("subscribe", conf.get("spark.spate.kafka.inputTopics"))
            .option("startingOffsets", conf.get("spark.spate.kafka.startingOffsets", "earliest"))
            .option(
                "maxOffsetsPerTrigger", conf.get("spark.spate.kafka.maxOffsetsPerTrigger", "100000"))
            .load();
    Dataset<Row> counts =
        input.selectExpr("CAST(key AS STRING) AS key").groupBy("key").count();
    StreamingQuery query =
        counts
            .selectExpr(
                "key",
                "to_json(named_struct('key', key, 'count', count, 'version', count)) AS value")
            .writeStream()
            .queryName("origin_counts")
            .format("kafka")
            .option("kafka.bootstrap.servers", bootstrap)
            .option("topic", conf.get("spark.spate.kafka.outputTopic"))
            .option("checkpointLocation", conf.get("spark.spate.checkpoint.location"))
            .outputMode("update")
            .trigger(
                Trigger.ProcessingTime(
                    millis(conf.get("spark.spate.trigger.processingTime", "10s"))))
            .start();
    query.awaitTermination();
  }

  /** A trigger interval such as {@code 500ms}, {@code 2s}, {@code 1m} or {@code 1h}, in ms. */
  static long millis(String interval) {
    Matcher m = Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(interval.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an interval: " + interval);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1000;
      case "m" -> n * 60_000;
      default -> n * 3_600_000;
    };
  }
}
