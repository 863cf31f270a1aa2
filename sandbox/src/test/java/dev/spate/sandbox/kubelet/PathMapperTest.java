package dev.spate.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PathMapperTest {

  private final PathMapper mapper;

  PathMapperTest() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("/opt/spark", "/home/sb/spark-home");
    m.put("/opt/spark/conf", "/run/pods/ns/d/volumes/conf");
    m.put("/checkpoints", "/run/volumes/pvc/ns/ckpt");
    m.put("/dev/termination-log", "/run/pods/ns/d/termination-log");
    mapper = PathMapper.of(m);
  }

  @Test
  void longestMountWins() {
    assertThat(mapper.rewrite("/opt/spark/conf/spark.properties"))
        .isEqualTo("/run/pods/ns/d/volumes/conf/spark.properties");
    assertThat(mapper.rewrite("/opt/spark/jars/x.jar")).isEqualTo("/home/sb/spark-home/jars/x.jar");
    assertThat(mapper.rewrite("/opt/spark")).isEqualTo("/home/sb/spark-home");
  }

  @Test
  void rewritesInsideUrisAndProperties() {
    assertThat(mapper.rewrite("local:///opt/spark/examples/jars/job.jar"))
        .isEqualTo("local:///home/sb/spark-home/examples/jars/job.jar");
    assertThat(mapper.rewrite("spark.spate.checkpoint.location=file:///checkpoints/job-a"))
        .isEqualTo("spark.spate.checkpoint.location=file:///run/volumes/pvc/ns/ckpt/job-a");
    assertThat(mapper.rewrite("file:/checkpoints/x,/dev/termination-log"))
        .isEqualTo("file:/run/volumes/pvc/ns/ckpt/x,/run/pods/ns/d/termination-log");
    assertThat(mapper.rewrite("-Dlog=/opt/spark/logs a b"))
        .isEqualTo("-Dlog=/home/sb/spark-home/logs a b");
  }

  @Test
  void onlyWholeSegmentsAtAPathStart() {
    assertThat(mapper.rewrite("/var/checkpoints/x")).isEqualTo("/var/checkpoints/x");
    assertThat(mapper.rewrite("/checkpoints2/x")).isEqualTo("/checkpoints2/x");
    assertThat(mapper.rewrite("/opt/sparkling")).isEqualTo("/opt/sparkling");
    assertThat(mapper.rewrite("hdfs://checkpoints/x")).isEqualTo("hdfs://checkpoints/x");
    assertThat(mapper.rewrite(null)).isNull();
  }

  @Test
  void resolve() {
    assertThat(mapper.resolve("/checkpoints/a")).contains(Path.of("/run/volumes/pvc/ns/ckpt/a"));
    assertThat(mapper.resolve("/elsewhere")).isEmpty();
  }
}
