package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.job.fs.ForkFreeLocalFileSystem;
import dev.spate.job.fs.ForkFreeLocalFs;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * The job's Spark defaults: set when missing, a user's value wins, file systems only if loadable.
 */
class SparkDefaultsTest {

  @Test
  void defaultsFillWhatTheConfigurationLacksAndTheUsersValuesWin() {
    SparkConf conf =
        new SparkConf(false)
            .set(SparkDefaults.STATE_STORE_PROVIDER, SparkDefaults.HDFS_PROVIDER)
            .set(SparkDefaults.LOCAL_FS, "org.apache.hadoop.fs.LocalFileSystem");
    SparkDefaults.applyTo(conf);
    assertThat(conf.get(SparkDefaults.STATE_STORE_PROVIDER)).isEqualTo(SparkDefaults.HDFS_PROVIDER);
    assertThat(conf.get(SparkDefaults.LOCAL_FS)).isEqualTo("org.apache.hadoop.fs.LocalFileSystem");
    assertThat(conf.get(SparkDefaults.ROCKSDB_CHANGELOG)).isEqualTo("true");
    // the test class path is the system class path: the Spate jar's classes are on it
    assertThat(conf.get(SparkDefaults.LOCAL_ABSTRACT_FS))
        .isEqualTo(ForkFreeLocalFs.class.getName());
    assertThat(new SparkConf(false).getAll()).isEmpty();
    assertThat(SparkDefaults.applyTo(new SparkConf(false)).get(SparkDefaults.LOCAL_FS))
        .isEqualTo(ForkFreeLocalFileSystem.class.getName());
  }

  @Test
  void onlyClassesOfTheSystemClassPathCount() {
    assertThat(SparkDefaults.onSystemClassPath(ForkFreeLocalFs.class.getName())).isTrue();
    assertThat(SparkDefaults.onSystemClassPath("dev.spate.job.fs.NoSuchFileSystem")).isFalse();
  }
}
