package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.kafka.KafkaSnapshot;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile knows about a job, read from the informer caches and the Kafka snapshot
 * only (no API request): the input of {@link JobDecider#decide}.
 *
 * @param job the StreamingJob (spec and metadata; its status is the previous status)
 * @param drivers the job's driver pods of every attempt (label {@code spark-role=driver}), any
 *     phase, oldest attempt first
 * @param executors the job's executor pods (labels {@code spark-role=executor}, {@code
 *     spate.dev/job}), any phase
 * @param control the data of the control ConfigMap (the driver plugin's report), empty when absent
 * @param clientSecret the Kafka client config Secret the spec names, empty when it names none or
 *     the Secret does not exist
 * @param kafka the last Kafka snapshot, or null before the first poll finished
 * @param memory what this operator instance remembers of the job between reconciles (scale-down
 *     window, pending live resize, progress watch)
 * @param jobs every StreamingJob of the primary informer cache (this one included), to find a
 *     checkpoint location another job already uses
 * @param checkpointSecret the checkpoint credentials Secret the spec names ({@code
 *     spec.checkpoint.credentialsSecretRef}), empty when it names none or the Secret does not exist
 */
record Observation(
    StreamingJob job,
    List<Pod> drivers,
    List<Pod> executors,
    Map<String, String> control,
    Optional<Secret> clientSecret,
    KafkaSnapshot kafka,
    ExecutorSizer.Memory memory,
    List<StreamingJob> jobs,
    Optional<Secret> checkpointSecret) {

  /** An observation that sees no other job and no checkpoint credentials Secret. */
  Observation(
      StreamingJob job,
      List<Pod> drivers,
      List<Pod> executors,
      Map<String, String> control,
      Optional<Secret> clientSecret,
      KafkaSnapshot kafka,
      ExecutorSizer.Memory memory) {
    this(
        job, drivers, executors, control, clientSecret, kafka, memory, List.of(), Optional.empty());
  }

  /** Copies the collections. */
  Observation {
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
    drivers = List.copyOf(drivers);
    executors = List.copyOf(executors);
    control = control == null ? Map.of() : Map.copyOf(control);
    memory = memory == null ? ExecutorSizer.Memory.EMPTY : memory;
    checkpointSecret = checkpointSecret == null ? Optional.empty() : checkpointSecret;
  }

  /** Ready executor pods. */
  int readyExecutors() {
    return (int) executors.stream().filter(PodFacts::isReady).count();
  }
}
