package dev.spate.job.plugin;

import dev.spate.job.JobConfigKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fencing of a superseded driver: watches the control ConfigMap and, as soon as its {@value
 * JobConfigKeys#CURRENT_ATTEMPT} names a newer attempt than this driver's ({@code
 * spark.spate.attempt}), runs the stop action once (the plugin stops the streaming queries and the
 * SparkContext, so no further micro-batch commits). The operator writes the new attempt into the
 * ConfigMap before it creates the new attempt's driver pod, so an old driver that still runs (its
 * node was lost and its pod force-deleted, but it still reaches the API server) stops before the
 * new one writes.
 */
public final class AttemptFence implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AttemptFence.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final int attempt;
  private final Runnable stop;
  private final AtomicBoolean fenced = new AtomicBoolean();
  private SharedIndexInformer<ConfigMap> informer;

  /**
   * @param client Kubernetes client (not closed here)
   * @param namespace namespace of the control ConfigMap
   * @param name name of the control ConfigMap
   * @param attempt this driver's attempt ({@code spark.spate.attempt}), from 1
   * @param stop what stops this driver's work; run at most once, on its own thread
   */
  public AttemptFence(
      KubernetesClient client, String namespace, String name, int attempt, Runnable stop) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.attempt = attempt;
    this.stop = stop;
  }

  /**
   * The newer attempt named by the control ConfigMap's data, if this driver is superseded.
   *
   * @param attempt this driver's attempt
   * @param data the ConfigMap's data (may be null)
   * @return the newer attempt, or -1 when this driver is current (or the value is absent or bad)
   */
  static int supersededBy(int attempt, Map<String, String> data) {
    String v = data == null ? null : data.get(JobConfigKeys.CURRENT_ATTEMPT);
    try {
      int current = v == null ? -1 : Integer.parseInt(v.trim());
      return current > attempt ? current : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Starts watching (returns at once). */
  public void start() {
    informer = client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(ConfigMap cm) {
            check(cm);
          }

          @Override
          public void onUpdate(ConfigMap oldCm, ConfigMap cm) {
            check(cm);
          }

          @Override
          public void onDelete(ConfigMap cm, boolean deletedFinalStateUnknown) {}
        });
    informer
        .start()
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.warn("cannot watch control ConfigMap {}/{}: {}", namespace, name, e.toString());
              }
            });
  }

  /**
   * @return whether this driver stopped itself as superseded
   */
  public boolean fenced() {
    return fenced.get();
  }

  private void check(ConfigMap cm) {
    int newer = supersededBy(attempt, cm.getData());
    if (newer > 0 && fenced.compareAndSet(false, true)) {
      LOG.error(
          "driver attempt {} is superseded by attempt {} (control ConfigMap {}/{}): stopping its"
              + " streaming queries and SparkContext before another micro-batch",
          attempt,
          newer,
          namespace,
          name);
      Thread t = new Thread(stop, "spate-attempt-fence");
      t.setDaemon(true);
      t.start();
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
