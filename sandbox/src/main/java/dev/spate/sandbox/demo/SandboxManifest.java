package dev.spate.sandbox.demo;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's StreamingJob: the repository's example {@code deploy/examples/flights-per-origin.yaml}
 * (copied onto the class path by the build, so there is one source of truth) with the few values
 * that only make sense on a real cluster replaced by sandbox values. Each replacement is returned
 * as an {@link Change} so the demo can say what it changed.
 *
 * <p>Replaced: {@code spec.kafka.bootstrapServers} (the sandbox broker), {@code
 * spec.kafka.clientConfigSecretRef} (removed: the sandbox broker is plaintext, no SASL/TLS), {@code
 * spec.trigger.processingTime} (2 s instead of 30 s, so a 20 k record demo shows progress within
 * seconds), {@code spec.driver.memory} and {@code spec.executor.memory} (512m: every pod is a JVM
 * on one machine) and {@code spark.ui.enabled=false} (no UI per driver; kept with {@link
 * #forSandbox(StreamingJob, String, boolean)} for a sandbox that monitors). Everything else —
 * aggregation, topics, checkpoint volume, cores and executor bounds — is the example's.
 */
public final class SandboxManifest {

  /** Class path location of the example (see the sandbox pom's resources). */
  public static final String EXAMPLE = "/dev/spate/sandbox/demo/flights-per-origin.yaml";

  /** Repository path of the example, for messages. */
  public static final String EXAMPLE_PATH = "deploy/examples/flights-per-origin.yaml";

  /** Trigger interval on the sandbox (Spark {@code Trigger.ProcessingTime}). */
  public static final String TRIGGER = "2s";

  /**
   * Driver and executor memory on the sandbox ({@code spark.driver.memory}/{@code
   * spark.executor.memory}).
   */
  public static final String MEMORY = "512m";

  /**
   * One field the sandbox changed.
   *
   * @param field JSON path of the field in the StreamingJob
   * @param from the example's value ({@code <none>} if absent)
   * @param to the sandbox's value ({@code <none>} if removed)
   */
  public record Change(String field, String from, String to) {
    @Override
    public String toString() {
      return field + ": " + from + " → " + to;
    }
  }

  /**
   * The example with its sandbox values.
   *
   * @param job the StreamingJob as applied
   * @param overrides what was changed, in order
   */
  public record Adapted(StreamingJob job, List<Change> overrides) {}

  private SandboxManifest() {}

  /**
   * @return the example as committed
   * @throws IOException when it is not on the class path or does not parse
   */
  public static StreamingJob example() throws IOException {
    try (InputStream in = SandboxManifest.class.getResourceAsStream(EXAMPLE)) {
      if (in == null) {
        throw new IOException(EXAMPLE + " (" + EXAMPLE_PATH + ") not on the class path");
      }
      return Serialization.unmarshal(in, StreamingJob.class);
    }
  }

  /**
   * Replaces the cluster-only values of a StreamingJob by sandbox values (the job is changed in
   * place). Pure apart from that.
   *
   * @param job the example
   * @param bootstrapServers the sandbox broker, {@code host:port}
   * @return the job and the list of changes (fields already at the sandbox value are not listed)
   */
  public static Adapted forSandbox(StreamingJob job, String bootstrapServers) {
    return forSandbox(job, bootstrapServers, false);
  }

  /**
   * Replaces the cluster-only values of a StreamingJob by sandbox values (the job is changed in
   * place), optionally keeping the drivers' Spark UI (then {@code spark.ui.enabled} is left as the
   * example has it, and Spark's Prometheus endpoints answer on the UI port).
   *
   * @param job the example
   * @param bootstrapServers the sandbox broker, {@code host:port}
   * @param sparkUi whether drivers keep their UI (a sandbox with monitoring)
   * @return the job and the list of changes (fields already at the sandbox value are not listed)
   */
  public static Adapted forSandbox(StreamingJob job, String bootstrapServers, boolean sparkUi) {
    List<Change> changes = new ArrayList<>();
    StreamingJobSpec spec = job.getSpec();
    var kafka = spec.getKafka();
    change(
        changes,
        "spec.kafka.bootstrapServers",
        kafka.getBootstrapServers(),
        bootstrapServers,
        kafka::setBootstrapServers);
    if (kafka.getClientConfigSecretRef() != null) {
      changes.add(
          new Change(
              "spec.kafka.clientConfigSecretRef",
              kafka.getClientConfigSecretRef().getName(),
              "<none>"));
      kafka.setClientConfigSecretRef(null);
    }
    if (spec.getTrigger() == null) {
      spec.setTrigger(new dev.spate.api.v1alpha1.TriggerSpec());
    }
    change(
        changes,
        "spec.trigger.processingTime",
        spec.getTrigger().getProcessingTime(),
        TRIGGER,
        spec.getTrigger()::setProcessingTime);
    if (spec.getDriver() == null) {
      spec.setDriver(new dev.spate.api.v1alpha1.DriverSpec());
    }
    change(
        changes,
        "spec.driver.memory",
        spec.getDriver().getMemory(),
        MEMORY,
        spec.getDriver()::setMemory);
    if (spec.getExecutor() == null) {
      spec.setExecutor(new dev.spate.api.v1alpha1.ExecutorSpec());
    }
    change(
        changes,
        "spec.executor.memory",
        spec.getExecutor().getMemory(),
        MEMORY,
        spec.getExecutor()::setMemory);
    Map<String, String> conf =
        new LinkedHashMap<>(spec.getSparkConf() == null ? Map.of() : spec.getSparkConf());
    if (!sparkUi) {
      change(
          changes,
          "spec.sparkConf[spark.ui.enabled]",
          conf.get("spark.ui.enabled"),
          "false",
          v -> conf.put("spark.ui.enabled", v));
    }
    spec.setSparkConf(conf);
    return new Adapted(job, List.copyOf(changes));
  }

  private static void change(
      List<Change> changes,
      String field,
      String from,
      String to,
      java.util.function.Consumer<String> set) {
    if (!Objects.equals(from, to)) {
      changes.add(new Change(field, from == null ? "<none>" : from, to));
      set.accept(to);
    }
  }
}
