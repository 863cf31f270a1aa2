package dev.spate.job;

import static dev.spate.job.KafkaTestClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spate.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bundled job with its checkpoint on an object store: {@code s3a://} (hadoop-aws 3.3.4, the AWS
 * SDK bundle 1.12.262) against s3mock, an S3-compatible server in this JVM. The S3 credentials
 * reach Hadoop only through a Hadoop credential provider file ({@code
 * hadoop.security.credential.provider.path}, a JCEKS keystore that Kubernetes would mount from a
 * Secret): the Spark configuration names the file, never the keys.
 */
class ObjectStoreCheckpointTest {

  @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String BUCKET = "spate-checkpoints";

  private static S3MockServer s3;
  private static SparkSession spark;
  private static Path credentials;

  @RegisterExtension final StreamingQueries queries = new StreamingQueries();

  @BeforeAll
  static void start() throws Exception {
    s3 = S3MockServer.start(BUCKET, Files.createTempDirectory("s3mock"));
    credentials = Files.createTempDirectory("credentials").resolve("s3.jceks");
    Configuration conf = new Configuration(false);
    conf.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, jceks());
    CredentialProvider provider = CredentialProviderFactory.getProviders(conf).get(0);
    provider.createCredentialEntry("fs.s3a.access.key", "spate-test-access".toCharArray());
    provider.createCredentialEntry("fs.s3a.secret.key", "spate-test-secret".toCharArray());
    provider.flush();
    spark = SparkTestSession.start(KAFKA.broker().bootstrapServers(), s3aConf(true));
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  private static String jceks() {
    return "jceks://file" + credentials.toAbsolutePath();
  }

  /** Hadoop settings of an S3-compatible endpoint; credentials only from the provider file. */
  static Map<String, String> s3aConf(boolean withCredentials) {
    Map<String, String> c = new HashMap<>();
    c.put("spark.hadoop.fs.s3a.endpoint", s3.endpoint());
    c.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    c.put("spark.hadoop.fs.s3a.path.style.access", "true");
    c.put("spark.hadoop.fs.s3a.connection.ssl.enabled", "false");
    // s3mock answers a copy with an If-Match ETag constraint (what s3a sends in its default
    // change-detection mode "server") with 412: tests check ETags client-side and only warn, so
    // server-side change detection on copy stays unproven here
    c.put("spark.hadoop.fs.s3a.change.detection.mode", "warn");
    c.put(
        "spark.hadoop.fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    if (withCredentials) {
      c.put("spark.hadoop." + CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, jceks());
    }
    return c;
  }

  private Map<String, String> config(String name, String checkpoint) {
    KAFKA.broker().createTopic(name + "-out", 2);
    Map<String, String> c =
        SparkTestSession.flightsConfig(KAFKA.broker().bootstrapServers(), name, checkpoint);
    c.put(JobConfigKeys.MAX_OFFSETS_PER_TRIGGER, "300");
    return c;
  }

  @Test
  void aQueryRestartedFromAnS3aCheckpointContinuesWithExactTotals() throws Exception {
    String bootstrap = KAFKA.broker().bootstrapServers();
    KAFKA.broker().createTopic("s3-in", 3);
    List<String> flights = TestData.flights();
    produce(bootstrap, "s3-in", flights.subList(0, 1500), 0, 1, 2);
    String checkpoint = "s3a://" + BUCKET + "/analytics/flights";
    Map<String, String> conf = config("s3", checkpoint);
    StreamingQuery first = queries.start(spark, conf);
    long stoppedAfter = StreamingQueries.stopAmidMicroBatch(first, TIMEOUT);
    assertThat(first.exception().isDefined()).isFalse();

    // the checkpoint is in the bucket, not on a local disk
    FileSystem fs =
        FileSystem.get(URI.create(checkpoint), spark.sparkContext().hadoopConfiguration());
    for (String dir : List.of("offsets", "commits", "state", "metadata")) {
      assertThat(fs.exists(new org.apache.hadoop.fs.Path(checkpoint, dir))).as(dir).isTrue();
    }

    produce(bootstrap, "s3-in", flights.subList(1500, flights.size()), 0, 1, 2);
    long restart = System.nanoTime();
    StreamingQuery second = queries.start(spark, conf);
    await().atMost(TIMEOUT).until(() -> second.recentProgress().length > 0);
    long firstBatchMs = (System.nanoTime() - restart) / 1_000_000;
    try (var out = new KafkaTestClients.TopicReader(bootstrap, "s3-out")) {
      out.awaitAggregates(second, TestData.expectedByOrigin(flights), TIMEOUT);
    }
    assertThat(second.recentProgress()[0].batchId()).isGreaterThan(stoppedAfter);
    System.out.printf(
        "s3a checkpoint: restarted query's first micro-batch done %d ms after start()%n",
        firstBatchMs);
  }

  @Test
  void withoutTheCredentialProviderTheQueryFailsAndSaysWhy() throws Exception {
    KAFKA.broker().createTopic("nocred-in", 1);
    produce(KAFKA.broker().bootstrapServers(), "nocred-in", TestData.flights().subList(0, 10), 0);
    String key = "spark.hadoop." + CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH;
    String saved = spark.sparkContext().hadoopConfiguration().get(key.substring(13));
    spark.sparkContext().hadoopConfiguration().unset(key.substring(13));
    try {
      Map<String, String> conf = config("nocred", "s3a://" + BUCKET + "/analytics/nocred");
      Exception failure = null;
      StreamingQuery q = null;
      try {
        q = queries.start(spark, conf);
        StreamingQuery started = q;
        await().atMost(TIMEOUT).until(() -> !started.isActive());
      } catch (Exception e) {
        failure = e;
      }
      String message = failure != null ? failure.toString() : String.valueOf(q.exception().get());
      assertThat(message).contains("NoAwsCredentialsException");
    } finally {
      spark.sparkContext().hadoopConfiguration().set(key.substring(13), saved);
    }
  }
}
