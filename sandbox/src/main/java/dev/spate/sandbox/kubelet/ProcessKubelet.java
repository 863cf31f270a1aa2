package dev.spate.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox's kubelet: watches every Pod and runs its (first) container as a local JVM the way
 * the official Spark image's {@code entrypoint.sh} would — {@code driver} through Spark's launcher
 * and {@code SparkSubmit --deploy-mode client}, {@code executor} as {@code
 * KubernetesExecutorBackend} with the environment Spark sets; other args run as given. It resolves
 * env (see {@link EnvResolver}), lays out volumes (see {@link VolumeMapper}), rewrites container
 * paths in args, env and the driver's properties file, and writes the pod status ({@link
 * PodStatuses}): Running when the JVM started, Succeeded/Failed with the exit code and the
 * termination message when it ended. A pod marked for deletion ({@code deletionTimestamp}) or
 * deleted gets SIGTERM, then SIGKILL after {@code deletionGracePeriodSeconds} (else {@code
 * terminationGracePeriodSeconds}, default 30 s); once the JVM has ended the kubelet deletes the
 * marked pod with {@code gracePeriodSeconds=0}, as a real kubelet confirms the termination.
 *
 * <p>No orphans: every JVM runs under {@link ParentWatch} and exits when this JVM dies (also on
 * {@code kill -9}); {@link #close()} (also run by a shutdown hook) stops them all.
 *
 * <p>Each pod's files live in {@code <runDir>/pods/<namespace>/<name>/} ({@link PodWorkspace}).
 */
public final class ProcessKubelet implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessKubelet.class);
  private static final int MAX_TERMINATION_MESSAGE_BYTES = 4096;
  private static final long DEFAULT_GRACE_SECONDS = 30;

  /**
   * Kubelet settings.
   *
   * @param sparkHome the Spark distribution (spark-dist/target/spark-home)
   * @param image the image's files as the pods see them (container path → host path)
   * @param runDir directory for pod workspaces and shared volumes
   * @param java java executable for the pods' JVMs
   * @param apiUrl sandbox API server URL (drivers get {@code spark.master=k8s://<apiUrl>})
   * @param https whether {@code apiUrl} uses a self-signed certificate
   * @param jvmFlags flags for every pod JVM (JDK 17 module options, JIT/GC settings)
   * @param configWait how long a pod waits for a missing ConfigMap/Secret before it fails
   * @param closeGrace maximum grace period for JVMs when the kubelet closes
   * @param runtime how pods run: local JVMs (default) or podman containers of their images
   */
  public record Config(
      Path sparkHome,
      Map<String, Path> image,
      Path runDir,
      Path java,
      String apiUrl,
      boolean https,
      List<String> jvmFlags,
      Duration configWait,
      Duration closeGrace,
      PodRuntime runtime) {

    /**
     * This config with another runtime.
     *
     * @param runtime the runtime
     * @return the new config
     */
    public Config withRuntime(PodRuntime runtime) {
      return new Config(
          sparkHome, image, runDir, java, apiUrl, https, jvmFlags, configWait, closeGrace, runtime);
    }

    /**
     * Defaults: the image of deploy's Spark image ({@link #defaultImage}), the running JVM's java,
     * {@link #defaultJvmFlags()}, 30 s config wait, 10 s close grace.
     *
     * @param sparkHome the Spark distribution
     * @param runDir run directory
     * @param apiUrl API server URL
     * @param https self-signed HTTPS
     * @return the config
     */
    public static Config defaults(Path sparkHome, Path runDir, String apiUrl, boolean https) {
      return new Config(
          sparkHome,
          defaultImage(sparkHome),
          runDir,
          Path.of(System.getProperty("java.home"), "bin", "java"),
          apiUrl,
          https,
          defaultJvmFlags(),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          PodRuntime.JVM);
    }
  }

  /** The podman executable the {@link PodRuntime#PODMAN} runtime runs. */
  public static final String PODMAN = "podman";

  /** Where the Spate image keeps the bundled job jar (the operator's default application jar). */
  public static final String IMAGE_JOB_JAR = "/opt/spate/spate-job.jar";

  /**
   * The Spate Spark image's layout on this machine: {@code /opt/spark} → the Spark distribution,
   * {@value #IMAGE_JOB_JAR} → {@code <sparkHome>/examples/jars/spate-job.jar} (spark-dist copies
   * the job's shaded jar there).
   *
   * @param sparkHome the Spark distribution
   * @return container path → host path
   */
  public static Map<String, Path> defaultImage(Path sparkHome) {
    Map<String, Path> image = new LinkedHashMap<>();
    image.put(VolumeMapper.IMAGE_SPARK_HOME, sparkHome);
    image.put(IMAGE_JOB_JAR, sparkHome.resolve("examples/jars/spate-job.jar"));
    return image;
  }

  private final KubernetesClient client;
  private final Config config;
  private final ObjectLookup lookup;
  private final Path watchDir;

  /** The Spark UI's port in a driver pod (Spark's default {@code spark.ui.port}). */
  public static final int SPARK_UI_PORT = 4040;

  private final Map<String, PodProcess> pods = new ConcurrentHashMap<>();
  private final ExecutorService starter =
      Executors.newCachedThreadPool(daemon("sandbox-kubelet-start"));
  private final ScheduledExecutorService killer =
      Executors.newSingleThreadScheduledExecutor(daemon("sandbox-kubelet-kill"));
  private final Thread shutdownHook = new Thread(this::close, "sandbox-kubelet-shutdown");
  private SharedIndexInformer<Pod> informer;
  private volatile boolean closed;

  private ProcessKubelet(KubernetesClient client, Config config) {
    this.client = client;
    this.config = config;
    this.lookup = new ClientObjectLookup(client);
    this.watchDir = config.runDir().resolve("lib");
  }

  /**
   * Starts watching pods.
   *
   * @param client client of the sandbox API server (not closed by the kubelet)
   * @param config settings
   * @return the running kubelet
   * @throws IllegalStateException when {@code sparkHome/jars} does not exist (build spark-dist), or
   *     the runtime is podman and podman does not run
   */
  public static ProcessKubelet start(KubernetesClient client, Config config) {
    if (config.runtime() == PodRuntime.PODMAN) {
      PodmanContainers.requireUsable(PODMAN);
      PodmanContainers.removeOrphans(PODMAN);
    } else if (!Files.isDirectory(config.sparkHome().resolve("jars"))) {
      throw new IllegalStateException(
          "no Spark distribution at "
              + config.sparkHome()
              + " (build it: ./mvnw -pl spark-dist package)");
    }
    ProcessKubelet kubelet = new ProcessKubelet(client, config);
    kubelet.installParentWatch();
    Runtime.getRuntime().addShutdownHook(kubelet.shutdownHook);
    kubelet.informer = client.pods().inAnyNamespace().inform(kubelet.new Handler(), 0);
    return kubelet;
  }

  /**
   * JVM flags for pod JVMs: Spark's JDK 17 module options (parent POM property {@code
   * spark.jdk17.opens}), C1 only ({@code -XX:TieredStopAtLevel=1}: 5–6 s instead of 9–11 s from
   * driver start to first task here) and the serial collector (small footprint).
   *
   * @return the flags
   */
  public static List<String> defaultJvmFlags() {
    Properties p = new Properties();
    try (InputStream in =
        ProcessKubelet.class.getResourceAsStream("/dev/spate/sandbox/sandbox.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> flags =
        new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData"));
    for (String f : p.getProperty("spark.jdk17.opens", "").trim().split("\\s+")) {
      if (!f.isEmpty() && !f.startsWith("${")) {
        flags.add(f);
      }
    }
    return flags;
  }

  /**
   * @return handles of the pod JVMs that are alive
   */
  public List<ProcessHandle> liveProcesses() {
    List<ProcessHandle> out = new ArrayList<>();
    for (PodProcess pp : pods.values()) {
      Process p = pp.process;
      if (p != null && p.isAlive()) {
        out.add(p.toHandle());
      }
    }
    return out;
  }

  /**
   * @param uid a pod's {@code metadata.uid}
   * @return whether this kubelet runs the pod's container (its JVM is alive) now
   */
  public boolean runs(String uid) {
    PodProcess pp = pods.get(uid);
    Process p = pp == null ? null : pp.process;
    return p != null && p.isAlive();
  }

  /**
   * @return every process this kubelet ever started, alive or not (pid → pod)
   */
  public Map<Long, String> startedProcesses() {
    Map<Long, String> out = new LinkedHashMap<>();
    for (PodProcess pp : allStarted) {
      out.put(pp.process.pid(), pp.key());
    }
    return out;
  }

  private final List<PodProcess> allStarted = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * @param namespace pod namespace
   * @param name pod name
   * @return the pod's workspace directory (logs, termination message, volumes)
   */
  public Path workspace(String namespace, String name) {
    return config.runDir().resolve("pods").resolve(namespace).resolve(name);
  }

  /** Stops watching and stops every pod JVM (SIGTERM, then SIGKILL after the close grace). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: we are the hook
    }
    if (informer != null) {
      informer.close();
    }
    for (PodProcess pp : pods.values()) {
      synchronized (pp) {
        pp.deleted = true; // not started yet: never will
      }
    }
    List<Process> processes = new ArrayList<>();
    List<String> containers = new ArrayList<>();
    for (PodProcess pp : allStarted) {
      if (pp.process.isAlive()) {
        processes.add(pp.process);
        if (pp.containerName != null) {
          containers.add(pp.containerName);
        }
      }
    }
    if (!containers.isEmpty()) {
      // podman stop: SIGTERM to each container, SIGKILL after the grace; the attached podman run
      // clients then exit with the containers' status
      PodmanContainers.stop(PODMAN, containers, config.closeGrace());
    }
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      // ProcessHandle.destroy sends SIGTERM only; Process.destroy also closes the child's
      // stdin, which ParentWatch reads as "the sandbox is gone" and exits 143 at once
      p.toHandle().destroy();
    }
    long deadline = System.nanoTime() + config.closeGrace().toNanos();
    for (Process p : processes) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    starter.shutdownNow();
    killer.shutdownNow();
  }

  private final class Handler implements ResourceEventHandler<Pod> {
    @Override
    public void onAdd(Pod pod) {
      observe(pod);
    }

    @Override
    public void onUpdate(Pod oldPod, Pod newPod) {
      observe(newPod);
    }

    @Override
    public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
      PodProcess pp = pods.remove(pod.getMetadata().getUid());
      if (pp != null && !pp.deleted) {
        terminate(pp, grace(pod));
      }
    }
  }

  private void observe(Pod pod) {
    if (closed) {
      return;
    }
    String uid = pod.getMetadata().getUid();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      PodProcess pp = pods.get(uid);
      if (pp == null) {
        removeTerminated(pod);
      } else if (!pp.deleted) {
        Long g = pod.getMetadata().getDeletionGracePeriodSeconds();
        terminate(pp, g != null ? g : grace(pod));
      }
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (pods.containsKey(uid) || (phase != null && !phase.equals("Pending"))) {
      return;
    }
    PodProcess pp = new PodProcess(pod);
    if (pods.putIfAbsent(uid, pp) == null) {
      starter.execute(() -> launch(pp));
    }
  }

  private static long grace(Pod pod) {
    Long g = pod.getSpec() == null ? null : pod.getSpec().getTerminationGracePeriodSeconds();
    return g == null ? DEFAULT_GRACE_SECONDS : g;
  }

  private void terminate(PodProcess pp, long graceSeconds) {
    Process p;
    synchronized (pp) {
      pp.deleted = true;
      p = pp.process;
    }
    if (p == null || !p.isAlive()) {
      removeTerminated(pp.pod);
      return;
    }
    if (pp.containerName != null) {
      LOG.info(
          "pod {} deleted: podman stop {} (grace {} s)", pp.key(), pp.containerName, graceSeconds);
      try {
        starter.execute(
            () ->
                PodmanContainers.stop(
                    PODMAN, List.of(pp.containerName), Duration.ofSeconds(graceSeconds)));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        PodmanContainers.stop(PODMAN, List.of(pp.containerName), Duration.ZERO);
      }
      return;
    }
    LOG.info("pod {} deleted: SIGTERM to pid {} (grace {} s)", pp.key(), p.pid(), graceSeconds);
    p.descendants().forEach(ProcessHandle::destroy);
    p.toHandle().destroy(); // SIGTERM without closing stdin (see close())
    try {
      killer.schedule(
          () -> {
            if (p.isAlive()) {
              LOG.info("pod {}: grace period over, SIGKILL to pid {}", pp.key(), p.pid());
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            }
          },
          graceSeconds,
          TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      p.destroyForcibly();
    }
  }

  private void launch(PodProcess pp) {
    Pod pod = pp.pod;
    Container container = pod.getSpec().getContainers().get(0);
    PodWorkspace ws =
        PodWorkspace.create(
            config.runDir(), pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    Instant attempt = Instant.now();
    try {
      ResolvedContainer resolved = resolveWaitingForConfig(pp, container, ws);
      if (resolved == null) {
        return;
      }
      List<String> command;
      Map<String, String> env = new LinkedHashMap<>(resolved.env());
      List<String> args = resolved.args();
      String role = args.isEmpty() ? "" : args.get(0);
      if (config.runtime() == PodRuntime.PODMAN) {
        pp.containerName = PodmanCommands.containerName(pod);
        command = podmanCommand(pp, container, ws, resolved);
      } else if (role.equals("driver")) {
        command = driverCommand(pp, args.subList(1, args.size()), env, resolved.mapper(), ws);
      } else if (role.equals("executor")) {
        env.putIfAbsent("SPARK_HOME", config.sparkHome().toString());
        List<String> flags = new ArrayList<>(config.jvmFlags());
        flags.add("-Djava.io.tmpdir=" + ws.tmp().toAbsolutePath());
        command =
            SparkCommands.executorCommand(config.java(), env, config.sparkHome(), flags, watchDir);
      } else {
        command = new ArrayList<>(resolved.command());
        command.addAll(args);
        if (command.isEmpty()) {
          throw new PodStartException(
              "RunContainerError", "container has neither command nor args");
        }
      }
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(ws.dir().toFile())
              .redirectOutput(ProcessBuilder.Redirect.appendTo(ws.stdout().toFile()))
              .redirectError(ProcessBuilder.Redirect.appendTo(ws.stderr().toFile()));
      pb.environment().clear();
      pb.environment().putAll(baseEnvironment());
      pb.environment().putAll(env);
      if (config.runtime() == PodRuntime.JVM
          && (role.equals("driver") || role.equals("executor"))) {
        // every pod shares the loopback address; Spark would otherwise pick the host's interface
        pb.environment().putIfAbsent("SPARK_LOCAL_IP", EnvResolver.POD_IP);
      }
      Files.writeString(ws.dir().resolve("command.txt"), String.join("\n", command) + "\n");
      synchronized (pp) {
        if (pp.deleted || closed) {
          return;
        }
        pp.startedAt = Instant.now();
        pp.process = pb.start();
      }
      allStarted.add(pp);
      LOG.info(
          "pod {} started: pid {} ({})",
          pp.key(),
          pp.process.pid(),
          role.isEmpty() ? command.get(0) : role);
      writeStatus(pp, s -> PodStatuses.running(s, container, pp.process.pid(), pp.startedAt));
      pp.process.onExit().thenAccept(p -> finished(pp, container, ws, p.exitValue()));
    } catch (PodStartException e) {
      LOG.warn("pod {} cannot start: {} {}", pp.key(), e.reason(), e.getMessage());
      writeStatus(
          pp,
          s ->
              PodStatuses.terminated(
                  s, container, 0, attempt, Instant.now(), 128, e.reason(), e.getMessage()));
    } catch (IOException | RuntimeException e) {
      LOG.warn("pod {} cannot start", pp.key(), e);
      writeStatus(
          pp,
          s ->
              PodStatuses.terminated(
                  s,
                  container,
                  0,
                  attempt,
                  Instant.now(),
                  128,
                  "StartError",
                  String.valueOf(e.getMessage())));
    }
  }

  private record ResolvedContainer(
      Map<String, String> env, List<String> command, List<String> args, PathMapper mapper) {}

  /**
   * Resolves env and volumes, waiting up to {@code configWait} for ConfigMaps/Secrets to appear.
   */
  private ResolvedContainer resolveWaitingForConfig(
      PodProcess pp, Container container, PodWorkspace ws) throws PodStartException {
    long deadline = System.nanoTime() + config.configWait().toNanos();
    while (true) {
      try {
        boolean inContainer = config.runtime() == PodRuntime.PODMAN;
        PathMapper mapper =
            VolumeMapper.materialize(
                pp.pod,
                container,
                ws,
                config.runDir(),
                inContainer ? Map.of() : config.image(),
                lookup);
        // a container sees its volumes at their mount paths: nothing to rewrite
        java.util.function.UnaryOperator<String> paths =
            inContainer ? java.util.function.UnaryOperator.identity() : mapper::rewrite;
        Map<String, String> env = new LinkedHashMap<>();
        EnvResolver.resolve(pp.pod, container, lookup)
            .forEach((k, v) -> env.put(k, paths.apply(v)));
        List<String> command =
            container.getCommand() == null
                ? List.of()
                : container.getCommand().stream().map(paths).toList();
        List<String> args =
            container.getArgs() == null
                ? List.of()
                : container.getArgs().stream().map(paths).toList();
        return new ResolvedContainer(env, command, args, mapper);
      } catch (PodStartException e) {
        if (!e.reason().equals("CreateContainerConfigError") || System.nanoTime() > deadline) {
          throw e;
        }
        LOG.debug("pod {} waits: {}", pp.key(), e.getMessage());
        try {
          Thread.sleep(250); // polling the API for the missing object, as the kubelet's retry loop
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return null;
        }
        if (pp.deleted || closed) {
          return null;
        }
      }
    }
  }

  /**
   * The {@code podman run} command of a pod: its image, args (a driver's with the sandbox's
   * overrides, see {@link SparkCommands#driverOverrides}), env and volumes as bind mounts; writable
   * volume directories are opened to every uid (as an {@code emptyDir} is, and as {@code fsGroup}
   * would make a claim writable).
   */
  private List<String> podmanCommand(
      PodProcess pp, Container container, PodWorkspace ws, ResolvedContainer resolved)
      throws IOException, PodStartException {
    List<String> args = new ArrayList<>(resolved.args());
    if (!args.isEmpty() && args.get(0).equals("driver")) {
      List<String> overrides =
          new ArrayList<>(
              SparkCommands.driverOverrides(
                  config.apiUrl(), config.https(), freePort(), freePort(), null));
      // every pod shares the host's address, so Spark takes executors for neighbours on one host
      // and reads their shuffle files from its own disk (spark.shuffle.readHostLocalDisk) — a path
      // that exists only in the other container; pods of a real cluster have their own addresses
      overrides.addAll(List.of("--conf", "spark.shuffle.readHostLocalDisk=false"));
      overrides.addAll(uiPort(pp));
      List<String> withOverrides =
          SparkCommands.withOverrides(args.subList(1, args.size()), overrides);
      args = new ArrayList<>(List.of("driver"));
      args.addAll(withOverrides);
    }
    List<PodmanCommands.Mount> mounts = new ArrayList<>();
    Map<String, String> byPath = new LinkedHashMap<>();
    resolved.mapper().mappings().forEach(e -> byPath.put(e.getKey(), e.getValue()));
    if (container.getVolumeMounts() != null) {
      for (var m : container.getVolumeMounts()) {
        String path = stripSlash(m.getMountPath());
        String host = byPath.get(path);
        boolean readOnly = Boolean.TRUE.equals(m.getReadOnly());
        if (!readOnly) {
          PodmanContainers.openToAll(Path.of(host));
        }
        mounts.add(new PodmanCommands.Mount(path, host, readOnly));
      }
    }
    String terminationPath =
        java.util.Optional.ofNullable(container.getTerminationMessagePath())
            .orElse(VolumeMapper.DEFAULT_TERMINATION_MESSAGE_PATH);
    PodmanContainers.openToAll(ws.terminationLog());
    mounts.add(
        new PodmanCommands.Mount(
            terminationPath, ws.terminationLog().toAbsolutePath().toString(), false));
    return PodmanCommands.run(
        PODMAN,
        pp.pod,
        container,
        pp.containerName,
        resolved.env(),
        mounts,
        args,
        ProcessHandle.current().pid(),
        image -> PodmanContainers.imageUser(PODMAN, image));
  }

  /**
   * A free host port for the driver's Spark UI ({@code spark.ui.port}, container port {@value
   * #SPARK_UI_PORT}), recorded for {@link #hostPort}: every pod shares the host's address, so two
   * drivers cannot both take 4040 (Spark would try 4041… and the port would be unknown).
   */
  private static List<String> uiPort(PodProcess pp) throws IOException {
    int port = freePort();
    pp.hostPorts = Map.of(SPARK_UI_PORT, port);
    return List.of("--conf", "spark.ui.port=" + port);
  }

  /**
   * Where a pod's container port is reachable on this host (every pod shares 127.0.0.1, so the
   * kubelet gives each listening port its own host port, as a port mapping would). Mapped today:
   * the driver's Spark UI, container port {@value #SPARK_UI_PORT} ({@code spark.ui.port}), which
   * serves Spark's Prometheus endpoints {@code /metrics/prometheus} and {@code
   * /metrics/executors/prometheus} when the UI is enabled.
   *
   * @param namespace the pod's namespace
   * @param name the pod's name
   * @param containerPort the port the pod declares, e.g. 4040
   * @return the host port of the pod's latest start, empty when the pod was not started here or the
   *     port is not mapped
   */
  public Optional<Integer> hostPort(String namespace, String name, int containerPort) {
    String key = namespace + "/" + name;
    Integer port = null;
    for (PodProcess pp : allStarted) {
      if (pp.key().equals(key) && pp.hostPorts.containsKey(containerPort)) {
        port = pp.hostPorts.get(containerPort);
      }
    }
    return Optional.ofNullable(port);
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private List<String> driverCommand(
      PodProcess pp,
      List<String> podArgs,
      Map<String, String> env,
      PathMapper mapper,
      PodWorkspace ws)
      throws IOException, PodStartException {
    List<String> overrides =
        new ArrayList<>(
            SparkCommands.driverOverrides(
                config.apiUrl(), config.https(), freePort(), freePort(), ws.localDir()));
    overrides.addAll(uiPort(pp));
    List<String> submitArgs = new ArrayList<>(SparkCommands.driverSubmitArgs(podArgs, overrides));
    int props = SparkCommands.propertiesFileIndex(submitArgs);
    if (props >= 0) {
      Path original = Path.of(submitArgs.get(props));
      if (!Files.isRegularFile(original)) {
        throw new PodStartException(
            "RunContainerError",
            "--properties-file "
                + submitArgs.get(props)
                + " does not exist (is its ConfigMap volume mounted?)");
      }
      Path rewritten = ws.dir().resolve("spark-submit.properties");
      Files.writeString(
          rewritten,
          mapper.rewrite(Files.readString(original, StandardCharsets.UTF_8)),
          StandardCharsets.UTF_8);
      submitArgs.set(props, rewritten.toAbsolutePath().toString());
    }
    env.putIfAbsent("SPARK_CONF_DIR", config.sparkHome().resolve("conf").toString());
    env.put("SPARK_HOME", config.sparkHome().toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("JAVA_HOME", config.java().getParent().getParent().toString());
    List<String> submitOpts =
        new ArrayList<>(
            List.of(
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + ws.tmp().toAbsolutePath()));
    String podOpts = env.get("SPARK_SUBMIT_OPTS");
    env.put(
        "SPARK_SUBMIT_OPTS", String.join(" ", submitOpts) + (podOpts == null ? "" : " " + podOpts));

    ProcessBuilder launcher =
        new ProcessBuilder(
                SparkCommands.launcherCommand(config.java(), config.sparkHome(), submitArgs))
            .directory(ws.dir().toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(ws.stderr().toFile()));
    launcher.environment().clear();
    launcher.environment().putAll(baseEnvironment());
    launcher.environment().putAll(env);
    Process p = launcher.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    int exit;
    try {
      exit = p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new PodStartException("RunContainerError", "interrupted while Spark's launcher ran");
    }
    if (exit != 0) {
      throw new PodStartException(
          "RunContainerError",
          "Spark's launcher exited with " + exit + " (see " + ws.stderr() + ")");
    }
    SparkCommands.LauncherOutput built = SparkCommands.parseLauncherOutput(out);
    env.putAll(built.env());
    return SparkCommands.withParentWatch(built.command(), SparkCommands.SPARK_SUBMIT, watchDir);
  }

  private void finished(PodProcess pp, Container container, PodWorkspace ws, int exitCode) {
    Instant end = Instant.now();
    LOG.info("pod {}: pid {} exited with {}", pp.key(), pp.process.pid(), exitCode);
    if (closed) {
      return;
    }
    if (pp.deleted) {
      removeTerminated(pp.pod);
      return;
    }
    String message = terminationMessage(container, ws, exitCode);
    String reason = exitCode == 0 ? "Completed" : "Error";
    if (pp.containerName != null && exitCode == PodmanContainers.PODMAN_FAILED) {
      // podman itself failed (image missing, bad option): no container ran
      reason = "CreateContainerError";
      try {
        message = readTail(ws.stderr(), 1024, true).strip();
      } catch (IOException e) {
        message = "podman run exited with " + exitCode;
      }
    }
    String finalReason = reason;
    String finalMessage = message;
    writeStatus(
        pp,
        s ->
            PodStatuses.terminated(
                s,
                container,
                pp.process.pid(),
                pp.startedAt,
                end,
                exitCode,
                finalReason,
                finalMessage));
  }

  /**
   * Removes a pod marked for deletion whose container has ended (a delete with grace 0), unless the
   * name now holds another pod.
   */
  private void removeTerminated(Pod pod) {
    if (closed) {
      return;
    }
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      Pod current = client.pods().inNamespace(ns).withName(name).get();
      if (current != null && current.getMetadata().getUid().equals(pod.getMetadata().getUid())) {
        client.pods().inNamespace(ns).withName(name).withGracePeriod(0L).delete();
        LOG.info("pod {}/{}: container ended, pod removed", ns, name);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("pod {}/{}: removal failed: {}", ns, name, e.getMessage());
      }
    }
  }

  private static String terminationMessage(Container container, PodWorkspace ws, int exitCode) {
    try {
      String message = readTail(ws.terminationLog(), MAX_TERMINATION_MESSAGE_BYTES, false);
      if (message.isBlank()
          && exitCode != 0
          && "FallbackToLogsOnError".equals(container.getTerminationMessagePolicy())) {
        message = readTail(ws.stderr(), 2048, true);
        int firstLineEnd = message.indexOf('\n');
        if (firstLineEnd >= 0 && firstLineEnd < message.length() - 1) {
          message = message.substring(firstLineEnd + 1); // drop the partial first line
        }
      }
      return message.strip();
    } catch (IOException e) {
      return "";
    }
  }

  private static String readTail(Path file, int maxBytes, boolean tail) throws IOException {
    if (!Files.exists(file)) {
      return "";
    }
    byte[] all = Files.readAllBytes(file);
    int from = tail ? Math.max(0, all.length - maxBytes) : 0;
    int to = tail ? all.length : Math.min(all.length, maxBytes);
    return new String(all, from, to - from, StandardCharsets.UTF_8);
  }

  private void writeStatus(PodProcess pp, java.util.function.UnaryOperator<PodStatus> change) {
    if (closed) {
      return;
    }
    try {
      client
          .pods()
          .inNamespace(pp.pod.getMetadata().getNamespace())
          .withName(pp.pod.getMetadata().getName())
          .editStatus(
              p -> {
                if (!pp.pod.getMetadata().getUid().equals(p.getMetadata().getUid())) {
                  return p; // a new pod with the same name
                }
                p.setStatus(change.apply(p.getStatus()));
                return p;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("pod {}: status update failed: {}", pp.key(), e.getMessage());
      }
    }
  }

  private static Map<String, String> baseEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String k : List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER")) {
      String v = System.getenv(k);
      if (v != null) {
        env.put(k, v);
      }
    }
    return env;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void installParentWatch() {
    String resource = ParentWatch.class.getName().replace('.', '/') + ".class";
    Path target = watchDir.resolve(resource);
    try (InputStream in = ProcessKubelet.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " not found on the class path");
      }
      Files.createDirectories(target.getParent());
      Files.write(target, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private static final class PodProcess {
    final Pod pod;
    volatile Process process;
    volatile Instant startedAt;
    volatile boolean deleted;
    volatile String containerName;
    volatile Map<Integer, Integer> hostPorts = Map.of();

    PodProcess(Pod pod) {
      this.pod = pod;
    }

    String key() {
      return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }
  }
}
