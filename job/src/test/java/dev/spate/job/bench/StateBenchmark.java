package dev.spate.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spate.job.JobConfigKeys;
import dev.spate.job.SparkDefaults;
import dev.spate.job.StatefulAggregationJob;
import dev.spate.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;

/**
 * (d) State at a million keys: {@code bench.keys} records (default 1,000,000), each with its own
 * key (a flight of {@code sandbox/data/flights-20k.json} with a field {@code flight} =
 * origin-destination-sequence number), over 8 partitions, read by the bundled job ({@link
 * StatefulAggregationJob#main}) in micro-batches of {@code bench.maxOffsetsPerTrigger} (default
 * 250,000), once per state store provider: Spark's RocksDB provider (the job's default, {@link
 * SparkDefaults}) and the HDFS-backed one. The job runs in a child JVM with {@code -Xmx512m} and
 * Spark {@code local[2]}: driver and executor share those 512 MiB, a stricter budget than a 512m
 * executor alone. The broker runs in this JVM.
 *
 * <p>Prints per provider: whether the job survived (no OutOfMemoryError) and committed every
 * record; records/s within micro-batches (sum of input rows over the sum of {@code
 * triggerExecution}); state rows and Spark's state memory figure after the last micro-batch ({@code
 * StateOperatorProgress.memoryUsedBytes}: for RocksDB its native memtable, block cache and index
 * estimate, for the HDFS-backed provider the heap its maps take); the child JVM's heap from its GC
 * log (largest occupancy before and after a collection, full collections); and the checkpoint's
 * size on disk ({@code state/} and in total).
 *
 * <p>Run: {@code ./mvnw -B -pl job -am -Pbench-state -DskipTests verify} (system properties {@code
 * bench.keys}, {@code bench.maxOffsetsPerTrigger}).
 */
public final class StateBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int PARTITIONS = 8;

  private StateBenchmark() {}

  /**
   * @param args none
   * @throws Exception when the broker, the producer or a child JVM fails
   */
  public static void main(String[] args) throws Exception {
    long keys = Long.getLong("bench.keys", 1_000_000L);
    long maxOffsets = Long.getLong("bench.maxOffsetsPerTrigger", 250_000L);
    Path data = Path.of(System.getProperty("bench.data", "../sandbox/data/flights-20k.json"));
    Path work =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir"), "bench-state-" + System.nanoTime()));
    List<String> results = new ArrayList<>();
    try (KafkaBroker kafka =
        KafkaBroker.start(Map.of("log.segment.bytes", String.valueOf(256 * 1024 * 1024)))) {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopic("keys", PARTITIONS);
      long t0 = System.nanoTime();
      produce(bootstrap, data, keys);
      System.out.printf(
          Locale.ROOT,
          "produced %,d records with distinct keys over %d partitions in %.1f s%n",
          keys,
          PARTITIONS,
          (System.nanoTime() - t0) / 1e9);
      for (String provider : List.of(SparkDefaults.ROCKSDB_PROVIDER, SparkDefaults.HDFS_PROVIDER)) {
        String name = provider.substring(provider.lastIndexOf('.') + 1);
        kafka.createTopic("out-" + name, PARTITIONS);
        results.add(run(kafka, name, provider, keys, maxOffsets, work.resolve(name)));
      }
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "(d) %,d distinct keys, micro-batches of %,d, child JVM -Xmx512m local[2] "
            + "(driver + executor), 4 state partitions%n",
        keys,
        maxOffsets);
    results.forEach(System.out::println);
  }

  private static String run(
      KafkaBroker kafka, String name, String provider, long keys, long maxOffsets, Path dir)
      throws Exception {
    Files.createDirectories(dir);
    Path gcLog = dir.resolve("gc.log");
    Path log = dir.resolve("driver.log");
    Path progress = dir.resolve("progress.jsonl");
    Path checkpoint = dir.resolve("checkpoint");
    String group = "state-" + name;
    Process driver =
        startDriver(dir, kafka.bootstrapServers(), name, provider, group, maxOffsets, checkpoint);
    try (Admin admin = kafka.admin()) {
      Awaitility.await(name + " commits " + keys + " records")
          .atMost(Duration.ofMinutes(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> !driver.isAlive() || committed(admin, group) >= keys);
      long committed = committed(admin, group);
      boolean alive = driver.isAlive();
      driver.destroy();
      driver.waitFor();
      String driverLog = Files.readString(log);
      boolean oom = driverLog.contains("OutOfMemoryError");
      long rows = 0;
      long millis = 0;
      long stateRows = 0;
      long stateBytes = 0;
      for (String line : Files.readAllLines(progress)) {
        JsonNode p = MAPPER.readTree(line);
        long n = p.get("numInputRows").asLong();
        if (n == 0) {
          continue;
        }
        rows += n;
        millis += p.get("durationMs").get("triggerExecution").asLong();
        stateRows = 0;
        stateBytes = 0;
        for (JsonNode s : p.get("stateOperators")) {
          stateRows += s.get("numRowsTotal").asLong();
          stateBytes += s.get("memoryUsedBytes").asLong();
        }
      }
      return String.format(
          Locale.ROOT,
          "%-30s %s, %,d of %,d records committed; %,.0f records/s within micro-batches; "
              + "state %,d rows, %,d MiB state memory; heap: %,d MiB at most before and %,d MiB"
              + " at most after a GC, %d full GCs; checkpoint %,d MiB (state/ %,d MiB)",
          name,
          alive && !oom
              ? "alive"
              : oom ? "OutOfMemoryError (see " + log + ")" : "DIED (" + log + ")",
          committed,
          keys,
          rows / (millis / 1000.0),
          stateRows,
          stateBytes >> 20,
          DeadLetterFloodBenchmark.peakHeapMiB(Files.readString(gcLog)),
          heapAfterGcMiB(Files.readString(gcLog)),
          fullGcs(Files.readString(gcLog)),
          size(checkpoint) >> 20,
          size(checkpoint.resolve("state")) >> 20);
    } finally {
      driver.destroyForcibly();
    }
  }

  /**
   * Largest heap occupancy after a collection ({@code [gc] GC(n) Pause ... 300M->200M(512M)}): the
   * live set at its highest, what the state and the micro-batch in flight keep reachable.
   */
  static long heapAfterGcMiB(String gcLog) {
    Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)").matcher(gcLog);
    long peak = 0;
    while (m.find()) {
      peak = Math.max(peak, Long.parseLong(m.group(2)));
    }
    return peak;
  }

  private static long fullGcs(String gcLog) {
    return gcLog.lines().filter(l -> l.contains("Pause Full")).count();
  }

  private static long committed(Admin admin, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets.values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum();
  }

  private static long size(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // deleted meanwhile (Spark's maintenance)
                }
              })
          .sum();
    }
  }

  /** Each record: a flight with {@code flight} = origin-destination-sequence number, unique. */
  private static void produce(String bootstrap, Path data, long keys) throws Exception {
    List<ObjectNode> flights = new ArrayList<>();
    for (JsonNode n : MAPPER.readTree(data.toFile())) {
      flights.add((ObjectNode) n);
    }
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                512 * 1024,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      for (long i = 0; i < keys; i++) {
        ObjectNode n = flights.get((int) (i % flights.size())).deepCopy();
        n.put("flight", n.get("origin").asText() + "-" + n.get("destination").asText() + "-" + i);
        producer.send(
            new ProducerRecord<>(
                "keys", (int) (i % PARTITIONS), null, MAPPER.writeValueAsBytes(n)));
      }
      producer.flush();
    }
  }

  private static Process startDriver(
      Path dir,
      String bootstrap,
      String name,
      String provider,
      String group,
      long maxOffsets,
      Path checkpoint)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-Xlog:gc:file=" + dir.resolve("gc.log"));
    for (String s : System.getProperty("spate.jdk17.opens", "").split(" ")) {
      if (!s.isBlank()) {
        cmd.add(s);
      }
    }
    cmd.add("-Djava.io.tmpdir=" + dir);
    cmd.add("-Dlog4j2.configurationFile=log4j2-test.properties");
    cmd.add("-D" + ProgressFileWriter.FILE_PROPERTY + "=" + dir.resolve("progress.jsonl"));
    Map<String, String> conf = new HashMap<>();
    conf.put("spark.master", "local[2]");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.sql.shuffle.partitions", "4");
    conf.put("spark.local.dir", dir.resolve("spark-local").toString());
    conf.put(
        "spark.sql.streaming.streamingQueryListeners",
        "dev.spate.job.OffsetCommitter," + ProgressFileWriter.class.getName());
    conf.put(SparkDefaults.STATE_STORE_PROVIDER, provider);
    conf.put(JobConfigKeys.BOOTSTRAP_SERVERS, bootstrap);
    conf.put(JobConfigKeys.INPUT_TOPICS, "keys");
    conf.put(JobConfigKeys.OUTPUT_TOPIC, "out-" + name);
    conf.put(JobConfigKeys.CONSUMER_GROUP, group);
    conf.put(JobConfigKeys.CHECKPOINT_LOCATION, checkpoint.toUri().toString());
    conf.put(JobConfigKeys.TRIGGER_PROCESSING_TIME, "1s");
    conf.put(JobConfigKeys.MAX_OFFSETS_PER_TRIGGER, String.valueOf(maxOffsets));
    conf.put(JobConfigKeys.KEY_FIELD, "flight");
    conf.put(JobConfigKeys.VALUE_FIELD, "delay");
    conf.put(JobConfigKeys.EVENT_TIME_FIELD, "date");
    conf.put(JobConfigKeys.EVENT_TIME_FORMAT, "yyyy/MM/dd HH:mm");
    conf.put(JobConfigKeys.TERMINATION_MESSAGE_PATH, dir.resolve("termination-log").toString());
    conf.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(StatefulAggregationJob.class.getName());
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("driver.log").toFile())
        .start();
  }
}
