package dev.spate.sandbox.demo;

import dev.spate.sandbox.kubelet.ProcessKubelet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches a namespace's driver pods (label {@code spark-role=driver}) for the whole of a test and
 * records the most driver pods that were not terminated (phase neither Succeeded nor Failed, not
 * deleted) at one moment, and — sampling the kubelet's processes every 50 ms — the most driver JVMs
 * alive at one moment. Also remembers when each driver pod (by UID) was first seen. Each driver
 * attempt has its own pod name ({@code <job>-driver-<n>}), so two drivers are two pods; a JVM
 * belongs to a driver pod by its kubelet key {@code namespace/name}.
 */
final class DriverWatch implements AutoCloseable {

  private final Map<String, String> live = new ConcurrentHashMap<>();
  private final Set<String> driverPods = ConcurrentHashMap.newKeySet();
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
  private final AtomicInteger maxPods = new AtomicInteger();
  private final AtomicInteger maxProcesses = new AtomicInteger();
  private final AtomicInteger overlapSamples = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Watch watch;
  private final Thread sampler;

  DriverWatch(KubernetesClient client, String namespace, ProcessKubelet kubelet) {
    this(client, namespace, kubelet::startedProcesses);
  }

  /**
   * @param client API client
   * @param namespace the driver pods' namespace
   * @param processes the JVMs started for pods so far: pid → pod key {@code namespace/name}
   */
  DriverWatch(
      KubernetesClient client,
      String namespace,
      java.util.function.Supplier<Map<Long, String>> processes) {
    watch =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel("spark-role", "driver")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    String uid = pod.getMetadata().getUid();
                    driverPods.add(namespace + "/" + name);
                    firstSeen.putIfAbsent(uid, Instant.now());
                    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                    if (action == Action.DELETED
                        || "Succeeded".equals(phase)
                        || "Failed".equals(phase)) {
                      live.remove(uid);
                    } else {
                      live.put(uid, String.valueOf(phase));
                    }
                    maxPods.accumulateAndGet(live.size(), Math::max);
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    // the test ends or the API server stops; the counts so far stand
                  }
                });
    sampler =
        new Thread(
            () -> {
              while (!stop.get()) {
                int alive = 0;
                for (Map.Entry<Long, String> e : processes.get().entrySet()) {
                  if (driverPods.contains(e.getValue())
                      && ProcessHandle.of(e.getKey()).map(ProcessHandle::isAlive).orElse(false)) {
                    alive++;
                  }
                }
                maxProcesses.accumulateAndGet(alive, Math::max);
                if (alive > 1) {
                  overlapSamples.incrementAndGet();
                }
                try {
                  Thread.sleep(50); // sampling period of the process count, not a synchronisation
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "driver-process-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /**
   * @return most non-terminated driver pods seen at one moment
   */
  int maxDriverPods() {
    return maxPods.get();
  }

  /**
   * @return most driver JVMs alive at one sample
   */
  int maxDriverProcesses() {
    return maxProcesses.get();
  }

  /**
   * @return about how long two or more driver JVMs were alive at once, ms (50 ms samples)
   */
  long overlapMillis() {
    return overlapSamples.get() * 50L;
  }

  /**
   * @param uid driver pod UID
   * @return when the watch first saw it, or null
   */
  Instant firstSeen(String uid) {
    return firstSeen.get(uid);
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    watch.close();
    sampler.interrupt();
    sampler.join(2_000);
  }
}
