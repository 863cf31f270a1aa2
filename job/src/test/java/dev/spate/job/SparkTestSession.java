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
   * @return a fresh directory under target/ for a checkpoint
   */
  static Path checkpointDir(String name) {
    return Path.of(
        System.getProperty("java.io.tmpdir"), "checkpoints", name + "-" + System.nanoTime());
  }
}
