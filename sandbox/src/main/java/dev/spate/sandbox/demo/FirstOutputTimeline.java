package dev.spate.sandbox.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records when each {@link FirstOutputMilestone} of one job happens in a running sandbox: a pod
 * watch of the job's namespace (driver and executor pods created and Running, at the time the watch
 * event arrives) and a tail of the driver pod's {@code stderr.log} under the sandbox's run
 * directory, read every {@value #TAIL_INTERVAL_MS} ms, each line timed when it is read (Spark's
 * default log pattern has whole seconds only). The caller marks {@link
 * FirstOutputMilestone#APPLIED} and {@link FirstOutputMilestone#FIRST_OUTPUT}. Resolution: the tail
 * interval plus the watch's delivery, tens of milliseconds.
 */
public final class FirstOutputTimeline implements AutoCloseable {

  /** How often the driver's log is read, ms. */
  public static final long TAIL_INTERVAL_MS = 20;

  private final Path podsDir;
  private final Map<FirstOutputMilestone, Instant> seen = new ConcurrentHashMap<>();
  private final Map<String, Instant> executorCreated = new ConcurrentHashMap<>();
  private final Map<String, Instant> executorRunning = new ConcurrentHashMap<>();
  private final DriverLogMilestones log = new DriverLogMilestones();
  private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
  private final Watch watch;
  private final Thread tailer;
  private volatile String driverPod;
  private volatile boolean closed;
  private long position;

  private FirstOutputTimeline(KubernetesClient client, Path runDir, String namespace) {
    this.podsDir = runDir.resolve("pods").resolve(namespace);
    this.watch =
        client
            .pods()
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    onPod(pod, Instant.now());
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    // the run ends or the API server stops; what was seen so far stands
                  }
                });
    this.tailer = new Thread(this::tailLoop, "first-output-driver-log");
    tailer.setDaemon(true);
    tailer.start();
  }

  /**
   * Starts watching; call before the StreamingJob is created.
   *
   * @param client API client of the sandbox
   * @param runDir the sandbox's run directory (pod logs under {@code pods/<namespace>/<pod>/})
   * @param namespace the job's namespace (it may not exist yet)
   * @return the running timeline; close it after the run
   */
  public static FirstOutputTimeline start(KubernetesClient client, Path runDir, String namespace) {
    return new FirstOutputTimeline(client, runDir, namespace);
  }

  /**
   * Records a milestone seen by the caller; only the first time of each counts.
   *
   * @param milestone the milestone
   * @param when when it happened
   */
  public void mark(FirstOutputMilestone milestone, Instant when) {
    seen.putIfAbsent(milestone, when);
  }

  private void onPod(Pod pod, Instant now) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String role = labels == null ? null : labels.get("spark-role");
    String name = pod.getMetadata().getName();
    boolean running = pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    if ("driver".equals(role)) {
      if (driverPod == null) {
        driverPod = name; // the first attempt's driver: later attempts are restarts
      }
      if (name.equals(driverPod)) {
        mark(FirstOutputMilestone.DRIVER_POD_CREATED, now);
        if (running) {
          mark(FirstOutputMilestone.DRIVER_POD_RUNNING, now);
        }
      }
    } else if ("executor".equals(role)) {
      executorCreated.putIfAbsent(name, now);
      if (running) {
        executorRunning.putIfAbsent(name, now);
      }
    }
  }

  private void tailLoop() {
    while (!closed) {
      tail();
      try {
        Thread.sleep(TAIL_INTERVAL_MS); // polling a file the kubelet appends to
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private synchronized void tail() {
    String pod = driverPod;
    if (pod == null) {
      return;
    }
    Path file = podsDir.resolve(pod).resolve("stderr.log");
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      if (length <= position) {
        return;
      }
      byte[] bytes = new byte[(int) Math.min(length - position, 1 << 20)];
      f.seek(position);
      f.readFully(bytes);
      position += bytes.length;
      Instant now = Instant.now();
      for (byte c : bytes) {
        if (c == '\n') {
          String line = partialLine.toString(StandardCharsets.UTF_8);
          partialLine.reset();
          for (FirstOutputMilestone m : log.accept(line)) {
            mark(m, now);
          }
        } else {
          partialLine.write(c);
        }
      }
    } catch (IOException e) {
      // the file may be replaced or not yet complete: the next pass reads again
    }
  }

  /**
   * @return the milestones seen so far relative to {@link FirstOutputMilestone#APPLIED}; the
   *     executor pod milestones are the times the n-th executor pod was created and Running, n =
   *     the executor count of Spark's first request (all pods seen when the request was not logged)
   * @throws IllegalArgumentException when {@code APPLIED} was not marked
   */
  public FirstOutputBreakdown breakdown() {
    tail();
    Map<FirstOutputMilestone, Instant> all = new EnumMap<>(FirstOutputMilestone.class);
    all.putAll(seen);
    int n = log.requestedExecutors() > 0 ? log.requestedExecutors() : executorCreated.size();
    nth(executorCreated, n, FirstOutputMilestone.EXECUTOR_PODS_CREATED, all);
    nth(executorRunning, n, FirstOutputMilestone.EXECUTOR_PODS_RUNNING, all);
    return FirstOutputBreakdown.of(all);
  }

  private static void nth(
      Map<String, Instant> times,
      int n,
      FirstOutputMilestone m,
      Map<FirstOutputMilestone, Instant> into) {
    List<Instant> sorted = new ArrayList<>(times.values());
    sorted.sort(null);
    if (n > 0 && sorted.size() >= n) {
      into.put(m, sorted.get(n - 1));
    }
  }

  /** Stops the watch and the tail. */
  @Override
  public void close() {
    closed = true;
    tailer.interrupt();
    try {
      tailer.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watch.close();
  }
}
