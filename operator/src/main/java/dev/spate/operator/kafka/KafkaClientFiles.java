package dev.spate.operator.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes a job's Kafka client properties usable by the operator's own AdminClient. The properties
 * are written for the driver and executors, where every key of the client config Secret is a file
 * in {@code mountDir} (e.g. {@code ssl.truststore.location=/opt/spate/kafka/ca.pem}, or the
 * relative {@code ca.pem}, which the job resolves against that directory). The operator has no such
 * mount: each {@code *.location} value naming a key of the Secret is rewritten to a local copy of
 * that key, written once under {@code root} in a directory named after the SHA-256 of its content
 * (the same content always gives the same path, so the AdminClient of a cluster is not recreated on
 * every reconcile).
 */
public final class KafkaClientFiles {

  private KafkaClientFiles() {}

  /**
   * @param properties the job's client properties (Kafka client configuration keys)
   * @param secretFiles every key of the client config Secret with its bytes
   * @param mountDir where the Secret is mounted in the job's pods
   * @param root a private directory of the operator for the local copies
   * @return the properties with each {@code *.location} naming a Secret key rewritten to a local
   *     copy; other values as given
   * @throws UncheckedIOException when a copy cannot be written
   */
  public static Map<String, String> localise(
      Map<String, String> properties, Map<String, byte[]> secretFiles, String mountDir, Path root) {
    Map<String, String> out = new TreeMap<>(properties);
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (!e.getKey().endsWith(".location")) {
        continue;
      }
      String value = e.getValue().trim();
      String key =
          value.startsWith(mountDir + "/") ? value.substring(mountDir.length() + 1) : value;
      byte[] content = secretFiles.get(key);
      if (content == null || key.contains("/")) {
        continue;
      }
      out.put(e.getKey(), copy(root, key, content).toString());
    }
    return out;
  }

  private static Path copy(Path root, String key, byte[] content) {
    try {
      Path dir = root.resolve(sha256(content));
      Path file = dir.resolve(key);
      if (!Files.exists(file)) {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, key, ".tmp");
        Files.write(tmp, content);
        Files.move(
            tmp,
            file,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a local copy of Kafka client file " + key, e);
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JVM", e);
    }
  }
}
