package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's ownerReference garbage collector: when an owner is deleted, every object whose
 * {@code metadata.ownerReferences[].uid} names it is deleted in the background, and so on down the
 * chain (the controller manager's garbage collector with {@code propagationPolicy: Background}, see
 * https://kubernetes.io/docs/concepts/architecture/garbage-collection/). Dependents with several
 * owners are deleted when any owner goes (the real collector waits for all owners; Spate's objects
 * have one). A dependent created after all its owners are gone is deleted as well.
 */
public final class GarbageCollector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final KubernetesCrudDispatcher crud;
  private final ToIntFunction<String> deleter;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "sandbox-garbage-collector");
            t.setDaemon(true);
            return t;
          });
  private final AtomicInteger pending = new AtomicInteger();

  GarbageCollector(KubernetesCrudDispatcher crud, ToIntFunction<String> deleter) {
    this.crud = crud;
    this.deleter = deleter;
  }

  /**
   * Schedules the deletion of the dependents of a deleted owner.
   *
   * @param ownerUid {@code metadata.uid} of the deleted object
   */
  void ownerDeleted(String ownerUid) {
    pending.incrementAndGet();
    try {
      worker.execute(
          () -> {
            try {
              collect(ownerUid);
            } catch (RuntimeException e) {
              LOG.warn("garbage collection of dependents of {} failed", ownerUid, e);
            } finally {
              pending.decrementAndGet();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      pending.decrementAndGet();
    }
  }

  /**
   * Checks, in the background, that a new dependent still has an owner; deletes it when none of its
   * owners exists (a dangling owner reference, as the Kubernetes garbage collector treats it).
   *
   * @param objectPath path of the new object
   * @param ownerUids the uids its {@code ownerReferences} name
   */
  void dependentCreated(String objectPath, java.util.List<String> ownerUids) {
    pending.incrementAndGet();
    try {
      worker.execute(
          () -> {
            try {
              java.util.Set<String> uids = new java.util.HashSet<>();
              for (JsonNode object : SandboxDispatcher.snapshot(crud)) {
                uids.add(object.path("metadata").path("uid").asText());
              }
              if (ownerUids.stream().noneMatch(uids::contains)) {
                LOG.debug("garbage-collecting {} (no owner left)", objectPath);
                deleter.applyAsInt(objectPath);
              }
            } catch (RuntimeException e) {
              LOG.warn("owner check of {} failed", objectPath, e);
            } finally {
              pending.decrementAndGet();
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      pending.decrementAndGet();
    }
  }

  /**
   * @return true while deletions are queued or running
   */
  public boolean busy() {
    return pending.get() > 0;
  }

  private void collect(String ownerUid) {
    for (JsonNode object : SandboxDispatcher.snapshot(crud)) {
      for (JsonNode ref : object.path("metadata").path("ownerReferences")) {
        if (ownerUid.equals(ref.path("uid").asText())) {
          String path = pathOf(object);
          LOG.debug("garbage-collecting {} (owner {} deleted)", path, ownerUid);
          deleter.applyAsInt(path);
          break;
        }
      }
    }
  }

  static String pathOf(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText("v1");
    String prefix = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    String ns = object.path("metadata").path("namespace").asText(null);
    return ApiPath.objectPath(
        prefix,
        ns,
        SandboxDispatcher.pluralOf(object.path("kind").asText()),
        object.path("metadata").path("name").asText());
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      worker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
