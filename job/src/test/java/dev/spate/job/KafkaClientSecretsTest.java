package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret Kafka client settings leave the driver only as references to the mounted client properties
 * file, and Kafka's own config classes resolve them back from that file.
 */
class KafkaClientSecretsTest {

  private static Map<String, String> minimal() {
    Map<String, String> c = new HashMap<>();
    c.put(JobConfigKeys.BOOTSTRAP_SERVERS, "kafka:9092");
    c.put(JobConfigKeys.INPUT_TOPICS, "clicks,views");
    c.put(JobConfigKeys.OUTPUT_TOPIC, "out");
    c.put(JobConfigKeys.CONSUMER_GROUP, "g");
    c.put(JobConfigKeys.CHECKPOINT_LOCATION, "file:///tmp/cp");
    return c;
  }

  @Test
  void secretClientSettingsReachExecutorsAsReferencesToTheMountedFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\n"
            + "sasl.mechanism=PLAIN\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"u\" password=\"s3cret\";\n"
            + "ssl.truststore.location=/opt/spate/kafka/truststore.p12\n"
            + "ssl.truststore.password=changeit\n"
            + "ssl.keystore.password=changeit2\n"
            + "my.custom.token=abc\n");
    Map<String, String> conf = minimal();
    conf.put(JobConfigKeys.CLIENT_PROPERTIES_FILE, file.toString());
    conf.put(JobConfigKeys.DEAD_LETTER_TOPIC, "dlq");
    JobConfig c = JobConfig.from(conf);
    String ref = "${" + KafkaClientSecrets.PROVIDER + ":" + file + ":";
    for (Map<String, String> options :
        List.of(AggregationQuery.sourceOptions(c), AggregationQuery.sinkOptions(c))) {
      assertThat(options)
          .containsEntry("kafka.security.protocol", "SASL_SSL")
          .containsEntry("kafka.sasl.mechanism", "PLAIN")
          .containsEntry("kafka.ssl.truststore.location", "/opt/spate/kafka/truststore.p12")
          .containsEntry("kafka.sasl.jaas.config", ref + "sasl.jaas.config}")
          .containsEntry("kafka.ssl.truststore.password", ref + "ssl.truststore.password}")
          .containsEntry("kafka.ssl.keystore.password", ref + "ssl.keystore.password}")
          .containsEntry("kafka.my.custom.token", ref + "my.custom.token}")
          .containsEntry("kafka.config.providers", KafkaClientSecrets.PROVIDER)
          .containsEntry(
              "kafka.config.providers." + KafkaClientSecrets.PROVIDER + ".class",
              "org.apache.kafka.common.config.provider.FileConfigProvider");
      assertThat(options.values())
          .noneMatch(v -> v.contains("s3cret") || v.contains("changeit") || v.contains("abc"));
    }
    // the dead-letter producer travels inside the map-side closure: serialise it as Spark does
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(AggregationQuery.deadLetterSink(c));
    }
    assertThat(bytes.toString(StandardCharsets.ISO_8859_1))
        .contains("sasl.jaas.config")
        .doesNotContain("s3cret")
        .doesNotContain("changeit");
    // the driver's own clients (offset committer) read the file directly
    assertThat(JobConfig.readClientProperties(file.toString()))
        .containsEntry("ssl.truststore.password", "changeit");
  }

  @Test
  void clientPropertiesWithoutSecretsPassAsWritten() {
    Map<String, String> plain = Map.of("security.protocol", "SSL", "fetch.max.wait.ms", "5");
    assertThat(KafkaClientSecrets.forExecutors(plain, "/f")).isEqualTo(plain);
    assertThat(KafkaClientSecrets.forExecutors(Map.of(), null)).isEmpty();
    // the user's own providers come first; their references stay as written
    assertThat(
            KafkaClientSecrets.forExecutors(
                Map.of(
                    "config.providers", "vault",
                    "config.providers.vault.class", "com.example.Vault",
                    "sasl.jaas.config", "${vault:kafka:jaas}",
                    "ssl.key.password", "pw"),
                "/f"))
        .containsEntry("config.providers", "vault," + KafkaClientSecrets.PROVIDER)
        .containsEntry("config.providers.vault.class", "com.example.Vault")
        .containsEntry("sasl.jaas.config", "${vault:kafka:jaas}")
        .containsEntry(
            "ssl.key.password", "${" + KafkaClientSecrets.PROVIDER + ":/f:ssl.key.password}");
  }

  @Test
  void kafkaClientsResolveTheReferencesFromTheFileWhereTheyAreCreated(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("client.properties");
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"u\" password=\"s3cret\";";
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.jaas.config="
            + jaas
            + "\nssl.truststore.password=changeit\n");
    Map<String, String> executor =
        KafkaClientSecrets.forExecutors(
            JobConfig.readClientProperties(file.toString()), file.toString());
    Map<String, Object> consumer = new HashMap<>(executor);
    consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    ConsumerConfig resolved = new ConsumerConfig(consumer);
    assertThat(resolved.getPassword("sasl.jaas.config").value()).isEqualTo(jaas);
    assertThat(resolved.getPassword("ssl.truststore.password").value()).isEqualTo("changeit");
    assertThat(resolved.getString("security.protocol")).isEqualTo("SASL_SSL");

    Map<String, Object> producer = new HashMap<>(executor);
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    assertThat(new ProducerConfig(producer).getPassword("sasl.jaas.config").value())
        .isEqualTo(jaas);

    // where the file is not mounted, the client fails at creation instead of running without
    Files.delete(file);
    assertThatThrownBy(() -> new ConsumerConfig(consumer))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString());
  }
}
