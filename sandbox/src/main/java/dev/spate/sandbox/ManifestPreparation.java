package dev.spate.sandbox;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.api.PodSecurityRestricted;
import dev.spate.sandbox.demo.SandboxManifest;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Gets a running sandbox ready for a user's StreamingJob manifest, what {@code ./sandbox/up
 * --prepare <manifest>} does: the job's namespace, its checkpoint PVC ({@code
 * spec.checkpoint.volume.claimName}, Bound, ReadWriteMany: a directory shared by every pod) and its
 * Kafka topics on the sandbox broker (input topics with a given number of partitions, the output
 * topic with as many, the dead-letter topic with 1); each is created only when missing. It also
 * writes a copy of the manifest with sandbox values ({@link SandboxManifest#forSandbox}: the
 * sandbox broker, no client secret, a 2 s trigger, 512m driver/executor memory, no Spark UI) for
 * {@code kubectl apply -f}.
 */
public final class ManifestPreparation {

  /**
   * What was prepared for one manifest.
   *
   * @param job the StreamingJob with sandbox values
   * @param adapted the file with the sandbox values
   * @param created what was created, e.g. {@code namespace airline}, {@code topic flights (4
   *     partitions)}
   * @param changes the sandbox values, as {@code field: from → to}
   */
  public record Prepared(
      StreamingJob job, Path adapted, List<String> created, List<String> changes) {}

  private ManifestPreparation() {}

  /**
   * Prepares the sandbox for a StreamingJob manifest.
   *
   * @param sandbox the running sandbox
   * @param manifest a YAML file holding one StreamingJob
   * @param inputPartitions partitions of new input and output topics (at least 1)
   * @param outDir where the copy with sandbox values is written ({@code <name>.yaml})
   * @return what was done
   * @throws IOException when the manifest cannot be read or the copy written
   * @throws IllegalArgumentException when the file is not a StreamingJob
   */
  public static Prepared prepare(Sandbox sandbox, Path manifest, int inputPartitions, Path outDir)
      throws IOException {
    StreamingJob job;
    try (InputStream in = Files.newInputStream(manifest)) {
      job = Serialization.unmarshal(in, StreamingJob.class);
    }
    if (job == null
        || !"StreamingJob".equals(job.getKind())
        || job.getSpec() == null
        || job.getSpec().getKafka() == null) {
      throw new IllegalArgumentException(
          manifest + " is not a StreamingJob (spate.dev/v1alpha1) manifest with spec.kafka");
    }
    if (job.getMetadata().getNamespace() == null) {
      job.getMetadata().setNamespace("default");
    }
    SandboxManifest.Adapted adapted =
        SandboxManifest.forSandbox(job, sandbox.kafka().bootstrapServers(), sandbox.monitoring());
    List<String> created = new ArrayList<>();
    KubernetesClient client = sandbox.client();
    String ns = job.getMetadata().getNamespace();
    if (client.namespaces().withName(ns).get() == null) {
      client.namespaces().resource(PodSecurityRestricted.restrictedNamespace(ns)).create();
      created.add("namespace " + ns + " (pod security restricted)");
    }
    var checkpoint = job.getSpec().getCheckpoint();
    if (checkpoint != null && checkpoint.getVolume() != null) {
      String claim = checkpoint.getVolume().getClaimName();
      if (client.persistentVolumeClaims().inNamespace(ns).withName(claim).get() == null) {
        client
            .persistentVolumeClaims()
            .inNamespace(ns)
            .resource(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName(claim)
                    .endMetadata()
                    .withNewSpec()
                    .withAccessModes("ReadWriteMany")
                    .withNewResources()
                    .addToRequests("storage", new Quantity("1Gi"))
                    .endResources()
                    .endSpec()
                    .withNewStatus()
                    .withPhase("Bound")
                    .withAccessModes("ReadWriteMany")
                    .addToCapacity("storage", new Quantity("1Gi"))
                    .endStatus()
                    .build())
            .create();
        created.add("persistentvolumeclaim " + ns + "/" + claim + " (Bound, ReadWriteMany)");
      }
    }
    var kafka = job.getSpec().getKafka();
    Set<String> existing = topics(sandbox);
    List<String> inputs = kafka.getInputTopics() == null ? List.of() : kafka.getInputTopics();
    for (String topic : inputs) {
      createTopic(sandbox, existing, topic, inputPartitions, created);
    }
    if (kafka.getOutputTopic() != null) {
      createTopic(sandbox, existing, kafka.getOutputTopic(), inputPartitions, created);
    }
    if (kafka.getDeadLetterTopic() != null) {
      createTopic(sandbox, existing, kafka.getDeadLetterTopic(), 1, created);
    }
    Files.createDirectories(outDir);
    Path out = outDir.resolve(job.getMetadata().getName() + ".yaml");
    Files.writeString(out, Serialization.asYaml(job));
    List<String> changes =
        adapted.overrides().stream().map(SandboxManifest.Change::toString).toList();
    return new Prepared(job, out, List.copyOf(created), changes);
  }

  private static Set<String> topics(Sandbox sandbox) {
    try (var admin = sandbox.kafka().admin()) {
      return new TreeSet<>(admin.listTopics().names().get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot list topics: " + e.getCause(), e.getCause());
    }
  }

  private static void createTopic(
      Sandbox sandbox, Set<String> existing, String topic, int partitions, List<String> created) {
    if (existing.add(topic)) {
      sandbox.kafka().createTopic(topic, partitions);
      created.add("topic " + topic + " (" + partitions + " partitions)");
    }
  }

  /**
   * @param prepared what was prepared
   * @return a short report for the console
   */
  public static String describe(Prepared prepared) {
    String name = prepared.job().getMetadata().getName();
    return "prepared "
        + name
        + ": "
        + (prepared.created().isEmpty()
            ? "nothing to create"
            : String.join(", ", prepared.created()))
        + "\n  sandbox values: "
        + prepared.changes().stream().collect(Collectors.joining("; "))
        + "\n  kubectl apply -f "
        + prepared.adapted();
  }
}
