package dev.spate.job.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spate.job.AggregationQuery;
import dev.spate.job.JobConfig;
import dev.spate.job.JobConfigKeys;
import dev.spate.job.SparkDefaults;
import dev.spate.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * the flights data set ({@code sandbox/data/flights-20k.json}) replayed (dates shifted by 91 days
 * per replay) to {@code bench.records} records (default 1,000,000) over 8 partitions, then:
 *
 * <ul>
 *   <li>(a) a plain {@code KafkaConsumer} poll loop counting records;
 *   <li>(h) what a user would write instead of the job: one thread, a {@code KafkaConsumer},
 *       Jackson streaming parse of key, value and event time, a {@code HashMap} fold of count, sum,
 *       min, max, first and last event time per key;
 *   <li>(r) Spark's Kafka read alone into the {@code noop} sink: Spark's ceiling;
 *   <li>(b) a stateless Spark Kafka→Kafka pass-through;
 *   <li>(m) the job's map side only (Kafka → parse + per-key fold → {@code noop}), to see what
 *       bounds (c);
 *   <li>(c) the bundled stateful job ({@link AggregationQuery}).
 * </ul>
 *
 * Spark runs {@code local[2]} with the job's {@link SparkDefaults} ((r), (b), (m) {@code
 * Trigger.AvailableNow}, (c) back-to-back micro-batches until its end offsets reach the topic's);
 * each Spark query is run once on a 100 k-record warm-up topic first, so the figures are warm, then
 * {@code bench.rounds} (default 3) rounds of (r), (b), (m), (c) in turn, each run on a fresh
 * checkpoint; c/b and c/r are the medians of the rounds' ratios, the printed runs the median ones.
 * Prints records/s, the ratios c/a, c/b, c/r and c/h, the state rows and state memory of (c) from
 * {@link StateOperatorProgress}, and whether the aggregates of (c) (the latest record per key in
 * its output topic) equal those of (h).
 *
 * <p>Run: {@code ./mvnw -B -pl job -am -Pbench -DskipTests verify} (system properties {@code
 * bench.records}, {@code bench.maxOffsetsPerTrigger}, {@code bench.data}, {@code bench.runs}: a
 * comma-separated subset of {@code a,h,r,b,m,c}, default all, e.g. {@code c} alone to profile it).
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
    // the StreamingJob default of spec.kafka.maxOffsetsPerTrigger: the job as shipped
    long maxOffsets = Long.getLong("bench.maxOffsetsPerTrigger", 1_000_000L);
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

      Set<String> runs = Set.of(System.getProperty("bench.runs", "a,h,r,b,m,c").split(","));
      double a = runs.contains("a") ? consumerRate(bootstrap, "flights", records) : Double.NaN;
      HandWritten h = null;
      if (runs.contains("h")) {
        handWritten(bootstrap, "warmup", 100_000);
        h = handWritten(bootstrap, "flights", records);
      }

      SparkSession.Builder builder = SparkSession.builder();
      // the job's defaults (RocksDB state store), as StatefulAggregationJob sets them; a -D system
      // property of the same key wins (e.g. the HDFS-backed provider, to compare)
      SparkDefaults.DEFAULTS.forEach((k, v) -> builder.config(k, System.getProperty(k, v)));
      SparkSession spark =
          builder
              .master("local[2]")
              .appName("spate-bench")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.local.dir", work.resolve("spark-local").toString())
              .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
              .getOrCreate();
      StageTimes stages = new StageTimes();
      spark.sparkContext().addSparkListener(stages);
      List<String> mStages = List.of();
      List<String> cStages = List.of();
      try {
        int rounds = Integer.getInteger("bench.rounds", 3);
        if (runs.contains("r")) {
          readOnly(spark, bootstrap, "warmup", maxOffsets, work);
        }
        if (runs.contains("b")) {
          passThrough(spark, bootstrap, "warmup", "warmup-pass", maxOffsets, work);
        }
        if (runs.contains("m")) {
          mapSide(spark, bootstrap, "warmup", maxOffsets, work);
        }
        if (runs.contains("c")) {
          stateful(spark, bootstrap, "warmup", "warmup-agg", maxOffsets, work);
        }
        // rounds of r, b, m, c in turn, each on a fresh checkpoint: a load change on the shared
        // machine hits every kind alike, and the ratios are taken within a round
        List<Run> rs = new ArrayList<>();
        List<Run> bs = new ArrayList<>();
        List<Run> ms = new ArrayList<>();
        List<Run> cs = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
          Path roundWork = work.resolve("round-" + i);
          if (runs.contains("r")) {
            rs.add(readOnly(spark, bootstrap, "flights", maxOffsets, roundWork));
          }
          if (runs.contains("b")) {
            bs.add(passThrough(spark, bootstrap, "flights", "pass", maxOffsets, roundWork));
          }
          if (runs.contains("m")) {
            stages.reset();
            ms.add(mapSide(spark, bootstrap, "flights", maxOffsets, roundWork));
            // stage events reach the listener asynchronously
            spark.sparkContext().listenerBus().waitUntilEmpty(10_000L);
            mStages = stages.lines();
          }
          if (runs.contains("c")) {
            stages.reset();
            cs.add(stateful(spark, bootstrap, "flights", "agg", maxOffsets, roundWork));
            spark.sparkContext().listenerBus().waitUntilEmpty(10_000L);
            cStages = stages.lines();
          }
          System.out.printf(
              Locale.ROOT,
              "round %d: r %,.0f  b %,.0f  m %,.0f  c %,.0f records/s;  c/b %.3f  c/r %.3f%n",
              i,
              rs.isEmpty() ? Double.NaN : last(rs).wallRate(),
              bs.isEmpty() ? Double.NaN : last(bs).wallRate(),
              ms.isEmpty() ? Double.NaN : last(ms).wallRate(),
              cs.isEmpty() ? Double.NaN : last(cs).wallRate(),
              cs.isEmpty() || bs.isEmpty() ? Double.NaN : last(cs).wallRate() / last(bs).wallRate(),
              cs.isEmpty() || rs.isEmpty()
                  ? Double.NaN
                  : last(cs).wallRate() / last(rs).wallRate());
        }
        Run r = median(rs);
        Run b = median(bs);
        Run m = median(ms);
        Run c = median(cs);
        System.out.println();
        System.out.printf(
            Locale.ROOT,
            "records: %,d over %d partitions; Spark local[2], maxOffsetsPerTrigger %,d, "
                + "warm (after a 100 k warm-up run)%n",
            records,
            PARTITIONS,
            maxOffsets);
        if (runs.contains("a")) {
          System.out.printf(
              Locale.ROOT, "(a) KafkaConsumer poll loop         %,12.0f records/s%n", a);
        }
        if (h != null) {
          System.out.printf(
              Locale.ROOT,
              "(h) hand-written consumer + fold   %,12.0f records/s  (%,d keys)%n",
              h.rate(),
              h.byKey().size());
        }
        if (r != null) {
          r.print("(r) Spark Kafka read → noop        ");
        }
        if (b != null) {
          b.print("(b) Spark pass-through Kafka→Kafka ");
        }
        if (m != null) {
          m.print("(m) job map side only (parse+fold) ");
        }
        if (c != null) {
          c.print("(c) bundled stateful job           ");
          System.out.printf(
              Locale.ROOT,
              "c/a = %.3f   c/b = %.3f   c/r = %.3f   c/h = %.3f   (by wall time; c/b and c/r the"
                  + " median of the rounds' ratios, the rest of the median runs; targets c/b ≥ 1.2,"
                  + " c/r ≥ 0.8, c/h ≥ 0.35)%n",
              c.wallRate() / a,
              medianRatio(cs, bs),
              medianRatio(cs, rs),
              h == null ? Double.NaN : c.wallRate() / h.rate());
          Map<String, Aggregate> emitted = latestAggregates(bootstrap, "agg");
          long emittedCount = emitted.values().stream().mapToLong(Aggregate::count).sum();
          System.out.printf(
              Locale.ROOT,
              "state: %,d rows, %,d bytes state memory (last batch, all state partitions); "
                  + "sum of emitted counts of the latest record per key: %,d (expected %,d)%n",
              c.stateRows,
              c.stateBytes,
              emittedCount,
              records);
          if (h != null) {
            System.out.println(compare(emitted, h.byKey()));
          }
          System.out.printf(
              Locale.ROOT, "(c) time per phase over all batches (ms): %s%n", c.durations);
          System.out.printf(
              Locale.ROOT,
              "(c) state operator over all batches (ms, summed over state partitions): %s%n",
              c.stateTimes);
        }
        if (!mStages.isEmpty()) {
          System.out.println("(m) stages (last round):");
          mStages.forEach(System.out::println);
        }
        if (!cStages.isEmpty()) {
          System.out.println("(c) stages (last round):");
          cStages.forEach(System.out::println);
        }
      } finally {
        spark.stop();
      }
    }
  }

  /** Per-key aggregate as the job emits it (sum/min/max of the value, event times in ms). */
  record Aggregate(
      long count, double sum, double min, double max, long firstEventTime, long lastEventTime) {

    Aggregate add(double value, long eventTime) {
      return new Aggregate(
          count + 1,
          sum + value,
          Math.min(min, value),
          Math.max(max, value),
          Math.min(firstEventTime, eventTime),
          Math.max(lastEventTime, eventTime));
    }

    /** Equal counts, min, max and times; sums equal within 1e-9 relative (addition order). */
    boolean matches(Aggregate o) {
      return count == o.count
          && min == o.min
          && max == o.max
          && firstEventTime == o.firstEventTime
          && lastEventTime == o.lastEventTime
          && Math.abs(sum - o.sum) <= 1e-9 * Math.max(1, Math.abs(sum));
    }
  }

  /** Result of (h): its rate and the aggregate per key. */
  record HandWritten(double rate, Map<String, Aggregate> byKey) {}

  private static String compare(Map<String, Aggregate> job, Map<String, Aggregate> hand) {
    long differing =
        hand.entrySet().stream().filter(e -> !e.getValue().matches(job.get(e.getKey()))).count();
    long jobOnly = job.keySet().stream().filter(k -> !hand.containsKey(k)).count();
    return String.format(
        Locale.ROOT,
        "(c) vs (h): %,d keys in (h), %,d in (c); %s (count %,d vs %,d)",
        hand.size(),
        job.size(),
        differing == 0 && jobOnly == 0
            ? "every key's count, sum, min, max and event times equal"
            : "MISMATCH: " + differing + " keys differ, " + jobOnly + " keys only in (c)",
        job.values().stream().mapToLong(Aggregate::count).sum(),
        hand.values().stream().mapToLong(Aggregate::count).sum());
  }

  /** One Spark run: wall time from start() to termination, and its progress. */
  private record Run(
      long records,
      long wallNanos,
      long batchMillis,
      int batches,
      long stateRows,
      long stateBytes,
      Map<String, Long> durations,
      Map<String, Long> stateTimes) {

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

  private static Run last(List<Run> runs) {
    return runs.get(runs.size() - 1);
  }

  /**
   * @return the run of median records/s (the upper one of an even count), or {@code null} for none
   */
  private static Run median(List<Run> runs) {
    if (runs.isEmpty()) {
      return null;
    }
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingDouble(Run::wallRate));
    return sorted.get(sorted.size() / 2);
  }

  /**
   * @return the median over rounds of {@code num[i].wallRate() / den[i].wallRate()}, NaN without
   *     both
   */
  private static double medianRatio(List<Run> num, List<Run> den) {
    if (num.isEmpty() || den.isEmpty()) {
      return Double.NaN;
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(num.size(), den.size()); i++) {
      ratios.add(num.get(i).wallRate() / den.get(i).wallRate());
    }
    java.util.Collections.sort(ratios);
    return ratios.get(ratios.size() / 2);
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
    Map<String, Long> stateTimes = new java.util.TreeMap<>();
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
        stateTimes.merge("allUpdatesTimeMs", s.allUpdatesTimeMs(), Long::sum);
        stateTimes.merge("allRemovalsTimeMs", s.allRemovalsTimeMs(), Long::sum);
        stateTimes.merge("commitTimeMs", s.commitTimeMs(), Long::sum);
        s.customMetrics().forEach((k, v) -> stateTimes.merge(k, v, Long::sum));
      }
    }
    return new Run(rows, wall, batchMillis, batches, stateRows, stateBytes, durations, stateTimes);
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

  private static Run readOnly(
      SparkSession spark, String bootstrap, String in, long maxOffsets, Path work)
      throws Exception {
    long n = records(spark, bootstrap, in);
    long t0 = System.nanoTime();
    StreamingQuery q =
        spark
            .readStream()
            .format("kafka")
            .options(source(bootstrap, in, maxOffsets))
            .load()
            .writeStream()
            .format("noop")
            .option("checkpointLocation", work.resolve("ck-read-" + in).toString())
            .trigger(Trigger.AvailableNow())
            .start();
    return run(q, t0, n);
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

  /** The latest (highest version) record per key of the job's output topic. */
  private static Map<String, Aggregate> latestAggregates(String bootstrap, String topic) {
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
          JsonNode n = MAPPER.readTree(r.value());
          latest.merge(
              n.get("key").asText(),
              n,
              (x, y) -> y.get("version").asLong() >= x.get("version").asLong() ? y : x);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Aggregate> result = new HashMap<>();
    latest.forEach(
        (k, n) ->
            result.put(
                k,
                new Aggregate(
                    n.get("count").asLong(),
                    n.get("sum").asDouble(),
                    n.get("min").asDouble(),
                    n.get("max").asDouble(),
                    Instant.parse(n.get("firstEventTime").asText()).toEpochMilli(),
                    Instant.parse(n.get("lastEventTime").asText()).toEpochMilli())));
    return result;
  }

  /**
   * (h): what a user would write by hand. One thread reads every partition with a {@code
   * KafkaConsumer} ({@code fetch.max.wait.ms=10}, as the job's source), reads {@code origin},
   * {@code delay} and {@code date} with Jackson's streaming parser, and folds count, sum, min, max
   * and first/last event time per key into a {@code HashMap}. No dead-letter handling, no state
   * beyond the heap, no output, no checkpoint: a lower bound on the work per record.
   */
  private static HandWritten handWritten(String bootstrap, String topic, long expected)
      throws IOException {
    JsonFactory json = new JsonFactory();
    Map<String, Aggregate> byKey = new HashMap<>();
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
      while (n < expected) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          n++;
          String key = null;
          double value = 0;
          String date = null;
          try (JsonParser p = json.createParser(r.value())) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String field = p.currentName();
              p.nextToken();
              switch (field) {
                case "origin" -> key = p.getText();
                case "delay" -> value = p.getDoubleValue();
                case "date" -> date = p.getText();
                default -> p.skipChildren();
              }
            }
          }
          long time = LocalDateTime.parse(date, DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
          double v = value;
          byKey.compute(
              key,
              (k, old) -> old == null ? new Aggregate(1, v, v, v, time, time) : old.add(v, time));
        }
        if (System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
          throw new IllegalStateException("(h) read only " + n + " of " + expected);
        }
      }
      double rate = n / seconds(System.nanoTime() - t0);
      System.out.printf(
          Locale.ROOT,
          "(h) %s: %,d records, %,d keys at %,.0f records/s%n",
          topic,
          n,
          byKey.size(),
          rate);
      return new HandWritten(rate, byKey);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
