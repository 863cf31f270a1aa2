package dev.spate.operator.reconciler;

import dev.spate.api.v1alpha1.StreamingJob;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secrets StreamingJobs reference, and only those: one fabric8 informer per referenced Secret
 * ({@code client.secrets().inNamespace(ns).withName(name)}, whose list and watch carry the field
 * selector {@code metadata.name=<name>}), started when the first job references the Secret and
 * stopped when the last one stops referencing it. A change of a watched Secret (created, changed,
 * deleted) triggers a reconcile of every job that references it.
 *
 * <p>Why this and not the alternatives JOSDK 5.2 offers:
 *
 * <ul>
 *   <li>An {@code InformerEventSource<Secret>} lists and watches every Secret of the watched
 *       namespaces (it can filter by label, not by a set of names that changes at run time): the
 *       operator's memory would hold every Secret of every team, which is what this class avoids.
 *   <li>A {@code PerResourcePollingEventSource} reads each Secret with a GET per poll interval: a
 *       Secret created after a job named it is seen only at the next poll, and every poll of every
 *       job is an API request even when nothing changed.
 *   <li>One informer per Secret name costs one list and one watch connection per referenced Secret
 *       (jobs naming the same Secret share it), sees a change as soon as the API server sends it,
 *       and asks the API server only about Secrets some job names.
 * </ul>
 *
 * <p>The reconcile calls {@link #reference} with the job's current Secret names before it reads
 * them ({@link #get}): that starts the missing informers and waits until each has listed (at most
 * {@code syncTimeout}), so a Secret that exists is never reported missing because its informer was
 * still starting. A name the job no longer references is released at once; {@link #release} (job
 * deleted) releases them all. A Secret that does not exist has an informer with an empty cache: its
 * creation triggers the jobs that name it.
 *
 * <p>A Secret whose values no job needs (the checkpoint credentials: the validator checks their key
 * names, only the pods read the values) is held with every value replaced by the empty string (the
 * informer's item store): the API server still sends the values, as it has no keys-only read of a
 * Secret, but they do not stay in the operator's memory. When a job starts or stops needing a
 * Secret's values, that Secret's informer is started again in the other mode.
 *
 * <p>What the operator still needs from RBAC: {@code list} and {@code watch} on {@code secrets} in
 * the jobs' namespaces. RBAC cannot restrict a list to a field selector, and {@code resourceNames}
 * cannot name Secrets unknown when the Role is written; what this class narrows is what the
 * operator asks for and holds, not what it may ask for.
 */
public final class ReferencedSecrets extends AbstractEventSource<Secret, StreamingJob>
    implements ResourceEventAware<StreamingJob> {

  private static final Logger LOG = LoggerFactory.getLogger(ReferencedSecrets.class);

  private final KubernetesClient client;
  private final Duration syncTimeout;

  /** Guarded by {@code this}: the informer of each referenced Secret. */
  private final Map<ResourceID, Watched> watched = new HashMap<>();

  /** Guarded by {@code this}: the Secrets each job references. */
  private final Map<ResourceID, Set<ResourceID>> byJob = new HashMap<>();

  /**
   * @param name the event source's name in the controller
   * @param client the client the informers use
   * @param syncTimeout how long {@link #reference} waits for a new informer's first list
   */
  public ReferencedSecrets(String name, KubernetesClient client, Duration syncTimeout) {
    super(Secret.class, name);
    this.client = client;
    this.syncTimeout = syncTimeout;
  }

  /**
   * One Secret's informer and the jobs that reference the Secret, each with whether it needs the
   * Secret's values ({@code true}) or only its key names ({@code false}).
   */
  private final class Watched implements ResourceEventHandler<Secret> {
    private final ResourceID secret;
    private final Map<ResourceID, Boolean> jobs = new HashMap<>();
    private final boolean content;
    private final SharedIndexInformer<Secret> informer;
    private final CompletableFuture<Void> synced;

    Watched(ResourceID secret, boolean content, Map<ResourceID, Boolean> jobs) {
      this.secret = secret;
      this.content = content;
      this.jobs.putAll(jobs);
      this.informer =
          client
              .secrets()
              .inNamespace(secret.getNamespace().orElseThrow())
              .withName(secret.getName())
              .runnableInformer(0);
      if (!content) {
        informer.itemStore(new KeysOnly());
      }
      informer.addEventHandler(this);
      this.synced = informer.start().toCompletableFuture();
    }

    /** Whether some job of {@link #jobs} needs the values. */
    boolean contentNeeded() {
      return jobs.containsValue(Boolean.TRUE);
    }

    Optional<Secret> secret() {
      return Optional.ofNullable(
          informer
              .getStore()
              .getByKey(
                  Cache.namespaceKeyFunc(secret.getNamespace().orElseThrow(), secret.getName())));
    }

    @Override
    public void onAdd(Secret s) {
      changed();
    }

    @Override
    public void onUpdate(Secret before, Secret after) {
      changed();
    }

    @Override
    public void onDelete(Secret s, boolean finalStateUnknown) {
      changed();
    }

    private void changed() {
      List<ResourceID> toWake;
      synchronized (ReferencedSecrets.this) {
        toWake = List.copyOf(jobs.keySet());
      }
      if (isRunning() && getEventHandler() != null) {
        toWake.forEach(job -> getEventHandler().handleEvent(new Event(job)));
      }
    }
  }

  /**
   * The informer's store for a Secret only key names of which are needed: each value is kept as the
   * empty string, so the operator's memory holds no credential it does not use (it still receives
   * them: the API has no keys-only read of a Secret).
   */
  private static final class KeysOnly extends BasicItemStore<Secret> {
    KeysOnly() {
      super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public Secret put(String key, Secret secret) {
      Map<String, String> keys = new TreeMap<>();
      if (secret.getData() != null) {
        secret.getData().keySet().forEach(k -> keys.put(k, ""));
      }
      if (secret.getStringData() != null) {
        secret.getStringData().keySet().forEach(k -> keys.put(k, ""));
      }
      return super.put(key, new SecretBuilder(secret).withData(keys).withStringData(null).build());
    }
  }

  /**
   * Makes the job reference exactly these Secrets of its namespace: starts an informer for each
   * Secret no job watched yet, releases the Secrets the job referenced before and no longer does
   * (an informer no job needs any more is stopped), then waits until the informer of each named
   * Secret has done its first list.
   *
   * @param job the job
   * @param secrets the names of the Secrets the job's spec references, in the job's namespace, each
   *     with whether the operator needs its values ({@code true}: the Kafka client config) or only
   *     its key names ({@code false}: the checkpoint credentials, whose values only the pods read)
   * @throws OperatorException when an informer cannot list its Secret within the sync timeout (for
   *     instance 403 Forbidden); the reconcile fails and JOSDK retries it, the next call starts
   *     that informer again
   */
  public void reference(ResourceID job, Map<String, Boolean> secrets) {
    String namespace = job.getNamespace().orElseThrow();
    Map<ResourceID, Boolean> wanted = new HashMap<>();
    secrets.forEach((name, content) -> wanted.put(new ResourceID(name, namespace), content));
    List<Watched> waitFor = new ArrayList<>();
    synchronized (this) {
      Set<ResourceID> before = byJob.getOrDefault(job, Set.of());
      for (ResourceID secret : before) {
        if (!wanted.containsKey(secret)) {
          unwatch(job, secret);
        }
      }
      wanted.forEach(
          (secret, content) -> {
            Watched w = watched.get(secret);
            if (w == null) {
              w = new Watched(secret, content, Map.of(job, content));
              watched.put(secret, w);
            } else {
              w.jobs.put(job, content);
              w = restartIfNeeded(w);
            }
            waitFor.add(w);
          });
      if (wanted.isEmpty()) {
        byJob.remove(job);
      } else {
        byJob.put(job, Set.copyOf(wanted.keySet()));
      }
    }
    for (Watched w : waitFor) {
      awaitSynced(w);
    }
  }

  /**
   * Guarded by {@code this}: a new informer for the Secret when what its jobs need (values or key
   * names only) changed.
   */
  private Watched restartIfNeeded(Watched w) {
    if (w.contentNeeded() == w.content) {
      return w;
    }
    w.informer.stop();
    Watched again = new Watched(w.secret, w.contentNeeded(), w.jobs);
    watched.put(w.secret, again);
    return again;
  }

  private void awaitSynced(Watched w) {
    try {
      w.synced.get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperatorException("interrupted while listing Secret " + w.secret, e);
    } catch (ExecutionException | TimeoutException e) {
      synchronized (this) {
        // a later reference() starts the informer again
        if (watched.get(w.secret) == w) {
          watched.remove(w.secret);
          w.informer.stop();
        }
      }
      throw new OperatorException(
          "Secret "
              + w.secret.getNamespace().orElse("")
              + "/"
              + w.secret.getName()
              + " could not be listed within "
              + syncTimeout
              + ": "
              + (e.getCause() == null ? e : e.getCause()),
          e);
    }
  }

  /**
   * Releases every Secret the job references (the job is deleted).
   *
   * @param job the job
   */
  public synchronized void release(ResourceID job) {
    for (ResourceID secret : byJob.getOrDefault(job, Set.of())) {
      unwatch(job, secret);
    }
    byJob.remove(job);
  }

  /** Guarded by {@code this}. */
  private void unwatch(ResourceID job, ResourceID secret) {
    Watched w = watched.get(secret);
    if (w == null) {
      return;
    }
    w.jobs.remove(job);
    if (w.jobs.isEmpty()) {
      watched.remove(secret);
      w.informer.stop();
      LOG.debug("No job references Secret {} any more: its informer stopped", secret);
    } else {
      restartIfNeeded(w);
    }
  }

  /**
   * A referenced Secret as its informer holds it.
   *
   * @param secret the Secret's name and namespace
   * @return the Secret, empty when it does not exist or no job references it
   */
  public synchronized Optional<Secret> get(ResourceID secret) {
    Watched w = watched.get(secret);
    return w == null ? Optional.empty() : w.secret();
  }

  /**
   * Every Secret this source holds in memory, across all informers.
   *
   * @return the cached Secrets
   */
  public synchronized List<Secret> list() {
    return watched.values().stream().flatMap(w -> w.secret().stream()).toList();
  }

  /**
   * @return the Secrets some job references (whether they exist or not)
   */
  public synchronized Set<ResourceID> referenced() {
    return Set.copyOf(watched.keySet());
  }

  @Override
  public synchronized Set<Secret> getSecondaryResources(StreamingJob job) {
    return byJob.getOrDefault(ResourceID.fromResource(job), Set.of()).stream()
        .map(watched::get)
        .filter(w -> w != null)
        .flatMap(w -> w.secret().stream())
        .collect(Collectors.toSet());
  }

  /** A deleted job's references go even when it left without a cleanup (no finalizer). */
  @Override
  public void onResourceDeleted(StreamingJob job) {
    release(ResourceID.fromResource(job));
  }

  @Override
  public void stop() throws OperatorException {
    synchronized (this) {
      watched.values().forEach(w -> w.informer.stop());
      watched.clear();
      byJob.clear();
    }
    super.stop();
  }
}
