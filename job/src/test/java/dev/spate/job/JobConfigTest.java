package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> c = new HashMap<>();
    c.put(JobConfigKeys.BOOTSTRAP_SERVERS, "kafka:9092");
    c.put(JobConfigKeys.INPUT_TOPICS, "clicks, views");
    c.put(JobConfigKeys.OUTPUT_TOPIC, "clicks-per-user");
    c.put(JobConfigKeys.CONSUMER_GROUP, "spate.default.clicks");
    c.put(JobConfigKeys.CHECKPOINT_LOCATION, "file:///checkpoints/clicks");
    return c;
  }

  @Test
  void defaultsApplyToAMinimalConfiguration() {
    JobConfig c = JobConfig.from(minimal());
    assertThat(c.inputTopics()).containsExactly("clicks", "views");
    assertThat(c.subscribe()).isEqualTo("clicks,views");
    assertThat(c.startingOffsets()).isEqualTo("earliest");
    assertThat(c.triggerIntervalMs()).isEqualTo(10_000);
    assertThat(c.stateTimeoutMs()).isEqualTo(30 * 60_000);
    assertThat(c.maxOffsetsPerTrigger()).isNull();
    assertThat(c.deadLetterTopic()).isNull();
    assertThat(c.kafkaClientProperties()).isEmpty();
    assertThat(c.terminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(c.parse()).isEqualTo(new JobConfig.ParseSpec(null, null, null, null));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Map<String, String> c = new HashMap<>();
    c.put(JobConfigKeys.INPUT_TOPICS, "ok,bad topic");
    c.put(JobConfigKeys.OUTPUT_TOPIC, "ok");
    c.put(JobConfigKeys.MAX_OFFSETS_PER_TRIGGER, "-5");
    c.put(JobConfigKeys.EVENT_TIME_FORMAT, "yyyy-MM-dd{{");
    c.put(JobConfigKeys.STATE_TIMEOUT, "0s");
    assertThatThrownBy(() -> JobConfig.from(c))
        .isInstanceOfSatisfying(
            InvalidConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        JobConfigKeys.BOOTSTRAP_SERVERS + " is required",
                        JobConfigKeys.INPUT_TOPICS
                            + ": 'bad topic' is not a legal Kafka topic name (1-249 of [a-zA-Z0-9._-])",
                        JobConfigKeys.OUTPUT_TOPIC + " 'ok' is also an input topic",
                        JobConfigKeys.CONSUMER_GROUP + " is required",
                        JobConfigKeys.MAX_OFFSETS_PER_TRIGGER + " must be positive, not -5",
                        JobConfigKeys.CHECKPOINT_LOCATION + " is required",
                        JobConfigKeys.EVENT_TIME_FORMAT
                            + " is set but "
                            + JobConfigKeys.EVENT_TIME_FIELD
                            + " is not",
                        JobConfigKeys.EVENT_TIME_FORMAT
                            + ": 'yyyy-MM-dd{{' is neither epochMillis, epochSeconds nor a java.time pattern: Pattern includes reserved character: '{'",
                        JobConfigKeys.STATE_TIMEOUT + ": '0s' must be longer than zero"));
  }

  @Test
  void argumentsOverrideSparkConfAndMayOmitThePrefix() {
    Map<String, String> merged =
        JobConfig.merge(
            minimal(), "kafka.outputTopic=other", "spark.spate.trigger.processingTime=500ms");
    JobConfig c = JobConfig.from(merged);
    assertThat(c.outputTopic()).isEqualTo("other");
    assertThat(c.triggerIntervalMs()).isEqualTo(500);
    assertThatThrownBy(() -> JobConfig.merge(minimal(), "novalue"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("'novalue' is not key=value");
  }

  @Test
  void clientPropertiesReachSourceAndSinkAsKafkaPrefixedOptions(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nfetch.max.wait.ms=100\n");
    Map<String, String> conf = minimal();
    conf.put(JobConfigKeys.CLIENT_PROPERTIES_FILE, file.toString());
    conf.put(JobConfigKeys.MAX_OFFSETS_PER_TRIGGER, "100000");
    JobConfig c = JobConfig.from(conf);
    assertThat(AggregationQuery.sourceOptions(c))
        .containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("kafka.fetch.max.wait.ms", "100")
        .containsEntry("kafka.bootstrap.servers", "kafka:9092")
        .containsEntry("subscribe", "clicks,views")
        .containsEntry("startingOffsets", "earliest")
        .containsEntry("maxOffsetsPerTrigger", "100000");
    assertThat(AggregationQuery.sinkOptions(c))
        .containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.bootstrap.servers", "kafka:9092")
        .doesNotContainKey("topic");
    assertThat(c.toString()).contains("security.protocol").doesNotContain("SASL_SSL");
  }

  @Test
  void relativeLocationsAreFilesOfTheSecretNextToTheProperties(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=ca.pem\n"
            + "ssl.keystore.location=/etc/pki/client.p12\nssl.keystore.password=ca.pem\n");
    Map<String, String> conf = minimal();
    conf.put(JobConfigKeys.CLIENT_PROPERTIES_FILE, file.toString());
    JobConfig c = JobConfig.from(conf);
    assertThat(AggregationQuery.sourceOptions(c))
        .containsEntry("kafka.ssl.truststore.location", dir.resolve("ca.pem").toString())
        .containsEntry("kafka.ssl.keystore.location", "/etc/pki/client.p12")
        // a password is a reference Kafka resolves from the mounted file, never the value itself
        .containsEntry(
            "kafka.ssl.keystore.password", "${spatefile:" + file + ":ssl.keystore.password}");
  }

  @Test
  void unreadableClientPropertiesFileIsAConfigurationError() {
    Map<String, String> conf = minimal();
    conf.put(JobConfigKeys.CLIENT_PROPERTIES_FILE, "/nonexistent/client.properties");
    assertThatThrownBy(() -> JobConfig.from(conf))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining(
            JobConfigKeys.CLIENT_PROPERTIES_FILE
                + " '/nonexistent/client.properties' cannot be read");
  }

  @Test
  void durations() {
    assertThat(Durations.toMillis("500ms")).isEqualTo(500);
    assertThat(Durations.toMillis("10s")).isEqualTo(10_000);
    assertThat(Durations.toMillis("1m")).isEqualTo(60_000);
    assertThat(Durations.toMillis("2h")).isEqualTo(7_200_000);
    assertThat(Durations.toMillis("1d")).isEqualTo(86_400_000);
    for (String bad : new String[] {"", "10", "1.5s", "-1s", "10 seconds", "s", "0ms"}) {
      assertThatThrownBy(() -> Durations.toMillis(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
