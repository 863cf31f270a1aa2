package dev.spate.job;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * s3mock (an S3-compatible server) in a child JVM, from its executable jar ({@code s3mock.jar}
 * system property, laid out by the build under {@code target/s3mock/}): in the test JVM its Spring
 * Boot would need a newer Jackson than Spark 3.5 accepts. Accepts any credentials. {@link #close()}
 * ends the child JVM.
 */
final class S3MockServer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private S3MockServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the server and waits until it answers HTTP.
   *
   * @param bucket a bucket to create at start
   * @param workDir where its objects and log go
   * @return the running server
   * @throws IOException when the JVM cannot be started
   */
  static S3MockServer start(String bucket, Path workDir) throws IOException {
    Path jar = Path.of(System.getProperty("s3mock.jar", "target/s3mock/s3mock-exec.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no s3mock jar at " + jar + " (run the Maven build)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path root = Files.createDirectories(workDir.resolve("objects"));
    Path log = workDir.resolve("s3mock.log");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    jar.toString(),
                    "--com.adobe.testing.s3mock.http-port=" + port,
                    "--server.port=0",
                    "--com.adobe.testing.s3mock.domain.initial-buckets=" + bucket,
                    "--com.adobe.testing.s3mock.domain.root=" + root,
                    "--com.adobe.testing.s3mock.domain.retain-files-on-exit=false",
                    "--logging.level.root=WARN"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    S3MockServer server = new S3MockServer(p, port, log);
    try {
      await("s3mock answers on port " + port)
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException("s3mock exited: " + Files.readString(log));
                }
                HttpURLConnection c =
                    (HttpURLConnection)
                        URI.create(server.endpoint() + "/" + bucket).toURL().openConnection();
                c.setRequestMethod("HEAD");
                return c.getResponseCode() == 200;
              });
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * @return the HTTP endpoint, {@code http://127.0.0.1:<port>}
   */
  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * @return the server's log file
   */
  Path log() {
    return log;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
