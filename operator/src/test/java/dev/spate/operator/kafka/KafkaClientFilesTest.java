package dev.spate.operator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientFilesTest {

  @TempDir Path root;

  private static final byte[] PEM =
      "-----BEGIN CERTIFICATE-----\nabc\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] JKS = {(byte) 0xfe, (byte) 0xed, (byte) 0xfe, (byte) 0xed, 0, 1};

  @Test
  void locationsNamingSecretKeysPointAtLocalCopiesWithTheSameBytes() throws Exception {
    Map<String, String> props =
        Map.of(
            "security.protocol", "SSL",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/opt/spate/kafka/ca.pem",
            "ssl.keystore.location", "client.jks",
            "ssl.keystore.password", "secret");
    Map<String, String> local =
        KafkaClientFiles.localise(
            props, Map.of("ca.pem", PEM, "client.jks", JKS), "/opt/spate/kafka", root);
    assertThat(local)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.keystore.password", "secret");
    assertThat(Files.readAllBytes(Path.of(local.get("ssl.truststore.location")))).isEqualTo(PEM);
    assertThat(Files.readAllBytes(Path.of(local.get("ssl.keystore.location")))).isEqualTo(JKS);
    assertThat(Path.of(local.get("ssl.truststore.location"))).startsWith(root);
    // the same content, the same path: the AdminClient's configuration does not change
    assertThat(
            KafkaClientFiles.localise(
                props, Map.of("ca.pem", PEM, "client.jks", JKS), "/opt/spate/kafka", root))
        .isEqualTo(local);
  }

  @Test
  void otherValuesAndPathsOutsideTheSecretStayAsGiven() {
    Map<String, String> props =
        Map.of(
            "ssl.truststore.location", "/etc/pki/ca.pem",
            "sasl.jaas.config", "ca.pem",
            "ssl.keystore.location", "/opt/spate/kafka/missing.jks");
    assertThat(KafkaClientFiles.localise(props, Map.of("ca.pem", PEM), "/opt/spate/kafka", root))
        .isEqualTo(props);
  }
}
