package dev.spate.operator;

import dev.spate.api.v1alpha1.StreamingJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test StreamingJobs from {@code src/test/resources/jobs}. */
public final class TestJobs {

  private TestJobs() {}

  /**
   * @param name file name without {@code .yaml}
   * @return a fresh StreamingJob parsed from the file
   */
  public static StreamingJob load(String name) {
    try (InputStream in = TestJobs.class.getResourceAsStream("/jobs/" + name + ".yaml")) {
      if (in == null) {
        throw new IllegalArgumentException("no test job " + name);
      }
      return Serialization.unmarshal(in, StreamingJob.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@code minimal} job as a test creates it on the mock API server: in the given namespace
   * under the given name, without a uid, reading Kafka at the given servers, with its own
   * checkpoint location {@code s3a://spate-checkpoints/<namespace>/<name>} (the operator refuses a
   * second job on a location).
   */
  public static StreamingJob minimal(String namespace, String name, String bootstrapServers) {
    StreamingJob job = load("minimal");
    job.getMetadata().setNamespace(namespace);
    job.getMetadata().setName(name);
    job.getMetadata().setUid(null);
    job.getSpec().getCheckpoint().setLocation("s3a://spate-checkpoints/" + namespace + "/" + name);
    job.getSpec().getKafka().setBootstrapServers(bootstrapServers);
    return job;
  }
}
