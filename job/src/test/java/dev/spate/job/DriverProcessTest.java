package dev.spate.job;

import static dev.spate.job.KafkaTestClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.testkit.KafkaBrokerExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link StatefulAggregationJob#main} in a child JVM (the test classpath, Spark local[2], config as
 * {@code -Dspark.*} system properties the way spark-submit passes it): exit codes and the
 * termination message.
 */
class DriverProcessTest {

  /** No topic auto-creation: writing to a missing topic fails the query. */
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA =
      new KafkaBrokerExtension(Map.of("auto.create.topics.enable", "false"));

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killChildren() {
    processes.forEach(Process::destroyForcibly);
  }

  private Path workDir(String name) throws Exception {
    return Files.createDirectories(
        Path.of(System.getProperty("java.io.tmpdir"), "driver-" + name + "-" + System.nanoTime()));
  }

  private Process startDriver(Path dir, Map<String, String> conf, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.addAll(
        List.of(System.getProperty("spate.jdk17.opens", "").split(" ")).stream()
            .filter(s -> !s.isBlank())
            .toList());
    cmd.add("-Djava.io.tmpdir=" + dir);
    cmd.add("-Dspark.master=local[2]");
    cmd.add("-Dspark.ui.enabled=false");
    cmd.add("-Dspark.sql.shuffle.partitions=4");
    cmd.add("-Dspark.local.dir=" + dir.resolve("spark-local"));
    conf.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    cmd.add(StatefulAggregationJob.class.getName());
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("driver.log").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private Map<String, String> config(Path dir, String name) {
    return Map.of(
        JobConfigKeys.BOOTSTRAP_SERVERS,
        KAFKA.broker().bootstrapServers(),
        JobConfigKeys.INPUT_TOPICS,
        name + "-in",
        JobConfigKeys.OUTPUT_TOPIC,
        name + "-out",
        JobConfigKeys.CONSUMER_GROUP,
        name,
        JobConfigKeys.CHECKPOINT_LOCATION,
        dir.resolve("checkpoint").toUri().toString(),
        JobConfigKeys.TRIGGER_PROCESSING_TIME,
        "500ms",
        JobConfigKeys.KEY_FIELD,
        "origin",
        JobConfigKeys.TERMINATION_MESSAGE_PATH,
        dir.resolve("termination-log").toString(),
        "spark.sql.streaming.streamingQueryListeners",
        OffsetCommitter.class.getName());
  }

  private static int exitCode(Process p, Path dir) throws Exception {
    boolean exited = p.waitFor(120, TimeUnit.SECONDS);
    assertThat(exited).as("driver exited; log:\n%s", log(dir)).isTrue();
    return p.exitValue();
  }

  private static String log(Path dir) throws Exception {
    File f = dir.resolve("driver.log").toFile();
    return f.exists() ? Files.readString(f.toPath()) : "";
  }

  @Test
  void badConfigurationExitsWithCode2AndSaysWhy() throws Exception {
    Path dir = workDir("bad-config");
    Process p =
        startDriver(
            dir,
            Map.of(
                JobConfigKeys.TERMINATION_MESSAGE_PATH, dir.resolve("termination-log").toString(),
                JobConfigKeys.BOOTSTRAP_SERVERS, KAFKA.broker().bootstrapServers()),
            "kafka.startingOffsets=newest",
            "trigger.processingTime=soon");

    assertThat(exitCode(p, dir)).isEqualTo(StatefulAggregationJob.EXIT_BAD_CONFIGURATION);
    String message = Files.readString(dir.resolve("termination-log"));
    assertThat(message)
        .startsWith("InvalidConfiguration: ")
        .contains(JobConfigKeys.INPUT_TOPICS + " is required")
        .contains(JobConfigKeys.CHECKPOINT_LOCATION + " is required")
        .contains(JobConfigKeys.STARTING_OFFSETS + " must be 'earliest' or 'latest', not 'newest'")
        .contains(JobConfigKeys.TRIGGER_PROCESSING_TIME + ": 'soon' is not a duration");
    assertThat(log(dir)).contains(JobConfigKeys.INPUT_TOPICS + " is required");
  }

  @Test
  void aFailingQueryWritesItsCauseAndExitsNonZero() throws Exception {
    Path dir = workDir("failing");
    KAFKA.broker().createTopic("g-in", 1);
    // the output topic does not exist and cannot be auto-created: the producer gives up after
    // max.block.ms
    Path clientProperties = dir.resolve("client.properties");
    Files.writeString(clientProperties, "max.block.ms=2000\n");
    produce(KAFKA.broker().bootstrapServers(), "g-in", List.of("{\"origin\":\"AAA\"}"), 0);
    Map<String, String> conf = new java.util.HashMap<>(config(dir, "g"));
    conf.put(JobConfigKeys.CLIENT_PROPERTIES_FILE, clientProperties.toString());
    Process p = startDriver(dir, conf);

    assertThat(exitCode(p, dir)).isEqualTo(StatefulAggregationJob.EXIT_FAILED);
    String message = Files.readString(dir.resolve("termination-log"));
    assertThat(message).contains("TimeoutException").contains("g-out");
    assertThat(message.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
  }

  @Test
  void sigtermStopsTheQueryCleanlyAndExitsZero() throws Exception {
    Path dir = workDir("sigterm");
    KAFKA.broker().createTopic("s-in", 2);
    KAFKA.broker().createTopic("s-out", 1);
    produce(
        KAFKA.broker().bootstrapServers(),
        "s-in",
        List.of("{\"origin\":\"AAA\"}", "{\"origin\":\"BBB\"}"),
        0,
        1);
    Process p = startDriver(dir, config(dir, "s"));
    try (var out = new KafkaTestClients.TopicReader(KAFKA.broker().bootstrapServers(), "s-out")) {
      await().atMost(Duration.ofSeconds(120)).until(() -> out.values().size() >= 2 || !p.isAlive());
      assertThat(p.isAlive()).as("driver runs; log:\n%s", log(dir)).isTrue();
    }
    p.toHandle().destroy(); // SIGTERM
    p.toHandle().destroy(); // a second one changes nothing

    assertThat(exitCode(p, dir)).as("exit code; log:\n%s", log(dir)).isZero();
    assertThat(log(dir))
        .contains("SIGTERM: stopping the query")
        .contains("query stopped on request");
    assertThat(dir.resolve("termination-log")).doesNotExist();
  }

  @Test
  void sigtermWhileTheSparkContextStartsExitsZero() throws Exception {
    Path dir = workDir("sigterm-start");
    KAFKA.broker().createTopic("t-in", 1);
    KAFKA.broker().createTopic("t-out", 1);
    Process p = startDriver(dir, config(dir, "t"));
    // logged right before the SparkSession is built, which takes seconds: the JVM's default
    // SIGTERM handling would exit 143 here
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> log(dir).contains("StatefulAggregationJob: starting with") || !p.isAlive());
    assertThat(p.isAlive()).as("driver runs; log:\n%s", log(dir)).isTrue();
    p.toHandle().destroy(); // SIGTERM

    assertThat(exitCode(p, dir)).as("exit code; log:\n%s", log(dir)).isZero();
    assertThat(log(dir))
        .contains("SIGTERM: stopping the query")
        .contains("query stopped on request");
    assertThat(dir.resolve("termination-log")).doesNotExist();
  }
}
