package dev.spate.job;

import static dev.spate.job.KafkaTestClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.testkit.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled job on a real broker and Spark local[2] with secret client settings in the client
 * properties file: Spark's Kafka source and sink and the dead-letter producer get them only as
 * {@code ${spatefile:<file>:<key>}} references ({@link KafkaClientSecrets}) and their Kafka clients
 * resolve them from the file. The broker's listener is plaintext, so the resolved values are read
 * but not used for authentication; that the clients read them is shown by the query failing once
 * the file is gone.
 */
class ClientSecretsJobTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  private static final String PASSWORD = "s3cret-only-in-the-file";

  private static SparkSession spark;

  @RegisterExtension final StreamingQueries queries = new StreamingQueries();

  @BeforeAll
  static void startSpark() {
    spark = SparkTestSession.start(KAFKA.broker().bootstrapServers());
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  private Map<String, String> config(String name, Path clientProperties) throws Exception {
    Files.writeString(
        clientProperties,
        "ssl.key.password="
            + PASSWORD
            + "\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
            + " required username=\"u\" password=\""
            + PASSWORD
            + "\";\n");
    KAFKA.broker().createTopic(name + "-in", 2);
    KAFKA.broker().createTopic(name + "-out", 1);
    KAFKA.broker().createTopic(name + "-dlq", 1);
    Map<String, String> c =
        SparkTestSession.flightsConfig(
            KAFKA.broker().bootstrapServers(),
            name,
            SparkTestSession.checkpointDir(name).toUri().toString());
    c.put(JobConfigKeys.DEAD_LETTER_TOPIC, name + "-dlq");
    c.put(JobConfigKeys.CLIENT_PROPERTIES_FILE, clientProperties.toString());
    return c;
  }

  @Test
  void sourceSinkAndDeadLettersRunWithSecretsOnlyByReference(@TempDir Path dir) throws Exception {
    List<String> good = TestData.flights().subList(0, 300);
    List<String> input = new ArrayList<>(good);
    input.add(10, "NOT JSON");
    JobConfig c = JobConfig.from(config("r", dir.resolve("client.properties")));
    produce(KAFKA.broker().bootstrapServers(), "r-in", input, 0, 1);
    assertThat(AggregationQuery.sourceOptions(c).values()).noneMatch(v -> v.contains(PASSWORD));
    assertThat(AggregationQuery.sinkOptions(c).values()).noneMatch(v -> v.contains(PASSWORD));
    StreamingQuery q = queries.start(spark, c);
    String bootstrap = KAFKA.broker().bootstrapServers();
    try (var out = new KafkaTestClients.TopicReader(bootstrap, "r-out");
        var dlq = new KafkaTestClients.TopicReader(bootstrap, "r-dlq")) {
      Map<String, TestData.Aggregate> expected = TestData.expectedByOrigin(good);
      out.awaitAggregates(q, expected, TIMEOUT);
      await().atMost(TIMEOUT).until(() -> dlq.poll().size() >= 1);
      assertThat(dlq.poll()).hasSize(1);
    }
  }

  @Test
  void withoutTheMountedFileTheKafkaClientsCannotStart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    JobConfig c = JobConfig.from(config("m", file));
    produce(KAFKA.broker().bootstrapServers(), "m-in", TestData.flights().subList(0, 10), 0);
    Files.delete(file);
    StreamingQuery q = queries.start(spark, c);
    await().atMost(TIMEOUT).until(() -> q.exception().isDefined());
    assertThat(q.exception().get().toString()).contains(file.toString());
  }
}
