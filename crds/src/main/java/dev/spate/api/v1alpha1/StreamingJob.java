package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Optional;

/**
 * A stateful Spark Structured Streaming job on Kafka, run by the Spate operator: {@code
 * spate.dev/v1alpha1}, kind {@code StreamingJob}, plural {@code streamingjobs}, short name {@code
 * sj}, namespaced, with a {@code status} subresource.
 *
 * <p>The spec says what should run ({@link StreamingJobSpec}); the status says what the operator
 * observed ({@link StreamingJobStatus}).
 *
 * <p>{@code kubectl get sj} shows PHASE, PARTITIONS, EXECUTORS (ready/desired), LAG (records),
 * LAG-SECONDS (age of the oldest unprocessed record), RESTARTS and AGE; {@code -o wide} adds BATCH
 * (last committed micro-batch) and MESSAGE (the Ready condition's message).
 */
@AdditionalPrinterColumn(name = "Phase", type = Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Partitions",
    type = Type.INTEGER,
    jsonPath = ".status.kafka.partitions")
@AdditionalPrinterColumn(
    name = "Executors",
    type = Type.STRING,
    jsonPath = ".status.executors.summary")
@AdditionalPrinterColumn(name = "Lag", type = Type.INTEGER, jsonPath = ".status.kafka.lag")
@AdditionalPrinterColumn(
    name = "Lag-Seconds",
    type = Type.INTEGER,
    jsonPath = ".status.kafka.lagSeconds")
@AdditionalPrinterColumn(
    name = "Restarts",
    type = Type.INTEGER,
    jsonPath = ".status.restarts.count")
@AdditionalPrinterColumn(name = "Age", type = Type.DATE, jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Batch",
    type = Type.INTEGER,
    priority = 1,
    jsonPath = ".status.kafka.committedBatchId")
@AdditionalPrinterColumn(
    name = "Message",
    type = Type.STRING,
    priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message")
@ValidationRule(
    value =
        "!has(self.metadata) || !has(self.metadata.name) || self.metadata.name.matches('"
            + ApiPatterns.JOB_NAME
            + "') && size(self.metadata.name) <= "
            + ApiPatterns.MAX_JOB_NAME_LENGTH,
    message =
        "metadata.name must be a DNS-1035 label of at most 63 characters: lower case letters,"
            + " digits and '-', starting with a letter and ending with a letter or digit (it names"
            + " the job's Service, pods and labels)")
@Group(StreamingJob.GROUP)
@Version(StreamingJob.VERSION)
@Kind(StreamingJob.KIND)
@Singular(StreamingJob.SINGULAR)
@Plural(StreamingJob.PLURAL)
@ShortNames(StreamingJob.SHORT_NAME)
@JsonDeserialize(using = LenientStreamingJobDeserializer.class)
public class StreamingJob extends CustomResource<StreamingJobSpec, StreamingJobStatus>
    implements Namespaced {

  private static final long serialVersionUID = 1L;

  /** API group. */
  public static final String GROUP = "spate.dev";

  /** API version. */
  public static final String VERSION = "v1alpha1";

  /** Kind. */
  public static final String KIND = "StreamingJob";

  /** Singular resource name. */
  public static final String SINGULAR = "streamingjob";

  /** Plural resource name (the REST path segment). */
  public static final String PLURAL = "streamingjobs";

  /** Short name for kubectl ({@code kubectl get sj}). */
  public static final String SHORT_NAME = "sj";

  /** Name of the CustomResourceDefinition, {@code <plural>.<group>}. */
  public static final String CRD_NAME = PLURAL + "." + GROUP;

  /** {@code apiVersion} of the resource, {@code <group>/<version>}. */
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** A StreamingJob with empty metadata, no spec and no status. */
  public StreamingJob() {
    super();
  }

  /**
   * Why the stored spec cannot be read into the typed model, when it cannot: the API server
   * accepted a value the model has no room for (a string where a number belongs, a number beyond
   * the Java type, an unknown enum constant), e.g. under an older, looser CRD. Such a job's {@link
   * #getSpec() spec} is an {@link UnreadableSpec} holding the stored JSON; the operator reports it
   * as {@code InvalidSpec} and runs nothing for it, and every other job is unaffected.
   *
   * @return e.g. {@code "spec.executor.cores cannot be read: ..."}, or empty when the spec was read
   *     (or is absent)
   */
  @JsonIgnore
  public Optional<String> unreadableSpecReason() {
    return getSpec() instanceof UnreadableSpec unreadable
        ? Optional.of(unreadable.reason())
        : Optional.empty();
  }

  /**
   * What should run: the Spark application, its Kafka topics, trigger, checkpoint, driver and
   * executor sizes, and the restart policy.
   *
   * @return the spec; an {@link UnreadableSpec} when the stored spec cannot be read
   */
  @Override
  @JsonPropertyDescription(
      "What should run: the Spark application, its Kafka topics, trigger, checkpoint, driver and"
          + " executor sizes, and the restart policy.")
  public StreamingJobSpec getSpec() {
    return super.getSpec();
  }

  /**
   * What the operator observed, written only by the operator.
   *
   * @return the status, or null before the first reconcile
   */
  @Override
  @JsonPropertyDescription(
      "What the operator observed: phase, conditions, driver attempt, executors, Kafka partitions"
          + " and lag, restarts. Written only by the operator.")
  public StreamingJobStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected StreamingJobSpec initSpec() {
    return null;
  }

  @Override
  protected StreamingJobStatus initStatus() {
    return null;
  }
}
