package dev.spate.sandbox.objectstore;

import dev.spate.api.v1alpha1.StreamingJob;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code s3a://} checkpoints in the sandbox: s3mock (an S3-compatible server) from its executable
 * jar in a child JVM (its Spring Boot needs a newer Jackson than the operator's and Spark's), a
 * bucket, and S3 credentials in a Hadoop credential provider keystore (JCEKS, what {@code hadoop
 * credential create} writes; in a cluster it would be mounted from a Secret). {@link #adapt} points
 * a StreamingJob's checkpoint at the bucket; its {@code sparkConf} gets the endpoint and the
 * keystore's path, never the keys. {@link #close()} ends the server.
 */
public final class S3Checkpoints implements AutoCloseable {

  /** The bucket checkpoints go to. */
  public static final String BUCKET = "spate-checkpoints";

  /** Where the build lays out s3mock's executable jar (system property {@code s3mock.jar}). */
  public static final String DEFAULT_JAR = "sandbox/target/s3mock/s3mock-exec.jar";

  /**
   * Hadoop's default password of a credential provider keystore ({@code JavaKeyStoreProvider},
   * unless {@code HADOOP_CREDSTORE_PASSWORD} is set).
   */
  private static final char[] KEYSTORE_PASSWORD = "none".toCharArray();

  private final Process process;
  private final int port;
  private final Path objects;
  private final Path keystore;

  private S3Checkpoints(Process process, int port, Path objects, Path keystore) {
    this.process = process;
    this.port = port;
    this.objects = objects;
    this.keystore = keystore;
  }

  /**
   * Starts s3mock with the bucket and writes the credentials keystore.
   *
   * @param jar s3mock's executable jar
   * @param dir where objects, keystore and log go
   * @return the running server
   * @throws IOException when the JVM cannot start or the keystore cannot be written
   */
  public static S3Checkpoints start(Path jar, Path dir) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no s3mock jar at " + jar + " (./mvnw -pl sandbox -am package lays it out)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path objects = Files.createDirectories(dir.resolve("s3/objects"));
    Path log = dir.resolve("s3/s3mock.log");
    Path keystore = dir.resolve("s3/credentials.jceks");
    writeKeystore(keystore, Map.of("fs.s3a.access.key", "sandbox", "fs.s3a.secret.key", "sandbox"));
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-jar",
                    jar.toString(),
                    "--com.adobe.testing.s3mock.http-port=" + port,
                    "--server.port=0",
                    "--com.adobe.testing.s3mock.domain.initial-buckets=" + BUCKET,
                    "--com.adobe.testing.s3mock.domain.root=" + objects,
                    "--logging.level.root=WARN"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    S3Checkpoints s3 = new S3Checkpoints(p, port, objects, keystore);
    try {
      awaitBucket(s3, p, log);
    } catch (IOException | RuntimeException e) {
      s3.close();
      throw e;
    }
    return s3;
  }

  /** Polls (every 200 ms, at most 90 s) until the bucket answers a HEAD with 200. */
  private static void awaitBucket(S3Checkpoints s3, Process p, Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      if (!p.isAlive()) {
        throw new IOException("s3mock exited: " + Files.readString(log));
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create(s3.endpoint() + "/" + BUCKET).toURL().openConnection();
        c.setRequestMethod("HEAD");
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "s3mock did not answer on " + s3.endpoint() + " within 90 s; log " + log);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for s3mock", e);
      }
    }
  }

  /**
   * Writes a JCEKS keystore as Hadoop's {@code JavaKeyStoreProvider} reads it: one secret-key entry
   * per alias, the credential's UTF-8 bytes as the key.
   */
  static void writeKeystore(Path file, Map<String, String> credentials) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("jceks");
      ks.load(null, KEYSTORE_PASSWORD);
      for (Map.Entry<String, String> e : credentials.entrySet()) {
        ks.setKeyEntry(
            e.getKey(),
            new SecretKeySpec(e.getValue().getBytes(StandardCharsets.UTF_8), "AES"),
            KEYSTORE_PASSWORD,
            null);
      }
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        ks.store(out, KEYSTORE_PASSWORD);
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the credential keystore " + file, e);
    }
  }

  /**
   * @return the S3 endpoint, {@code http://127.0.0.1:<port>}
   */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * @return the directory s3mock keeps the objects in
   */
  public Path objects() {
    return objects;
  }

  /**
   * @param job the checkpoint's job
   * @return its checkpoint location in the bucket
   */
  public static String location(StreamingJob job) {
    return "s3a://"
        + BUCKET
        + "/"
        + job.getMetadata().getNamespace()
        + "/"
        + job.getMetadata().getName();
  }

  /**
   * Hadoop settings of the sandbox's S3 endpoint. Credentials only from the keystore ({@code
   * SimpleAWSCredentialsProvider} reads {@code fs.s3a.access.key}/{@code secret.key}, which Hadoop
   * resolves through the credential provider path). {@code fs.s3a.change.detection.mode=warn}:
   * s3mock answers a copy with an If-Match ETag constraint (s3a's default "server" mode, on every
   * rename) with 412.
   *
   * @return {@code spark.hadoop.*} entries for {@code spec.sparkConf}
   */
  public Map<String, String> sparkConf() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("spark.hadoop.fs.s3a.endpoint", endpoint());
    c.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    c.put("spark.hadoop.fs.s3a.path.style.access", "true");
    c.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
    c.put("spark.hadoop.fs.s3a.change.detection.mode", "warn");
    c.put(
        "spark.hadoop.fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    c.put(
        "spark.hadoop.hadoop.security.credential.provider.path",
        "jceks://file" + keystore.toAbsolutePath());
    return c;
  }

  /**
   * Points a job's checkpoint at the bucket ({@link #location}), drops its checkpoint volume and
   * adds {@link #sparkConf()}.
   *
   * @param job the StreamingJob, changed in place
   * @return the same job
   */
  public StreamingJob adapt(StreamingJob job) {
    job.getSpec().getCheckpoint().setLocation(location(job));
    job.getSpec().getCheckpoint().setVolume(null);
    Map<String, String> conf = new LinkedHashMap<>();
    if (job.getSpec().getSparkConf() != null) {
      conf.putAll(job.getSpec().getSparkConf());
    }
    conf.putAll(sparkConf());
    job.getSpec().setSparkConf(conf);
    return job;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
