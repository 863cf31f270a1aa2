package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.api.v1alpha1.SecretReference;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.api.PodSecurityRestricted;
import dev.spate.testkit.SelfSignedTls;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The demo scenario against the broker's TLS listener only (a self-signed certificate made in the
 * test with keytool): the StreamingJob references a client config Secret with two keys, {@code
 * client.properties} ({@code security.protocol=SSL}, a PKCS12 truststore at the relative location
 * {@code truststore.p12} with its password) and {@code truststore.p12}, a binary file made in the
 * test from the certificate (so the Secret's bytes must reach the operator's AdminClient and the
 * pods' mounts unchanged). The operator's AdminClient (partitions, lag), the driver's offset
 * committer and the executors' Kafka reads and writes all connect over TLS: the output is right,
 * the lag reaches 0, and every executor pod mounts the whole Secret.
 *
 * <p>What the JVM runtime of the sandbox leaves unproven: an executor here reads the truststore at
 * the path the driver resolved (both are processes of this machine); in a cluster, the executor's
 * own mount of the Secret (asserted below in its pod spec) serves the same path.
 */
class SandboxKafkaTlsTest {

  private static final String SECRET = "kafka-tls";
  private static final String TRUSTSTORE_PASSWORD = "trust-pass";

  /** A PKCS12 truststore holding the certificate: binary, not valid UTF-8. */
  private static byte[] pkcs12Truststore(String certificatePem) throws Exception {
    Certificate ca =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, TRUSTSTORE_PASSWORD.toCharArray());
    byte[] bytes = out.toByteArray();
    assertThatThrownBy(() -> StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)))
        .as("the truststore is binary, not UTF-8")
        .isInstanceOf(CharacterCodingException.class);
    return bytes;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  @Test
  void theDemoRunsOverTls() throws Exception {
    FlightTotals data = DemoScenario.load(Path.of("data/flights-20k.json"));
    Path runDir =
        Path.of(System.getProperty("spate.sandbox.runDir", "target/sandbox-run"))
            .resolve("tls-" + System.currentTimeMillis())
            .toAbsolutePath();
    Files.createDirectories(runDir);
    SelfSignedTls tls = SelfSignedTls.create(runDir);
    byte[] truststore = pkcs12Truststore(tls.certificatePem());
    Sandbox.Options defaults = Sandbox.Options.defaults();
    Sandbox.Options options =
        new Sandbox.Options(defaults.sparkHome(), runDir, false, defaults.kafkaPollInterval());
    try (Sandbox sandbox = Sandbox.start(options, tls)) {
      UnaryOperator<StreamingJob> overTls =
          job -> {
            String ns = job.getMetadata().getNamespace();
            sandbox
                .client()
                .namespaces()
                .resource(PodSecurityRestricted.restrictedNamespace(ns))
                .createOr(NonDeletingOperation::update);
            sandbox
                .client()
                .secrets()
                .inNamespace(ns)
                .resource(
                    new SecretBuilder()
                        .withNewMetadata()
                        .withName(SECRET)
                        .endMetadata()
                        .withData(
                            Map.of(
                                "client.properties",
                                base64(
                                    ("security.protocol=SSL\n"
                                            + "ssl.truststore.type=PKCS12\n"
                                            + "ssl.truststore.location=truststore.p12\n"
                                            + "ssl.truststore.password="
                                            + TRUSTSTORE_PASSWORD
                                            + "\n")
                                        .getBytes(StandardCharsets.UTF_8)),
                                "truststore.p12",
                                base64(truststore)))
                        .build())
                .createOr(NonDeletingOperation::update);
            job.getSpec().getKafka().setBootstrapServers(sandbox.kafka().tlsBootstrapServers());
            SecretReference ref = new SecretReference();
            ref.setName(SECRET);
            job.getSpec().getKafka().setClientConfigSecretRef(ref);
            return job;
          };
      DemoScenario scenario =
          new DemoScenario(sandbox, data, System.out, Duration.ofMinutes(4), overTls);
      DemoScenario.Result result = scenario.run();

      assertThat(result.reason()).isEmpty();
      assertThat(result.ok()).isTrue();
      assertThat(result.keysMatching()).isEqualTo(220);
      assertThat(result.lag()).isZero();
      assertThat(result.operatorLag()).as("the operator's AdminClient read lag over TLS").isZero();

      StreamingJob job = scenario.manifest();
      assertThat(job.getSpec().getKafka().getBootstrapServers())
          .isEqualTo(sandbox.kafka().tlsBootstrapServers());
      List<Pod> executors =
          sandbox
              .client()
              .pods()
              .inNamespace(job.getMetadata().getNamespace())
              .withLabel("spark-role", "executor")
              .list()
              .getItems();
      assertThat(executors)
          .isNotEmpty()
          .allSatisfy(
              p ->
                  assertThat(p.getSpec().getVolumes())
                      .anySatisfy(
                          v -> {
                            assertThat(v.getSecret()).isNotNull();
                            assertThat(v.getSecret().getSecretName()).isEqualTo(SECRET);
                            assertThat(v.getSecret().getItems()).as("every key").isNullOrEmpty();
                          }));
    }
  }
}
