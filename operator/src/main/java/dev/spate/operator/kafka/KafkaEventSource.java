package dev.spate.operator.kafka;

import dev.spate.api.v1alpha1.StreamingJob;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.Set;

/**
 * JOSDK event source over a {@link KafkaObserver}: a changed Kafka snapshot of a job (partition
 * count, lag, last commit, or a new problem) triggers a reconcile of that job.
 */
public final class KafkaEventSource extends AbstractEventSource<KafkaSnapshot, StreamingJob> {

  /** Name of this event source in the controller. */
  public static final String NAME = "kafka";

  private KafkaObserver<ResourceID> inspector;

  /** Creates the source; {@link #attach} must follow before the operator starts. */
  public KafkaEventSource() {
    super(KafkaSnapshot.class, NAME);
  }

  /**
   * Connects the observer whose changes this source reports.
   *
   * @param inspector the observer
   */
  public void attach(KafkaObserver<ResourceID> inspector) {
    this.inspector = inspector;
  }

  /**
   * Called by the inspector when a job's snapshot changed.
   *
   * @param job the job
   * @param snapshot its new snapshot
   */
  public void onSnapshot(ResourceID job, KafkaSnapshot snapshot) {
    if (isRunning() && getEventHandler() != null) {
      getEventHandler().handleEvent(new Event(job));
    }
  }

  @Override
  public Set<KafkaSnapshot> getSecondaryResources(StreamingJob job) {
    return inspector == null
        ? Set.of()
        : inspector.snapshot(ResourceID.fromResource(job)).map(Set::of).orElse(Set.of());
  }
}
