package dev.spate.sandbox;

import dev.spate.operator.SpateOperator;
import dev.spate.operator.config.MonitoringConfig;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.monitoring.MonitoringServer;
import dev.spate.sandbox.api.SandboxApiServer;
import dev.spate.sandbox.kubelet.PodRuntime;
import dev.spate.sandbox.kubelet.ProcessKubelet;
import dev.spate.testkit.KafkaBroker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Spate cluster on one machine: the sandbox API server ({@link SandboxApiServer}, with the
 * StreamingJob CRD), the process kubelet ({@link ProcessKubelet}), a real KRaft Kafka broker
 * ({@link KafkaBroker}) and the operator ({@link SpateOperator}, in this JVM, against the sandbox
 * API, with leader election on as in production). Spark's own Kubernetes backend creates the
 * executor pods. {@link #startWithoutOperator} and {@link #startOperatorProcess} run operator
 * replicas in JVMs of their own instead, which a test can {@code kill -9}.
 *
 * <p>Deviations from a real cluster, all for one machine without DNS or containers: every pod's IP
 * is 127.0.0.1; drivers get {@code spark.driver.host=127.0.0.1}, free ports for {@code
 * spark.driver.port}/{@code spark.driver.blockManager.port}, and {@code spark.master=k8s://<sandbox
 * API>} (client mode, no service account); the "image" is spark-dist's SPARK_HOME at {@code
 * /opt/spark} and the job jar at {@code /opt/spate/spate-job.jar}; PVCs are shared directories;
 * deletion is immediate and garbage collection always background.
 *
 * <p>Files: {@code <runDir>/pods/<namespace>/<pod>/} (logs, termination message, volumes), {@code
 * <runDir>/volumes/pvc/<namespace>/<claim>/}, {@code <runDir>/kubeconfig} (kubectl, see {@link
 * #kubeconfig()}; {@code kubectl logs} reads the pod log files).
 */
public final class Sandbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

  /**
   * The Spark image drivers and executors run with the podman runtime: deploy/spark.Dockerfile on
   * the Spark stand-in, as {@code deploy/images/build --standin} tags it.
   */
  public static final String CONTAINER_SPARK_IMAGE = "localhost/spate/spate-spark:standin";

  /**
   * Settings.
   *
   * @param sparkHome spark-dist's SPARK_HOME
   * @param runDir directory for this run's files
   * @param https serve the API over HTTPS (self-signed)
   * @param kafkaPollInterval how often the operator polls Kafka partitions and offsets
   * @param operatorOptions further operator options by key (e.g. {@code spate.scaleDownWindow=0s},
   *     see {@code OperatorConfig}); the default image and the Kafka poll interval come from the
   *     sandbox. With {@code spate.monitoringPort} ({@code MonitoringConfig.PORT}, {@code 0} = a
   *     free port) the sandbox serves the operator's {@code /metrics}, {@code /healthz} and {@code
   *     /readyz} as the operator process does ({@link #operatorMetrics()}), and the demo's drivers
   *     keep their Spark UI with its Prometheus endpoints ({@link #monitoring()}); without it
   *     neither (the default: less memory and CPU per driver)
   * @param runtime how the kubelet runs pods: local JVMs (default) or podman containers of their
   *     images (then the operator's default image is {@link #CONTAINER_SPARK_IMAGE})
   * @param imageFiles files the JVM kubelet adds to every pod's "image" (container path → host
   *     path), e.g. a bring-your-own application's jar at the path its image would hold it; empty
   *     by default
   */
  public record Options(
      Path sparkHome,
      Path runDir,
      boolean https,
      Duration kafkaPollInterval,
      Map<String, String> operatorOptions,
      PodRuntime runtime,
      Map<String, Path> imageFiles) {

    /**
     * @param sparkHome spark-dist's SPARK_HOME
     * @param runDir directory for this run's files
     * @param https serve the API over HTTPS (self-signed)
     * @param kafkaPollInterval how often the operator polls Kafka partitions and offsets
     * @param operatorOptions further operator options by key
     * @param runtime the pod runtime
     */
    public Options(
        Path sparkHome,
        Path runDir,
        boolean https,
        Duration kafkaPollInterval,
        Map<String, String> operatorOptions,
        PodRuntime runtime) {
      this(sparkHome, runDir, https, kafkaPollInterval, operatorOptions, runtime, Map.of());
    }

    /**
     * @param files container path → host path, added to the JVM kubelet's image
     * @return these options with those image files
     */
    public Options withImageFiles(Map<String, Path> files) {
      return new Options(
          sparkHome, runDir, https, kafkaPollInterval, operatorOptions, runtime, Map.copyOf(files));
    }

    /**
     * @param sparkHome spark-dist's SPARK_HOME
     * @param runDir directory for this run's files
     * @param https serve the API over HTTPS (self-signed)
     * @param kafkaPollInterval how often the operator polls Kafka partitions and offsets
     * @param operatorOptions further operator options by key
     */
    public Options(
        Path sparkHome,
        Path runDir,
        boolean https,
        Duration kafkaPollInterval,
        Map<String, String> operatorOptions) {
      this(sparkHome, runDir, https, kafkaPollInterval, operatorOptions, PodRuntime.JVM);
    }

    /**
     * @param runtime the pod runtime
     * @return these options with that runtime
     */
    public Options withRuntime(PodRuntime runtime) {
      return new Options(
          sparkHome, runDir, https, kafkaPollInterval, operatorOptions, runtime, imageFiles);
    }

    /**
     * @param sparkHome spark-dist's SPARK_HOME
     * @param runDir directory for this run's files
     * @param https serve the API over HTTPS (self-signed)
     * @param kafkaPollInterval how often the operator polls Kafka partitions and offsets
     */
    public Options(Path sparkHome, Path runDir, boolean https, Duration kafkaPollInterval) {
      this(sparkHome, runDir, https, kafkaPollInterval, Map.of());
    }

    /**
     * Defaults: SPARK_HOME from {@link #locateSparkHome()}, run directory {@code
     * .sandbox/<yyyyMMdd-HHmmss>} under the working directory, HTTP, 2 s Kafka poll.
     *
     * @return the options
     */
    public static Options defaults() {
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path runDir =
          Optional.ofNullable(System.getProperty("spate.sandbox.runDir"))
              .map(Path::of)
              .orElse(Path.of(".sandbox"))
              .resolve(stamp)
              .toAbsolutePath();
      return new Options(locateSparkHome(), runDir, false, Duration.ofSeconds(2));
    }
  }

  private final Options options;
  private final SandboxApiServer api;
  private final ProcessKubelet kubelet;
  private final KafkaBroker kafka;
  private volatile SpateOperator operator;
  private volatile KubernetesClient operatorClient;
  private final List<OperatorProcess> operatorProcesses = new CopyOnWriteArrayList<>();
  private volatile Monitoring monitoring;

  /**
   * The operator's monitoring server and registry, as {@code Main} wires them.
   *
   * @param registry the Prometheus registry JOSDK's metrics and the job gauges write to
   * @param server the HTTP server of {@code /metrics}, {@code /healthz}, {@code /readyz}
   */
  private record Monitoring(PrometheusMeterRegistry registry, MonitoringServer server)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        server.close();
      } finally {
        registry.close();
      }
    }
  }

  private Sandbox(
      Options options,
      SandboxApiServer api,
      ProcessKubelet kubelet,
      KafkaBroker kafka,
      SpateOperator operator,
      KubernetesClient operatorClient,
      Monitoring monitoring) {
    this.options = options;
    this.monitoring = monitoring;
    this.api = api;
    this.kubelet = kubelet;
    this.kafka = kafka;
    this.operator = operator;
    this.operatorClient = operatorClient;
  }

  /**
   * Starts everything; on failure stops what was started.
   *
   * @param options settings
   * @return the running sandbox
   * @throws IllegalStateException when the Spark distribution is missing
   */
  public static Sandbox start(Options options) {
    return start(options, true, null);
  }

  /**
   * Starts everything but the operator; operators then run as separate JVMs started with {@link
   * #startOperatorProcess}. On failure stops what was started.
   *
   * @param options settings
   * @return the running sandbox, no operator yet
   * @throws IllegalStateException when the Spark distribution is missing
   */
  public static Sandbox startWithoutOperator(Options options) {
    return start(options, false, null);
  }

  /**
   * Starts everything with a broker that also has a TLS listener ({@link
   * KafkaBroker#tlsBootstrapServers()}) using the given server certificate; on failure stops what
   * was started.
   *
   * @param options settings
   * @param kafkaTls the broker's TLS keystore, or null for a plaintext broker only
   * @return the running sandbox
   * @throws IllegalStateException when the Spark distribution is missing
   */
  public static Sandbox start(Options options, dev.spate.testkit.SelfSignedTls kafkaTls) {
    return start(options, true, kafkaTls);
  }

  private static Sandbox start(
      Options options, boolean inProcessOperator, dev.spate.testkit.SelfSignedTls kafkaTls) {
    SandboxApiServer api = null;
    ProcessKubelet kubelet = null;
    KafkaBroker kafka = null;
    SpateOperator operator = null;
    KubernetesClient operatorClient = null;
    Monitoring monitoring = null;
    try {
      Files.createDirectories(options.runDir());
      api = SandboxApiServer.start(options.https());
      kubelet =
          ProcessKubelet.start(
              api.client(),
              ProcessKubelet.Config.defaults(
                      options.sparkHome(), options.runDir(), api.url(), options.https())
                  .withRuntime(options.runtime())
                  .withImageFiles(options.imageFiles()));
      api.dispatcher().runningPods(kubelet::runs);
      api.dispatcher().podLogs(new KubeletLogFiles(options.runDir()));
      api.writeKubeconfig(options.runDir().resolve("kubeconfig"));
      kafka = kafkaTls == null ? KafkaBroker.start() : KafkaBroker.startWithTls(kafkaTls);
      if (inProcessOperator) {
        operatorClient = api.newClient(dev.spate.operator.rbac.ApiAccess.userAgent());
        PrometheusMeterRegistry registry =
            monitoringPort(options) == null ? null : MonitoringServer.newRegistry();
        operator = newOperator(operatorClient, options, "sandbox", registry);
        monitoring = serve(options, registry, operator);
        operator.start();
      }
      LOG.info(
          "sandbox up: API {} · Kafka {} · run dir {}",
          api.url(),
          kafka.bootstrapServers(),
          options.runDir());
      return new Sandbox(options, api, kubelet, kafka, operator, operatorClient, monitoring);
    } catch (java.io.IOException e) {
      closeAll(operator, monitoring, operatorClient, kubelet, kafka, api);
      throw new java.io.UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      closeAll(operator, monitoring, operatorClient, kubelet, kafka, api);
      throw e;
    }
  }

  /** {@code spate.monitoringPort} of the operator options, or null when monitoring is off. */
  private static Integer monitoringPort(Options options) {
    return options.operatorOptions().containsKey(MonitoringConfig.PORT.key())
        ? MonitoringConfig.read(options.operatorOptions(), Map.of()).port()
        : null;
  }

  /** The operator, with JOSDK's Micrometer metrics into the registry when there is one. */
  private static SpateOperator newOperator(
      KubernetesClient client, Options options, String instance, PrometheusMeterRegistry registry) {
    return registry == null
        ? new SpateOperator(client, operatorConfig(options), instance)
        : new SpateOperator(
            client,
            operatorConfig(options),
            instance,
            MicrometerMetrics.withoutPerResourceMetrics(registry));
  }

  /** Starts the monitoring server before the operator, as {@code Main} does; null when off. */
  private static Monitoring serve(
      Options options, PrometheusMeterRegistry registry, SpateOperator operator)
      throws java.io.IOException {
    if (registry == null) {
      return null;
    }
    try {
      return new Monitoring(
          registry, MonitoringServer.forOperator(monitoringPort(options), registry, operator));
    } catch (java.io.IOException | RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  private static OperatorConfig operatorConfig(Options options) {
    Map<String, String> settings = new java.util.HashMap<>(options.operatorOptions());
    // the fabric8 mock API server has no server-side apply
    settings.putIfAbsent(OperatorConfig.SERVER_SIDE_APPLY.key(), "false");
    // leader election stays on (the default); an operator in this JVM must not exit it when it
    // loses its Lease, and a restarted one (new identity) takes over within 10 s
    settings.putIfAbsent(OperatorConfig.EXIT_ON_LOST_LEASE.key(), "false");
    settings.putIfAbsent(OperatorConfig.LEASE_DURATION.key(), "10s");
    settings.putIfAbsent(OperatorConfig.LEASE_RENEW_DEADLINE.key(), "8s");
    settings.putIfAbsent(OperatorConfig.LEASE_RETRY_PERIOD.key(), "1s");
    // a handful of jobs on one machine: lag in status every 5 s for the demo (production 30 s)
    settings.putIfAbsent(OperatorConfig.LAG_STATUS_INTERVAL.key(), "5s");
    return OperatorConfig.read(settings, Map.of())
        .withDefaultImage(defaultImage(options))
        .withKafkaPollInterval(options.kafkaPollInterval());
  }

  private static String defaultImage(Options options) {
    return options.runtime() == PodRuntime.PODMAN
        ? CONTAINER_SPARK_IMAGE
        : "spate-sandbox/spark:local";
  }

  /**
   * Starts one more operator replica in its own JVM ({@link OperatorProcess}), with the sandbox's
   * settings (default image, Kafka poll interval, no server-side apply) and leader election on with
   * the production default of exiting when it loses the Lease, plus {@code settings} (e.g. a
   * shorter {@code spate.leaseDuration}). Its log is {@code <runDir>/operators/<instance>.log}.
   * {@link #close()} stops it.
   *
   * @param instance its identity, e.g. {@code operator-a}
   * @param settings further operator options by key; they override the sandbox's
   * @return the running process
   */
  public synchronized OperatorProcess startOperatorProcess(
      String instance, Map<String, String> settings) {
    Map<String, String> all = new java.util.LinkedHashMap<>(options.operatorOptions());
    all.putIfAbsent(OperatorConfig.SERVER_SIDE_APPLY.key(), "false");
    all.put("spate.defaultImage", defaultImage(options));
    all.put("spate.kafkaPollInterval", options.kafkaPollInterval().toMillis() + "ms");
    all.put("spate.monitoringPort", "0");
    all.putAll(settings);
    OperatorProcess process =
        OperatorProcess.start(
            instance,
            api.url(),
            all,
            options.runDir().resolve("operators").resolve(instance + ".log"));
    operatorProcesses.add(process);
    LOG.info("started {}", process);
    return process;
  }

  /**
   * Restarts the operator as a new instance, the way a rolling update of its Deployment does: stops
   * the running one (in-flight reconciles finish, informers and AdminClients close; the Lease is
   * not released), then starts a new one with a new API client and the same options. With a new
   * identity it reconciles once the old Lease expired (10 s). Pods and the API's objects are
   * untouched; the new instance learns everything from the API (StreamingJob status, pods).
   *
   * @param instance the new instance's identity (e.g. {@code sandbox-2})
   */
  public synchronized void restartOperator(String instance) {
    closeAll(operator, monitoring, operatorClient);
    operator = null;
    monitoring = null;
    operatorClient = api.newClient(dev.spate.operator.rbac.ApiAccess.userAgent());
    PrometheusMeterRegistry registry =
        monitoringPort(options) == null ? null : MonitoringServer.newRegistry();
    operator = newOperator(operatorClient, options, instance, registry);
    try {
      monitoring = serve(options, registry, operator);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    operator.start();
    LOG.info("operator restarted as instance {}", instance);
  }

  /**
   * Finds spark-dist's SPARK_HOME: system property {@code spate.sandbox.sparkHome}, environment
   * {@code SPATE_SPARK_HOME}, else {@code spark-dist/target/spark-home} in the working directory or
   * one of its parents.
   *
   * @return the directory (may not exist; {@link ProcessKubelet#start} says so)
   */
  public static Path locateSparkHome() {
    String explicit =
        Optional.ofNullable(System.getProperty("spate.sandbox.sparkHome"))
            .orElse(System.getenv("SPATE_SPARK_HOME"));
    if (explicit != null) {
      return Path.of(explicit).toAbsolutePath();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve("spark-dist/target/spark-home");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    return Path.of("spark-dist/target/spark-home").toAbsolutePath();
  }

  /**
   * Starts a sandbox and keeps it until Ctrl-C, as {@code ./sandbox/up} does ({@link SandboxUp}).
   *
   * @param args see {@link SandboxUp}
   * @throws Exception when the sandbox cannot start
   */
  public static void main(String[] args) throws Exception {
    SandboxUp.main(args);
  }

  /**
   * @return the API server
   */
  public SandboxApiServer api() {
    return api;
  }

  /**
   * @return a client of the API server (shared)
   */
  public KubernetesClient client() {
    return api.client();
  }

  /**
   * @return the kubelet
   */
  public ProcessKubelet kubelet() {
    return kubelet;
  }

  /**
   * @return the Kafka broker
   */
  public KafkaBroker kafka() {
    return kafka;
  }

  /**
   * @return how often the operator polls Kafka partitions and offsets
   */
  public Duration kafkaPollInterval() {
    return options.kafkaPollInterval();
  }

  /**
   * @return the kubeconfig of this sandbox for kubectl ({@code <runDir>/kubeconfig}, see {@link
   *     SandboxApiServer#writeKubeconfig})
   */
  public Path kubeconfig() {
    return options.runDir().resolve("kubeconfig");
  }

  /**
   * @return this run's directory
   */
  public Path runDir() {
    return options.runDir();
  }

  /**
   * @return process ids of the JVMs of this sandbox that are alive now: this JVM and every pod JVM
   *     (for memory measurements)
   */
  public Map<Long, String> liveJvms() {
    Map<Long, String> out = new java.util.LinkedHashMap<>();
    out.put(ProcessHandle.current().pid(), "sandbox (API, kubelet, Kafka, operator)");
    kubelet
        .startedProcesses()
        .forEach(
            (pid, pod) -> {
              if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                out.put(pid, pod);
              }
            });
    return out;
  }

  /**
   * @return whether this sandbox monitors: the operator's {@code /metrics} is served ({@link
   *     #operatorMetrics()}) and drivers keep their Spark UI (its Prometheus endpoints)
   */
  public boolean monitoring() {
    return monitoring != null;
  }

  /**
   * @return the operator's Prometheus endpoint, {@code http://127.0.0.1:<port>/metrics} (also
   *     {@code /healthz}, {@code /readyz} on that port)
   * @throws IllegalStateException when the sandbox runs without monitoring
   */
  public java.net.URI operatorMetrics() {
    Monitoring m = monitoring;
    if (m == null) {
      throw new IllegalStateException(
          "no operator monitoring: start the sandbox with the operator option "
              + MonitoringConfig.PORT.key());
    }
    return java.net.URI.create("http://127.0.0.1:" + m.server().port() + "/metrics");
  }

  /**
   * Stops the operators (in this JVM and in their own), every pod JVM, the broker and the API
   * server, in that order.
   */
  @Override
  public void close() {
    closeAll(operatorProcesses.toArray(AutoCloseable[]::new));
    closeAll(operator, monitoring, operatorClient, kubelet, kafka, api);
  }

  private static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable part : parts) {
      if (part == null) {
        continue;
      }
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", part.getClass().getSimpleName(), e);
      }
    }
  }
}
