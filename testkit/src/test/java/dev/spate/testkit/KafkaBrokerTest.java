package dev.spate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  @Test
  void producesAndConsumesSurvivesRestartAndDeletesItsDirectoryOnClose() throws Exception {
    Path dir;
    try (KafkaBroker kafka = KafkaBroker.start()) {
      dir = kafka.logDir();
      kafka.createTopic("t", 3);
      String bootstrap = kafka.bootstrapServers();
      produce(bootstrap, "t", "a", "b", "c");
      assertThat(consumeAll(bootstrap, "t", 3)).containsExactlyInAnyOrder("a", "b", "c");

      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      kafka.restart();

      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
      produce(bootstrap, "t", "d");
      assertThat(consumeAll(bootstrap, "t", 4)).containsExactlyInAnyOrder("a", "b", "c", "d");

      kafka.addPartitions("t", 5);
      try (Admin admin = kafka.admin()) {
        assertThat(admin.describeTopics(Set.of("t")).allTopicNames().get().get("t").partitions())
            .hasSize(5);
      }
      assertThatThrownBy(() -> kafka.createTopic("t", 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("TopicExistsException");
    }
    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void tlsListenerServesClientsThatTrustItsCertificateOnly(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(dir);
    assertThat(tls.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    try (KafkaBroker kafka = KafkaBroker.startWithTls(tls)) {
      kafka.createTopic("secure", 2);
      Map<String, Object> trusting =
          Map.of(
              "bootstrap.servers",
              kafka.tlsBootstrapServers(),
              "security.protocol",
              "SSL",
              "ssl.truststore.type",
              "PEM",
              "ssl.truststore.location",
              tls.writeCertificate(dir.resolve("ca.pem")).toString());
      try (Admin admin = Admin.create(trusting)) {
        assertThat(admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS))
            .contains("secure");
      }
      Map<String, Object> notTrusting =
          Map.of(
              "bootstrap.servers", kafka.tlsBootstrapServers(),
              "security.protocol", "SSL",
              "default.api.timeout.ms", "5000",
              "request.timeout.ms", "4000");
      try (Admin admin = Admin.create(notTrusting)) {
        assertThatThrownBy(
                () -> admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.apache.kafka.common.errors.SslAuthenticationException.class);
      }
      Map<String, Object> plaintextOnTls =
          Map.of(
              "bootstrap.servers", kafka.tlsBootstrapServers(),
              "default.api.timeout.ms", "5000",
              "request.timeout.ms", "4000");
      try (Admin admin = Admin.create(plaintextOnTls)) {
        assertThatThrownBy(
                () -> admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS))
            .isInstanceOf(java.util.concurrent.ExecutionException.class);
      }
    }
  }

  @Test
  void restartWhileRunningIsRejected() {
    try (KafkaBroker kafka = KafkaBroker.start()) {
      assertThatThrownBy(kafka::restart).isInstanceOf(IllegalStateException.class);
    }
  }

  private static void produce(String bootstrap, String topic, String... values) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      for (String v : values) {
        producer.send(new ProducerRecord<>(topic, v, v)).get();
      }
    }
  }

  private static List<String> consumeAll(String bootstrap, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }
}
