package dev.spate.sandbox.objectstore;

import dev.spate.api.v1alpha1.CheckpointCredentials;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.StreamingJob;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * {@code s3a://} checkpoints in the sandbox: s3mock (an S3-compatible server) from its executable
 * jar in a child JVM (its Spring Boot needs a newer Jackson than the operator's and Spark's), a
 * bucket, and the S3 access key pair in a Secret ({@link #SECRET}, keys {@code AWS_ACCESS_KEY_ID}
 * and {@code AWS_SECRET_ACCESS_KEY}) that the job names in {@code
 * spec.checkpoint.credentialsSecretRef}, as a user on a real cluster does. {@link #adapter} writes
 * the Secret and points a StreamingJob's checkpoint at the bucket; its {@code sparkConf} gets the
 * endpoint, never a key. {@link #close()} ends the server.
 */
public final class S3Checkpoints implements AutoCloseable {

  /** The bucket checkpoints go to. */
  public static final String BUCKET = "spate-checkpoints";

  /** Where the build lays out s3mock's executable jar (system property {@code s3mock.jar}). */
  public static final String DEFAULT_JAR = "sandbox/target/s3mock/s3mock-exec.jar";

  /** Name of the Secret with the S3 access key pair, in the job's namespace. */
  public static final String SECRET = "s3-checkpoint-credentials";

  /** The sandbox's S3 access key id (s3mock accepts any). */
  public static final String ACCESS_KEY_ID = "spate-sandbox";

  private final Process process;
  private final int port;
  private final Path objects;
  private final String secretAccessKey = "sandbox-" + java.util.UUID.randomUUID();

  private S3Checkpoints(Process process, int port, Path objects) {
    this.process = process;
    this.port = port;
    this.objects = objects;
  }

  /**
   * Starts s3mock with the bucket.
   *
   * @param jar s3mock's executable jar
   * @param dir where objects and log go
   * @return the running server
   * @throws IOException when the JVM cannot start
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
    S3Checkpoints s3 = new S3Checkpoints(p, port, objects);
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
   * Hadoop settings of the sandbox's S3 endpoint. Credentials only from the environment ({@code
   * fs.s3a.aws.credentials.provider} = the AWS SDK's {@code
   * EnvironmentVariableCredentialsProvider}, the member of s3a's default chain that reads {@code
   * AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}; named alone so that no other source can stand
   * in), which the operator fills from the Secret. {@code fs.s3a.change.detection.mode=warn}:
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
        "com.amazonaws.auth.EnvironmentVariableCredentialsProvider");
    return c;
  }

  /**
   * The Secret with the sandbox's S3 access key pair, as a user would create it.
   *
   * @param namespace the job's namespace
   * @return the Secret {@link #SECRET}
   */
  public Secret credentials(String namespace) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(SECRET)
        .withNamespace(namespace)
        .endMetadata()
        .addToStringData(Defaults.ACCESS_KEY_ID_KEY, ACCESS_KEY_ID)
        .addToStringData(Defaults.SECRET_ACCESS_KEY_KEY, secretAccessKey)
        .build();
  }

  /**
   * @return the secret access key of {@link #credentials} (for tests that check it leaks nowhere)
   */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  /**
   * What a user does to put a job's checkpoint on this S3: writes the credentials Secret into the
   * job's namespace ({@link #credentials}; created or replaced) and {@link #adapt}s the job.
   *
   * @param client the sandbox API's client
   * @return the adapter (may run several times for one job)
   */
  public UnaryOperator<StreamingJob> adapter(KubernetesClient client) {
    return job -> {
      client
          .resource(credentials(job.getMetadata().getNamespace()))
          .createOr(NonDeletingOperation::update);
      return adapt(job);
    };
  }

  /**
   * Points a job's checkpoint at the bucket ({@link #location}) with the credentials Secret {@link
   * #SECRET} ({@code spec.checkpoint.credentialsSecretRef}, default keys), drops its checkpoint
   * volume and adds {@link #sparkConf()}.
   *
   * @param job the StreamingJob, changed in place
   * @return the same job
   */
  public StreamingJob adapt(StreamingJob job) {
    job.getSpec().getCheckpoint().setLocation(location(job));
    job.getSpec().getCheckpoint().setVolume(null);
    CheckpointCredentials ref = new CheckpointCredentials();
    ref.setName(SECRET);
    job.getSpec().getCheckpoint().setCredentialsSecretRef(ref);
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
