package dev.spate.job.bench;

import dev.spate.job.JobConfigKeys;
import dev.spate.job.StatefulAggregationJob;
import dev.spate.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;

/**
 * A flood of bad records through the bundled job: {@code bench.records} (default 1,000,000) bad
 * records (five kinds: not JSON, not an object, no key, non-numeric value, bad event time) over 4
 * partitions, read by the job in one micro-batch ({@code maxOffsetsPerTrigger} unset), every one of
 * them to the dead-letter topic. The job runs {@link StatefulAggregationJob#main} in a child JVM
 * with {@code -Xmx512m} and Spark {@code local[2]}: driver and executor share those 512 MiB, a
 * stricter budget than a 512m executor alone. The broker runs in this JVM.
 *
 * <p>Prints: records/s (dead-letter records written per second of wall time, from the first to the
 * last one seen in the dead-letter topic, and Spark's {@code processedRowsPerSecond} of the batch),
 * the child JVM's peak heap (the largest heap occupancy before a collection in its GC log) and
 * whether every bad record arrived. Exits non-zero when the job died or records are missing.
 *
 * <p>Run: {@code ./mvnw -B -pl job -am -Pbench-dlq -DskipTests verify}.
 */
public final class DeadLetterFloodBenchmark {

  private static final int PARTITIONS = 4;
  private static final List<String> BAD =
      List.of(
          "{\"origin\":\"XXX\",\"delay\":",
          "[1,2,3]",
          "{\"date\":\"2001/01/01 10:00\",\"delay\":5,\"distance\":1}",
          "{\"date\":\"2001/01/01 10:00\",\"delay\":\"late\",\"origin\":\"YYY\"}",
          "{\"date\":\"yesterday\",\"delay\":3,\"origin\":\"ZZZ\"}");

  private DeadLetterFloodBenchmark() {}

  /**
   * @param args none
   * @throws Exception when the broker, the producer or the child JVM fails
   */
  public static void main(String[] args) throws Exception {
    long records = Long.getLong("bench.records", 1_000_000L);
    Path work =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir"), "bench-dlq-" + System.nanoTime()));
    Process driver = null;
    try (KafkaBroker kafka =
        KafkaBroker.start(Map.of("log.segment.bytes", String.valueOf(256 * 1024 * 1024)))) {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopic("flood-in", PARTITIONS);
      kafka.createTopic("flood-out", 1);
      kafka.createTopic("flood-dlq", PARTITIONS);
      long t0 = System.nanoTime();
      produce(bootstrap, records);
      System.out.printf(
          Locale.ROOT,
          "produced %,d bad records over %d partitions in %.1f s%n",
          records,
          PARTITIONS,
          (System.nanoTime() - t0) / 1e9);

      Path gcLog = work.resolve("gc.log");
      Path log = work.resolve("driver.log");
      driver = startDriver(work, bootstrap, gcLog, log);
      long[] firstSeen = {0};
      try (Admin admin = kafka.admin()) {
        Process d = driver;
        Awaitility.await("all dead letters written")
            .atMost(Duration.ofMinutes(15))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> {
                  long n = endOffsets(admin, "flood-dlq");
                  if (n > 0 && firstSeen[0] == 0) {
                    firstSeen[0] = System.nanoTime();
                  }
                  return n >= records || !d.isAlive();
                });
        long done = System.nanoTime();
        long written = endOffsets(admin, "flood-dlq");
        boolean alive = driver.isAlive();
        Awaitility.await("progress logged")
            .atMost(Duration.ofMinutes(1))
            .until(() -> !d.isAlive() || Files.readString(log).contains("bad records"));
        driver.destroy();
        driver.waitFor();
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "dead letters: %,d of %,d bad records written; driver %s%n",
            written,
            records,
            alive ? "alive" : "DIED (see " + log + ")");
        System.out.printf(
            Locale.ROOT,
            "rate: %,.0f records/s (first to last dead letter seen, wall time); Spark: %s%n",
            written / ((done - firstSeen[0]) / 1e9),
            sparkRate(Files.readString(log)));
        System.out.printf(
            Locale.ROOT,
            "child JVM (driver + executor, local[2], -Xmx512m) peak heap: %,d MiB (GC log %s)%n",
            peakHeapMiB(Files.readString(gcLog)),
            gcLog);
        if (!alive || written < records) {
          System.exit(1);
        }
      }
    } finally {
      if (driver != null) {
        driver.destroyForcibly();
      }
    }
  }

  private static void produce(String bootstrap, long records) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      List<byte[]> values =
          BAD.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).collect(Collectors.toList());
      for (long i = 0; i < records; i++) {
        producer.send(
            new ProducerRecord<>(
                "flood-in", (int) (i % PARTITIONS), null, values.get((int) (i % values.size()))));
      }
      producer.flush();
    }
  }

  private static Process startDriver(Path dir, String bootstrap, Path gcLog, Path log)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-Xlog:gc:file=" + gcLog);
    for (String s : System.getProperty("spate.jdk17.opens", "").split(" ")) {
      if (!s.isBlank()) {
        cmd.add(s);
      }
    }
    cmd.add("-Djava.io.tmpdir=" + dir);
    cmd.add("-Dlog4j2.configurationFile=log4j2-test.properties");
    cmd.add("-Dspark.master=local[2]");
    cmd.add("-Dspark.ui.enabled=false");
    cmd.add("-Dspark.sql.shuffle.partitions=4");
    cmd.add("-Dspark.local.dir=" + dir.resolve("spark-local"));
    Map<String, String> conf =
        Map.of(
            JobConfigKeys.BOOTSTRAP_SERVERS, bootstrap,
            JobConfigKeys.INPUT_TOPICS, "flood-in",
            JobConfigKeys.OUTPUT_TOPIC, "flood-out",
            JobConfigKeys.DEAD_LETTER_TOPIC, "flood-dlq",
            JobConfigKeys.CONSUMER_GROUP, "flood",
            JobConfigKeys.CHECKPOINT_LOCATION, dir.resolve("checkpoint").toUri().toString(),
            JobConfigKeys.TRIGGER_PROCESSING_TIME, "1s",
            JobConfigKeys.KEY_FIELD, "origin",
            JobConfigKeys.VALUE_FIELD, "delay",
            JobConfigKeys.EVENT_TIME_FIELD, "date");
    conf.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-D" + JobConfigKeys.EVENT_TIME_FORMAT + "=yyyy/MM/dd HH:mm");
    cmd.add("-D" + JobConfigKeys.TERMINATION_MESSAGE_PATH + "=" + dir.resolve("termination-log"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StatefulAggregationJob.class.getName());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static long endOffsets(Admin admin, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
  }

  /** The ProgressLogger line of the batch with input, as the driver logged it. */
  private static String sparkRate(String log) {
    return log.lines()
        .filter(l -> l.contains("micro-batch") && l.contains("bad records"))
        .reduce((a, b) -> b)
        .map(l -> l.substring(l.indexOf("micro-batch")))
        .orElse("(no progress line)");
  }

  /** Largest heap occupancy before a collection: {@code [gc] GC(n) Pause ... 300M->20M(512M)}. */
  static long peakHeapMiB(String gcLog) {
    Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(gcLog);
    long peak = 0;
    while (m.find()) {
      peak = Math.max(peak, Long.parseLong(m.group(1)));
    }
    return peak;
  }
}
