package dev.spate.job.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spate.job.AggregationQuery;
import dev.spate.job.JobConfig;
import dev.spate.job.JobConfigKeys;
import dev.spate.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Throughput of the bundled job against its baselines, in one JVM on a real in-JVM KRaft broker:
 * the flights data set replayed (dates shifted by 91 days per replay) to {@code bench.records}
 * records (default 1,000,000) over 8 partitions, then (a) a plain {@code KafkaConsumer} poll loop
 * counting records, (b) a stateless Spark Kafka→Kafka pass-through, (c) the bundled stateful job
 * ({@link AggregationQuery}), (m) the job's map side only (Kafka → parse + per-key fold → Spark's
 * {@code noop} sink), to see what bounds (c). Spark runs {@code local[2]} ((b), (m) {@code
 * Trigger.AvailableNow}, (c) back-to-back micro-batches until its end offsets reach the topic's);
 * each Spark query is run once on a 100 k-record warm-up topic first, so the figures are warm.
 * Prints records/s, the ratios c/a and c/b, and the state rows and state memory of (c) from {@link
 * StateOperatorProgress}.
 *
 * <p>Run: {@code ./mvnw -B -pl job -am -Pbench -DskipTests verify} (system properties {@code
 * bench.records}, {@code bench.maxOffsetsPerTrigger}, {@code bench.data}).
 */
public final class JobBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm", Locale.ROOT);
  private static final int PARTITIONS = 8;

  private JobBenchmark() {}

  /**
   * @param args none; see the class comment for the system properties
   * @throws Exception when the broker, a producer or a query fails
   */
  public static void main(String[] args) throws Exception {
    long records = Long.getLong("bench.records", 1_000_000L);
    long maxOffsets = Long.getLong("bench.maxOffsetsPerTrigger", 250_000L);
    Path data = Path.of(System.getProperty("bench.data", "../sandbox/data/flights-20k.json"));
    Path work =
        Files.createDirectories(
            Path.of(System.getProperty("java.io.tmpdir"), "bench-" + System.nanoTime()));
    List<byte[]> flights = load(data);

    try (KafkaBroker kafka =
        KafkaBroker.start(Map.of("log.segment.bytes", String.valueOf(256 * 1024 * 1024)))) {
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopic("warmup", PARTITIONS);
      kafka.createTopic("flights", PARTITIONS);
      for (String t : List.of("warmup-pass", "warmup-agg", "pass", "agg")) {
        kafka.createTopic(t, PARTITIONS);
      }
      long t0 = System.nanoTime();
      produce(bootstrap, "warmup", flights, 100_000);
      produce(bootstrap, "flights", flights, records);
      System.out.printf(
          Locale.ROOT,
          "produced %,d records (+100,000 warm-up) over %d partitions in %.1f s%n",
          records,
          PARTITIONS,
          seconds(System.nanoTime() - t0));

      double a = consumerRate(bootstrap, "flights", records);

      SparkSession spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("spate-bench")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.local.dir", work.resolve("spark-local").toString())
              .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
              .getOrCreate();
      try {
        passThrough(spark, bootstrap, "warmup", "warmup-pass", maxOffsets, work);
        Run b = passThrough(spark, bootstrap, "flights", "pass", maxOffsets, work);
        mapSide(spark, bootstrap, "warmup", maxOffsets, work);
        Run m = mapSide(spark, bootstrap, "flights", maxOffsets, work);
        stateful(spark, bootstrap, "warmup", "warmup-agg", maxOffsets, work);
        Run c = stateful(spark, bootstrap, "flights", "agg", maxOffsets, work);
        long emittedCount = sumOfLatestCounts(bootstrap, "agg");

        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "records: %,d over %d partitions; Spark local[2], maxOffsetsPerTrigger %,d, "
                + "warm (after a 100 k warm-up run)%n",
            records,
            PARTITIONS,
            maxOffsets);
        System.out.printf(Locale.ROOT, "(a) KafkaConsumer poll loop        %,12.0f records/s%n", a);
        b.print("(b) Spark pass-through Kafka→Kafka ");
        m.print("(m) job map side only (parse+fold) ");
        c.print("(c) bundled stateful job           ");
        System.out.printf(
            Locale.ROOT,
            "c/a = %.3f   c/b = %.3f   (by wall time)%n",
            c.wallRate() / a,
            c.wallRate() / b.wallRate());
        System.out.printf(
            Locale.ROOT,
            "state: %,d rows, %,d bytes state memory (last batch, all state partitions); "
                + "sum of emitted counts of the latest record per key: %,d (expected %,d)%n",
            c.stateRows,
            c.stateBytes,
            emittedCount,
            records);
        System.out.printf(
            Locale.ROOT, "(c) time per phase over all batches (ms): %s%n", c.durations);
      } finally {
        spark.stop();
      }
    }
  }

  /** One Spark run: wall time from start() to termination, and its progress. */
  private record Run(
      long records,
      long wallNanos,
      long batchMillis,
      int batches,
      long stateRows,
      long stateBytes,
      Map<String, Long> durations) {

    double wallRate() {
      return records / seconds(wallNanos);
    }

    void print(String label) {
      System.out.printf(
          Locale.ROOT,
          "%s %,12.0f records/s  (%,d records in %.2f s wall, %d batches, "
              + "%,.0f records/s within batches)%n",
          label,
          wallRate(),
          records,
          seconds(wallNanos),
          batches,
          records / (batchMillis / 1000.0));
    }
  }

  private static Run run(StreamingQuery q, long t0, long records) throws Exception {
    // A query with processing-time state timeouts runs a no-data batch at every trigger, so
    // neither AvailableNow nor processAllAvailable() ever ends it: wait until its end offsets
    // cover the topic, then stop it
    org.awaitility.Awaitility.await("query reads " + records + " records")
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !q.isActive() || consumed(q.lastProgress()) >= records);
    long wall = System.nanoTime() - t0;
    q.stop();
    if (q.exception().isDefined()) {
      throw q.exception().get();
    }
    long rows = 0;
    long batchMillis = 0;
    int batches = 0;
    long stateRows = 0;
    long stateBytes = 0;
    Map<String, Long> durations = new java.util.TreeMap<>();
    for (StreamingQueryProgress p : q.recentProgress()) {
      if (p.numInputRows() == 0) {
        continue;
      }
      batches++;
      rows += p.numInputRows();
      batchMillis += p.durationMs().get("triggerExecution");
      p.durationMs().forEach((k, v) -> durations.merge(k, v, Long::sum));
      stateRows = 0;
      stateBytes = 0;
      for (StateOperatorProgress s : p.stateOperators()) {
        stateRows += s.numRowsTotal();
        stateBytes += s.memoryUsedBytes();
      }
    }
    return new Run(rows, wall, batchMillis, batches, stateRows, stateBytes, durations);
  }

  private static long consumed(StreamingQueryProgress p) {
    if (p == null) {
      return 0;
    }
    long sum = 0;
    for (var source : p.sources()) {
      if (source.endOffset() != null) {
        sum +=
            dev.spate.job.KafkaOffsets.parse(source.endOffset()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
      }
    }
    return sum;
  }

  private static Map<String, String> source(String bootstrap, String topic, long maxOffsets) {
    return Map.of(
        "kafka.bootstrap.servers",
        bootstrap,
        "subscribe",
        topic,
        "startingOffsets",
        "earliest",
        "maxOffsetsPerTrigger",
        String.valueOf(maxOffsets),
        "kafka.fetch.max.wait.ms",
        "10");
  }

  private static Run passThrough(
      SparkSession spark, String bootstrap, String in, String out, long maxOffsets, Path work)
      throws Exception {
    long n = records(spark, bootstrap, in);
    long t0 = System.nanoTime();
    StreamingQuery q =
        spark
            .readStream()
            .format("kafka")
            .options(source(bootstrap, in, maxOffsets))
            .load()
            .selectExpr("key", "value")
            .writeStream()
            .format("kafka")
            .option("kafka.bootstrap.servers", bootstrap)
            .option("topic", out)
            .option("checkpointLocation", work.resolve("ck-" + out).toString())
            .trigger(Trigger.AvailableNow())
            .start();
    return run(q, t0, n);
  }

  private static Run mapSide(
      SparkSession spark, String bootstrap, String in, long maxOffsets, Path work)
      throws Exception {
    JobConfig c = config(bootstrap, in, "unused", maxOffsets, work.resolve("ck-map-" + in));
    long n = records(spark, bootstrap, in);
    long t0 = System.nanoTime();
    StreamingQuery q =
        spark
            .readStream()
            .format("kafka")
            .options(AggregationQuery.sourceOptions(c))
            .load()
            .selectExpr(
                "key",
                "value",
                "topic",
                "partition",
                "offset",
                "unix_millis(timestamp) AS timestampMs")
            .mapPartitions(
                new dev.spate.job.PreAggregator(new dev.spate.job.RecordParser(c.parse()), null),
                org.apache.spark.sql.Encoders.bean(dev.spate.job.Partial.class))
            .writeStream()
            .format("noop")
            .option("checkpointLocation", c.checkpointLocation())
            .trigger(Trigger.AvailableNow())
            .start();
    return run(q, t0, n);
  }

  private static Run stateful(
      SparkSession spark, String bootstrap, String in, String out, long maxOffsets, Path work)
      throws Exception {
    JobConfig c = config(bootstrap, in, out, maxOffsets, work.resolve("ck-" + out));
    long n = records(spark, bootstrap, in);
    long t0 = System.nanoTime();
    return run(AggregationQuery.start(spark, c, Trigger.ProcessingTime(0)), t0, n);
  }

  /**
   * @return the number of records in a topic (sum of its end offsets; the topics start at 0)
   */
  private static long records(SparkSession spark, String bootstrap, String topic) {
    try (var admin =
        org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        latest.put(
            new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(r -> r.offset())
          .sum();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the end offsets of " + topic, e);
    }
  }

  private static JobConfig config(
      String bootstrap, String in, String out, long maxOffsets, Path checkpoint) {
    Map<String, String> conf = new HashMap<>();
    conf.put(JobConfigKeys.BOOTSTRAP_SERVERS, bootstrap);
    conf.put(JobConfigKeys.INPUT_TOPICS, in);
    conf.put(JobConfigKeys.OUTPUT_TOPIC, out);
    conf.put(JobConfigKeys.CONSUMER_GROUP, "bench");
    conf.put(JobConfigKeys.CHECKPOINT_LOCATION, checkpoint.toUri().toString());
    conf.put(JobConfigKeys.MAX_OFFSETS_PER_TRIGGER, String.valueOf(maxOffsets));
    conf.put(JobConfigKeys.KEY_FIELD, "origin");
    conf.put(JobConfigKeys.VALUE_FIELD, "delay");
    conf.put(JobConfigKeys.EVENT_TIME_FIELD, "date");
    conf.put(JobConfigKeys.EVENT_TIME_FORMAT, "yyyy/MM/dd HH:mm");
    return JobConfig.from(conf);
  }

  /**
   * The flights as JSON records: {@code data} (a JSON array) when it exists, else the 3 k test
   * slice.
   */
  private static List<byte[]> load(Path data) throws IOException {
    List<byte[]> result = new ArrayList<>();
    if (Files.exists(data)) {
      for (JsonNode n : MAPPER.readTree(data.toFile())) {
        result.add(MAPPER.writeValueAsBytes(n));
      }
      System.out.printf(Locale.ROOT, "data: %,d flights from %s%n", result.size(), data);
    } else {
      try (var in = JobBenchmark.class.getResourceAsStream("/data/flights-3k.jsonl")) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank())
            .forEach(l -> result.add(l.getBytes(StandardCharsets.UTF_8)));
      }
      System.out.printf(
          Locale.ROOT, "data: %s not found; %,d flights of the test slice%n", data, result.size());
    }
    return result;
  }

  /** Replays the flights, shifting dates by 91 days per replay, round-robin over the partitions. */
  private static void produce(String bootstrap, String topic, List<byte[]> flights, long count)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                512 * 1024,
                ProducerConfig.ACKS_CONFIG,
                "1",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
      Future<RecordMetadata> last = null;
      for (long i = 0; i < count; i++) {
        int replay = (int) (i / flights.size());
        byte[] value = flights.get((int) (i % flights.size()));
        if (replay > 0) {
          ObjectNode n = (ObjectNode) MAPPER.readTree(value);
          n.put(
              "date",
              LocalDateTime.parse(n.get("date").asText(), DATE)
                  .plusDays(91L * replay)
                  .format(DATE));
          value = MAPPER.writeValueAsBytes(n);
        }
        last = producer.send(new ProducerRecord<>(topic, (int) (i % PARTITIONS), null, value));
      }
      producer.flush();
      if (last != null) {
        last.get();
      }
    }
  }

  private static double consumerRate(String bootstrap, String topic, long expected) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                10,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        parts.add(new TopicPartition(topic, p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long t0 = System.nanoTime();
      long n = 0;
      long bytes = 0;
      while (n < expected) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          n++;
          bytes += r.value().length;
        }
        if (System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
          throw new IllegalStateException("consumer read only " + n + " of " + expected);
        }
      }
      double rate = n / seconds(System.nanoTime() - t0);
      System.out.printf(
          Locale.ROOT,
          "(a) consumer read %,d records (%,d bytes) at %,.0f records/s%n",
          n,
          bytes,
          rate);
      return rate;
    }
  }

  private static long sumOfLatestCounts(String bootstrap, String topic) {
    Map<String, JsonNode> latest = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      List<TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        parts.add(new TopicPartition(topic, p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          JsonNode n = MAPPER.readTree(new String(r.value(), StandardCharsets.UTF_8));
          latest.merge(
              n.get("key").asText(),
              n,
              (x, y) -> y.get("version").asLong() >= x.get("version").asLong() ? y : x);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return latest.values().stream().mapToLong(n -> n.get("count").asLong()).sum();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
