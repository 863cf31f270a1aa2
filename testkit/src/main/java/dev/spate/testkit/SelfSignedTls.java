package dev.spate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed TLS server certificate for {@code 127.0.0.1} (and {@code localhost}), made with the
 * JDK's own {@code keytool}: a PKCS12 keystore with the key pair for the server, and the
 * certificate as PEM text for clients, which trust it with Kafka's {@code ssl.truststore.type=PEM}
 * (a text file, or inline through {@code ssl.truststore.certificates}).
 *
 * @param keystore the PKCS12 keystore file (alias {@code server})
 * @param password the keystore's and the key's password
 * @param certificatePem the certificate, {@code -----BEGIN CERTIFICATE-----} PEM
 */
public record SelfSignedTls(Path keystore, String password, String certificatePem) {

  /**
   * Makes a new key pair (RSA 2048) and a certificate valid for 2 days.
   *
   * @param dir existing directory for the keystore file {@code server.p12}
   * @return the keystore and certificate
   * @throws IllegalStateException when keytool fails
   */
  public static SelfSignedTls create(Path dir) {
    Path keystore = dir.resolve("server.p12");
    String password = "spate-test-" + Long.toHexString(System.nanoTime());
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        password,
        "-keypass",
        password);
    String pem =
        keytool(
            "-exportcert",
            "-rfc",
            "-alias",
            "server",
            "-keystore",
            keystore.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            password);
    return new SelfSignedTls(keystore, password, pem.trim() + "\n");
  }

  private static String keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  /**
   * Writes {@link #certificatePem()} to a file.
   *
   * @param file where
   * @return the file
   */
  public Path writeCertificate(Path file) {
    try {
      return Files.writeString(file, certificatePem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
