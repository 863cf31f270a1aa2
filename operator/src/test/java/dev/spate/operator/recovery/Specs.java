package dev.spate.operator.recovery;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Test specs from this package's resources. */
final class Specs {

  private Specs() {}

  /**
   * @return a fresh copy of {@code full-spec.yaml}: every field of the spec set
   */
  static StreamingJobSpec full() {
    return load("full-spec.yaml");
  }

  /**
   * @return a spec with only the required fields
   */
  static StreamingJobSpec minimal() {
    return load("minimal-spec.yaml");
  }

  private static StreamingJobSpec load(String name) {
    try (InputStream in = Specs.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test spec " + name);
      }
      return Serialization.unmarshal(in, StreamingJob.class).getSpec();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
