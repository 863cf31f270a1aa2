package dev.spate.job;

import dev.spate.job.fs.ForkFreeLocalFileSystem;
import dev.spate.job.fs.ForkFreeLocalFs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;

/**
 * Spark settings the bundled job sets when the Spark configuration does not ({@code
 * SparkConf.setIfMissing}: a user's {@code sparkConf} always wins).
 *
 * <ul>
 *   <li>{@value #STATE_STORE_PROVIDER} = {@value #ROCKSDB_PROVIDER}: Spark 3.5's RocksDB state
 *       store keeps the state off the JVM heap (native memory, spilled to local disk), where the
 *       default HDFS-backed provider keeps every key of every state partition as Java objects on
 *       the executor's heap, with up to {@code spark.sql.streaming.maxBatchesToRetainInMemory}
 *       versions (Structured Streaming programming guide, "RocksDB state store implementation").
 *       Spark records the provider in the checkpoint's offset log and a restarted query keeps the
 *       one it started with, so a checkpoint written with the HDFS-backed provider goes on with it.
 *   <li>{@value #ROCKSDB_CHANGELOG} = {@code true}: each micro-batch writes only the changed keys
 *       of a state partition to the checkpoint instead of uploading RocksDB's files (snapshots are
 *       still made in the background); Spark reads checkpoints written either way.
 *   <li>{@value #LOCAL_FS}, {@value #LOCAL_ABSTRACT_FS}: the {@code file} scheme through {@link
 *       ForkFreeLocalFileSystem} and {@link ForkFreeLocalFs}, Hadoop's local file systems except
 *       that they set a new file's mode and check for a symbolic link through {@code java.nio}
 *       instead of forking {@code chmod} and {@code readlink} (which Hadoop does without its native
 *       library, absent from Spark's images). Checkpoints on a volume ({@code file://}) are written
 *       the same way, without child processes; set only when the Spate jar is on the system class
 *       path ({@link #applyTo}).
 * </ul>
 */
public final class SparkDefaults {

  /** Spark SQL key of the state store implementation. */
  public static final String STATE_STORE_PROVIDER = "spark.sql.streaming.stateStore.providerClass";

  /** Spark 3.5's built-in RocksDB state store provider. */
  public static final String ROCKSDB_PROVIDER =
      "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider";

  /** Spark's default, HDFS-backed (in-heap) state store provider. */
  public static final String HDFS_PROVIDER =
      "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider";

  /** Spark SQL key: RocksDB changelog checkpointing. */
  public static final String ROCKSDB_CHANGELOG =
      "spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled";

  /** Spark key setting Hadoop's {@code FileSystem} implementation of the {@code file} scheme. */
  public static final String LOCAL_FS = "spark.hadoop.fs.file.impl";

  /**
   * Spark key setting Hadoop's {@code AbstractFileSystem} ({@code FileContext}) implementation of
   * the {@code file} scheme.
   */
  public static final String LOCAL_ABSTRACT_FS = "spark.hadoop.fs.AbstractFileSystem.file.impl";

  /** The defaults, key → value. */
  public static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    d.put(STATE_STORE_PROVIDER, ROCKSDB_PROVIDER);
    d.put(ROCKSDB_CHANGELOG, "true");
    d.put(LOCAL_FS, ForkFreeLocalFileSystem.class.getName());
    d.put(LOCAL_ABSTRACT_FS, ForkFreeLocalFs.class.getName());
    DEFAULTS = Map.copyOf(d);
  }

  private SparkDefaults() {}

  /**
   * Sets every default the configuration lacks; {@value #LOCAL_FS} and {@value #LOCAL_ABSTRACT_FS}
   * only when the JVM's system class loader sees their classes, that is when the Spate jar is on
   * the class path ({@code spark.driver.extraClassPath}, as the operator sets it, with {@code
   * spark.executor.extraClassPath}) rather than only the application jar of {@code spark-submit}:
   * Hadoop loads a configured file system through a {@code Configuration}'s class loader, which is
   * not always the one holding the application jar (an {@code s3a://} checkpoint's local buffer
   * files asked for {@code file} through one that did not).
   *
   * @param conf the driver's Spark configuration, changed in place
   * @return {@code conf}
   */
  public static SparkConf applyTo(SparkConf conf) {
    boolean onClassPath = onSystemClassPath(ForkFreeLocalFs.class.getName());
    DEFAULTS.forEach(
        (k, v) -> {
          if (onClassPath || !(k.equals(LOCAL_FS) || k.equals(LOCAL_ABSTRACT_FS))) {
            conf.setIfMissing(k, v);
          }
        });
    return conf;
  }

  /**
   * @param className a class name
   * @return whether the JVM's system class loader loads it
   */
  static boolean onSystemClassPath(String className) {
    try {
      Class.forName(className, false, ClassLoader.getSystemClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
