package dev.spate.sandbox.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.api.PodSecurityRestricted;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo scenario on a running {@link Sandbox}: applies the flights-per-origin StreamingJob,
 * creates its topics, streams the data set into the input topic, prints the {@code kubectl get
 * streamingjobs} table while it runs, and checks the output topic (per key, the record with the
 * highest {@code version}) against totals computed independently from the file, and that the job's
 * consumer group has committed the input's end offsets (lag 0).
 */
public final class DemoScenario {

  /** Partitions of the input topic. */
  public static final int INPUT_PARTITIONS = 4;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the run measured.
   *
   * @param ok whether output and lag were right in time
   * @param reason why not (empty when ok)
   * @param recordsIn records produced to the input topic
   * @param keysExpected keys in the file
   * @param keysOut keys seen on the output topic
   * @param keysMatching keys whose latest output equals the expected totals
   * @param lag input end offsets minus the group's committed offsets, records (computed here with
   *     the AdminClient)
   * @param operatorLag {@code status.kafka.lag} of the StreamingJob read after the output matched
   *     (what the operator reports; -1 if it never reported one)
   * @param elapsed from {@link #run()} start to the verdict
   * @param applyToFirstOutput from creating the StreamingJob to the first output record (null if
   *     none)
   * @param peakRssBytes peak of the summed resident set size of all sandbox JVMs
   * @param peakJvms JVMs alive at that peak
   * @param maxReadyExecutors most executors the status reported ready while phase was Running with
   *     ready equal to desired (0 if never)
   * @param applied when the StreamingJob was created
   */
  public record Result(
      boolean ok,
      String reason,
      int recordsIn,
      int keysExpected,
      int keysOut,
      int keysMatching,
      long lag,
      long operatorLag,
      Duration elapsed,
      Duration applyToFirstOutput,
      long peakRssBytes,
      int peakJvms,
      int maxReadyExecutors,
      Instant applied) {}

  private final Sandbox sandbox;
  private final FlightTotals data;
  private final PrintStream out;
  private final Duration timeout;
  private final UnaryOperator<StreamingJob> adapter;

  /**
   * @param sandbox the running sandbox
   * @param data records and expected totals
   * @param out where the table goes
   * @param timeout how long the job may take to produce the right output with lag 0
   */
  public DemoScenario(Sandbox sandbox, FlightTotals data, PrintStream out, Duration timeout) {
    this(sandbox, data, out, timeout, UnaryOperator.identity());
  }

  /**
   * @param sandbox the running sandbox
   * @param data records and expected totals
   * @param out where the table goes
   * @param timeout how long the job may take to produce the right output with lag 0
   * @param adapter a further change to the manifest (e.g. {@code S3Checkpoints::adapt}); a changed
   *     checkpoint location is listed with the sandbox values
   */
  public DemoScenario(
      Sandbox sandbox,
      FlightTotals data,
      PrintStream out,
      Duration timeout,
      UnaryOperator<StreamingJob> adapter) {
    this.sandbox = sandbox;
    this.data = data;
    this.out = out;
    this.timeout = timeout;
    this.adapter = adapter;
  }

  /**
   * Loads the data file.
   *
   * @param file flights JSON array
   * @return records and per-origin delay totals
   * @throws IOException when unreadable
   */
  public static FlightTotals load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return FlightTotals.read(in, "origin", "delay");
    }
  }

  /**
   * @return the repository's example ({@link SandboxManifest#EXAMPLE_PATH}) with its sandbox values
   *     (see {@link SandboxManifest#forSandbox})
   * @throws IOException when the example cannot be read
   */
  public SandboxManifest.Adapted adaptedManifest() throws IOException {
    SandboxManifest.Adapted a =
        SandboxManifest.forSandbox(
            SandboxManifest.example(), sandbox.kafka().bootstrapServers(), sandbox.monitoring());
    String location = a.job().getSpec().getCheckpoint().getLocation();
    StreamingJob job = adapter.apply(a.job());
    String adapted = job.getSpec().getCheckpoint().getLocation();
    if (location.equals(adapted)) {
      return new SandboxManifest.Adapted(job, a.overrides());
    }
    List<SandboxManifest.Change> overrides = new ArrayList<>(a.overrides());
    overrides.add(new SandboxManifest.Change("spec.checkpoint.location", location, adapted));
    return new SandboxManifest.Adapted(job, overrides);
  }

  /**
   * @return the StreamingJob the scenario applies
   * @throws IOException when the example cannot be read
   */
  public StreamingJob manifest() throws IOException {
    return adaptedManifest().job();
  }

  /**
   * How long the scenario waits, once the output is right and the group's committed offsets equal
   * the end offsets, for the operator's {@code status.kafka.lag} to reach 0: two Kafka poll
   * intervals (one may have started just before the last commit) plus 10 s for the status patch and
   * reconcile.
   *
   * @param kafkaPollInterval the operator's Kafka poll interval
   * @return the bound
   */
  public static Duration operatorLagBound(Duration kafkaPollInterval) {
    return kafkaPollInterval.multipliedBy(2).plusSeconds(10);
  }

  /**
   * Runs the scenario to a verdict (the StreamingJob is left running).
   *
   * @return what happened
   * @throws Exception when the sandbox fails in an unexpected way
   */
  public Result run() throws Exception {
    Instant start = Instant.now();
    KubernetesClient client = sandbox.client();
    SandboxManifest.Adapted adapted = adaptedManifest();
    StreamingJob job = adapted.job();
    out.println(
        "applying "
            + SandboxManifest.EXAMPLE_PATH
            + " with sandbox values: "
            + String.join("; ", adapted.overrides().stream().map(Object::toString).toList()));
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    var kafkaSpec = job.getSpec().getKafka();
    String group =
        kafkaSpec.getConsumerGroup() != null
            ? kafkaSpec.getConsumerGroup()
            : Defaults.consumerGroup(ns, name);

    prepare(sandbox, job, INPUT_PARTITIONS);
    String input = kafkaSpec.getInputTopics().get(0);

    Map<String, JsonNode> latest = new ConcurrentHashMap<>();
    AtomicReference<Instant> firstOutput = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread consumer =
        new Thread(
            () -> consume(kafkaSpec.getOutputTopic(), latest, firstOutput, stop),
            "demo-output-consumer");
    consumer.setDaemon(true);

    Instant applied = Instant.now();
    client.resources(StreamingJob.class).inNamespace(ns).resource(job).create();
    out.println(
        "applied StreamingJob "
            + ns
            + "/"
            + name
            + "; streaming "
            + data.records().size()
            + " flights into topic "
            + input);
    consumer.start();
    AtomicLong produced = new AtomicLong();
    Thread producer = new Thread(() -> produce(input, produced), "demo-producer");
    producer.setDaemon(true);
    producer.start();

    out.println(JobTable.header());
    long peakRss = 0;
    int peakJvms = 0;
    Instant deadline = start.plus(timeout);
    Instant nextRow = Instant.now();
    String reason = null;
    long lag = -1;
    long operatorLag = -1;
    int matching = 0;
    int maxReady = 0;
    try (Admin admin = sandbox.kafka().admin()) {
      while (true) {
        Map<Long, String> jvms = sandbox.liveJvms();
        long rss = RssProbe.totalRssBytes(jvms.keySet());
        if (rss > peakRss) {
          peakRss = rss;
          peakJvms = jvms.size();
        }
        StreamingJob current =
            client.resources(StreamingJob.class).inNamespace(ns).withName(name).get();
        JsonNode currentJson = Serialization.jsonMapper().valueToTree(current);
        JsonNode executors = currentJson.path("status").path("executors");
        if ("Running".equals(currentJson.path("status").path("phase").asText())
            && executors.path("desired").asInt() > 0
            && executors.path("ready").asInt() == executors.path("desired").asInt()) {
          maxReady = Math.max(maxReady, executors.path("ready").asInt());
        }
        if (!Instant.now().isBefore(nextRow)) {
          out.println(JobTable.row(currentJson, Instant.now()));
          nextRow = Instant.now().plusSeconds(2);
        }
        lag = lag(admin, input, group);
        matching = matching(latest);
        if (produced.get() == data.records().size()
            && lag == 0
            && matching == data.totals().size()
            && latest.size() == data.totals().size()) {
          // the row read above may predate the last commit: wait for the operator's own lag
          JsonNode fresh =
              awaitOperatorLagZero(client, ns, name, operatorLagBound(sandbox.kafkaPollInterval()));
          operatorLag = fresh.path("status").path("kafka").path("lag").asLong(-1);
          out.println(JobTable.row(fresh, Instant.now()));
          if (operatorLag != 0) {
            reason =
                "output right and committed offsets at the end offsets, but the operator still reports"
                    + " status.kafka.lag "
                    + (operatorLag < 0 ? "<none>" : operatorLag)
                    + " after "
                    + operatorLagBound(sandbox.kafkaPollInterval()).toSeconds()
                    + " s";
          }
          break;
        }
        if ("Failed".equals(currentJson.path("status").path("phase").asText())
            || readyMessage(currentJson).startsWith("InvalidSpec")) {
          reason =
              "StreamingJob "
                  + currentJson.path("status").path("phase").asText()
                  + ": "
                  + readyMessage(currentJson);
          break;
        }
        if (Instant.now().isAfter(deadline)) {
          reason =
              "timeout after "
                  + timeout.toSeconds()
                  + " s: "
                  + matching
                  + "/"
                  + data.totals().size()
                  + " keys right, "
                  + latest.size()
                  + " keys out, lag "
                  + lag
                  + ", phase "
                  + currentJson.path("status").path("phase").asText("<none>")
                  + " ("
                  + readyMessage(currentJson)
                  + ")";
          break;
        }
        Thread.sleep(1000); // the demo's refresh interval, like kubectl get -w
      }
    } finally {
      stop.set(true);
      producer.interrupt();
    }
    consumer.join(5000);
    Instant first = firstOutput.get();
    return new Result(
        reason == null,
        reason == null ? "" : reason,
        (int) produced.get(),
        data.totals().size(),
        latest.size(),
        matching,
        lag,
        operatorLag,
        Duration.between(start, Instant.now()),
        first == null ? null : Duration.between(applied, first),
        peakRss,
        peakJvms,
        maxReady,
        applied);
  }

  /**
   * Re-reads the StreamingJob until its {@code status.kafka.lag} is 0 or the bound passes.
   *
   * @return the last StreamingJob read, as JSON
   */
  private static JsonNode awaitOperatorLagZero(
      KubernetesClient client, String ns, String name, Duration bound) throws InterruptedException {
    Instant until = Instant.now().plus(bound);
    while (true) {
      JsonNode json =
          Serialization.jsonMapper()
              .valueToTree(
                  client.resources(StreamingJob.class).inNamespace(ns).withName(name).get());
      JsonNode lag = json.path("status").path("kafka").path("lag");
      if ((lag.isIntegralNumber() && lag.asLong() == 0) || Instant.now().isAfter(until)) {
        return json;
      }
      Thread.sleep(250); // polling the API like kubectl get -w; bounded by `until`
    }
  }

  /**
   * What a StreamingJob needs before it is applied: its namespace, its checkpoint PVC (Bound,
   * ReadWriteMany) and its topics (input and output with {@code inputPartitions} partitions,
   * dead-letter with 1).
   *
   * @param sandbox the running sandbox
   * @param job the StreamingJob
   * @param inputPartitions partitions of the input topic
   */
  public static void prepare(Sandbox sandbox, StreamingJob job, int inputPartitions) {
    KubernetesClient client = sandbox.client();
    String ns = job.getMetadata().getNamespace();
    var kafkaSpec = job.getSpec().getKafka();
    // createOr: a scenario's manifest adapter may have made the namespace already (with its
    // Secrets)
    client
        .namespaces()
        .resource(PodSecurityRestricted.restrictedNamespace(ns))
        .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    if (job.getSpec().getCheckpoint().getVolume() != null) { // none with an object store
      client
          .persistentVolumeClaims()
          .inNamespace(ns)
          .resource(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withName(job.getSpec().getCheckpoint().getVolume().getClaimName())
                  .endMetadata()
                  .withNewSpec()
                  .withAccessModes("ReadWriteMany")
                  .withNewResources()
                  .addToRequests("storage", new Quantity("1Gi"))
                  .endResources()
                  .endSpec()
                  .withNewStatus()
                  .withPhase("Bound")
                  .endStatus()
                  .build())
          .create();
    }
    sandbox.kafka().createTopic(kafkaSpec.getInputTopics().get(0), inputPartitions);
    sandbox.kafka().createTopic(kafkaSpec.getOutputTopic(), INPUT_PARTITIONS);
    if (kafkaSpec.getDeadLetterTopic() != null) {
      sandbox.kafka().createTopic(kafkaSpec.getDeadLetterTopic(), 1);
    }
  }

  private int matching(Map<String, JsonNode> latest) {
    return matching(data, latest);
  }

  /**
   * @param data expected totals
   * @param latest key → latest output record
   * @return keys whose latest output has the expected count, sum, min and max
   */
  public static int matching(FlightTotals data, Map<String, JsonNode> latest) {
    int n = 0;
    for (Map.Entry<String, FlightTotals.Totals> e : data.totals().entrySet()) {
      JsonNode o = latest.get(e.getKey());
      if (o != null
          && e.getValue()
              .matches(
                  new FlightTotals.Totals(
                      o.path("count").asLong(),
                      o.path("sum").asDouble(),
                      o.path("min").asDouble(),
                      o.path("max").asDouble()))) {
        n++;
      }
    }
    return n;
  }

  private static String readyMessage(JsonNode job) {
    for (JsonNode c : job.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return c.path("reason").asText("") + " " + c.path("message").asText("");
      }
    }
    return "no Ready condition";
  }

  /**
   * Consumer lag of a group on a topic, computed independently of the operator: the sum over
   * partitions of the end offset minus the group's committed offset (0 when none committed).
   *
   * @param admin admin client
   * @param topic input topic
   * @param group consumer group
   * @return records behind, or -1 when the broker could not answer
   * @throws InterruptedException when interrupted
   */
  public static long lag(Admin admin, String topic, String group) throws InterruptedException {
    try {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (var p :
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
        request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(request).all().get();
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      long lag = 0;
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        lag += e.getValue().offset() - (c == null ? 0 : c.offset());
      }
      return lag;
    } catch (ExecutionException e) {
      return -1;
    }
  }

  private void produce(String topic, AtomicLong produced) {
    produce(sandbox.kafka().bootstrapServers(), topic, data, produced);
  }

  /**
   * Streams the records into a topic, keyed by origin, 1,000 records every 250 ms.
   *
   * @param bootstrapServers Kafka
   * @param topic input topic
   * @param data the records
   * @param produced incremented by the records acknowledged
   */
  public static void produce(
      String bootstrapServers, String topic, FlightTotals data, AtomicLong produced) {
    produce(bootstrapServers, topic, data, produced, 1000, Map.of());
  }

  /**
   * Streams the records into a topic, keyed by origin, {@code chunk} records every 250 ms.
   *
   * @param bootstrapServers Kafka
   * @param topic input topic
   * @param data the records
   * @param produced incremented by the records acknowledged
   * @param chunk records per 250 ms
   * @param producerConfig extra producer settings (e.g. {@code metadata.max.age.ms}, so that
   *     partitions added meanwhile receive records)
   */
  public static void produce(
      String bootstrapServers,
      String topic,
      FlightTotals data,
      AtomicLong produced,
      int chunk,
      Map<String, String> producerConfig) {
    produce(bootstrapServers, topic, data, produced, chunk, producerConfig, null);
  }

  /**
   * Streams the records into a topic, keyed by origin, {@code chunk} records every 250 ms, each
   * record only once the allowance grants it: a test that must see records arrive after some event
   * (a restart) releases them then, however long the machine took to get there.
   *
   * @param bootstrapServers Kafka
   * @param topic input topic
   * @param data the records
   * @param produced incremented by the records acknowledged
   * @param chunk records per 250 ms
   * @param producerConfig extra producer settings
   * @param allowance one permit per record, or null for no limit
   */
  public static void produce(
      String bootstrapServers,
      String topic,
      FlightTotals data,
      AtomicLong produced,
      int chunk,
      Map<String, String> producerConfig,
      java.util.concurrent.Semaphore allowance) {
    Properties p = new Properties();
    p.putAll(producerConfig);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      List<String> records = data.records();
      for (int i = 0; i < records.size(); i += chunk) {
        if (allowance != null) {
          allowance.acquire(Math.min(chunk, records.size() - i));
        }
        for (String r : records.subList(i, Math.min(records.size(), i + chunk))) {
          String key = JSON.readTree(r).path("origin").asText();
          producer.send(new ProducerRecord<>(topic, key, r));
        }
        producer.flush();
        produced.addAndGet(Math.min(chunk, records.size() - i));
        Thread.sleep(250); // paced: a stream, not a bulk load (about 4,000 records/s)
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new IllegalStateException("bad record in the data set", e);
    }
  }

  private void consume(
      String topic,
      Map<String, JsonNode> latest,
      AtomicReference<Instant> first,
      AtomicBoolean stop) {
    consume(sandbox.kafka().bootstrapServers(), topic, latest, first, stop);
  }

  /**
   * Reads an output topic from the beginning until {@code stop}, keeping per key (the JSON field
   * {@code key}) the record with the highest {@code version}.
   *
   * @param bootstrapServers Kafka
   * @param topic output topic
   * @param latest key → latest record
   * @param first set to the time the first record arrived
   * @param stop ends the loop
   */
  public static void consume(
      String bootstrapServers,
      String topic,
      Map<String, JsonNode> latest,
      AtomicReference<Instant> first,
      AtomicBoolean stop) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!stop.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          first.compareAndSet(null, Instant.now());
          JsonNode value = JSON.readTree(r.value());
          String key = value.path("key").asText(r.key());
          latest.merge(
              key,
              value,
              (old, neu) ->
                  neu.path("version").asLong() >= old.path("version").asLong() ? neu : old);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("output record is not JSON", e);
    }
  }
}
