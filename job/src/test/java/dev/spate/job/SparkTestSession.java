package dev.spate.job;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a job test class: the job's {@link SparkDefaults} (RocksDB state store),
 * local[2], 4 shuffle partitions, offset committer registered.
 */
final class SparkTestSession {

  static final String CONSUMER_GROUP = "spate-test";

  private SparkTestSession() {}

  static SparkSession start(String bootstrapServers) {
    return start(bootstrapServers, java.util.Map.of());
  }

  /**
   * @param bootstrapServers the test broker
   * @param extra further Spark configuration (e.g. {@code spark.hadoop.fs.s3a.*})
   */
  static SparkSession start(String bootstrapServers, java.util.Map<String, String> extra) {
    SparkSession.Builder b = SparkSession.builder();
    // the job's own defaults (RocksDB state store), so the tests run what the job runs
    SparkDefaults.DEFAULTS.forEach(b::config);
    extra.forEach(b::config);
    return b.master("local[2]")
        .appName("spate-job-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.local.dir", System.getProperty("spark.local.dir", "target/spark-local"))
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.sql.streaming.streamingQueryListeners", OffsetCommitter.class.getName())
        .config(JobConfigKeys.BOOTSTRAP_SERVERS, bootstrapServers)
        .config(JobConfigKeys.CONSUMER_GROUP, CONSUMER_GROUP)
        .getOrCreate();
  }

  /**
   * The job's configuration for the flights test data ({@link TestData}): input {@code <name>-in},
   * output {@code <name>-out}, the test consumer group, key {@code origin}, value {@code delay},
   * event time {@code date}, a 200 ms trigger. The topics are the test's to create.
   *
   * @param checkpointLocation the query's checkpoint, a URI
   * @return a mutable map of {@link JobConfigKeys}, for the test's further keys
   */
  static java.util.Map<String, String> flightsConfig(
      String bootstrapServers, String name, String checkpointLocation) {
    java.util.Map<String, String> c = new java.util.HashMap<>();
    c.put(JobConfigKeys.BOOTSTRAP_SERVERS, bootstrapServers);
    c.put(JobConfigKeys.INPUT_TOPICS, name + "-in");
    c.put(JobConfigKeys.OUTPUT_TOPIC, name + "-out");
    c.put(JobConfigKeys.CONSUMER_GROUP, CONSUMER_GROUP);
    c.put(JobConfigKeys.CHECKPOINT_LOCATION, checkpointLocation);
    c.put(JobConfigKeys.TRIGGER_PROCESSING_TIME, "200ms");
    c.put(JobConfigKeys.KEY_FIELD, "origin");
    c.put(JobConfigKeys.VALUE_FIELD, "delay");
    c.put(JobConfigKeys.EVENT_TIME_FIELD, "date");
    c.put(JobConfigKeys.EVENT_TIME_FORMAT, TestData.DATE_FORMAT);
    return c;
  }

  /**
   * @return a fresh directory under target/ for a checkpoint
   */
  static Path checkpointDir(String name) {
    return Path.of(
        System.getProperty("java.io.tmpdir"), "checkpoints", name + "-" + System.nanoTime());
  }
}
