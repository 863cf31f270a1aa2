package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.decide.Reason;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events ({@code core/v1}) about a StreamingJob, with a {@link Reason}; shown by
 * {@code kubectl describe streamingjob} and {@code kubectl get events}. A failure to write an Event
 * is logged, never fatal.
 */
public final class JobEvents {

  /** Event type. */
  public enum Type {
    /** Normal. */
    Normal,
    /** Warning. */
    Warning
  }

  /** {@code source.component} / {@code reportingComponent} of every Event. */
  public static final String COMPONENT = "spate-operator";

  private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final KubernetesClient client;
  private final String instance;

  /**
   * @param client the client to write with
   * @param instance this operator instance's name ({@code reportingInstance}), e.g. the pod name
   */
  public JobEvents(KubernetesClient client, String instance) {
    this.client = client;
    this.instance = instance;
  }

  /**
   * Records an Event about a job.
   *
   * @param job the StreamingJob involved
   * @param type Normal or Warning
   * @param reason the reason
   * @param message what happened, for humans
   */
  public void record(StreamingJob job, Type type, Reason reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String name =
        job.getMetadata().getName()
            + "."
            + Long.toHexString(System.currentTimeMillis())
            + Long.toHexString(SEQUENCE.incrementAndGet());
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name.toLowerCase(Locale.ROOT))
            .withNamespace(job.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(job.getApiVersion())
                    .withKind(job.getKind())
                    .withName(job.getMetadata().getName())
                    .withNamespace(job.getMetadata().getNamespace())
                    .withUid(job.getMetadata().getUid())
                    .withResourceVersion(job.getMetadata().getResourceVersion())
                    .build())
            .withType(type.name())
            .withReason(reason.value())
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .build();
    LOG.info(
        "{} {} {}/{}: {}",
        type,
        reason,
        job.getMetadata().getNamespace(),
        job.getMetadata().getName(),
        message);
    try {
      client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not record Event {} for {}/{}: {}",
          reason,
          job.getMetadata().getNamespace(),
          job.getMetadata().getName(),
          e.getMessage());
    }
  }
}
