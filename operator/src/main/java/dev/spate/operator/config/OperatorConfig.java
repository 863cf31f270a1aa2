package dev.spate.operator.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator's typed configuration: every option with its key, environment variable, default and
 * description in one place ({@link #OPTIONS}). A value is read from the system property {@code
 * <key>}, else the environment variable {@code <ENV>}, else the default.
 *
 * @param watchedNamespaces namespaces whose StreamingJobs are reconciled; empty = all namespaces
 * @param defaultImage Spark image used when {@code spec.image} is absent
 * @param kafkaPollInterval how often each Kafka cluster is polled for partitions and offsets
 * @param reconcileInterval longest time between two reconciles of one StreamingJob
 * @param leaderElection whether only the elected replica reconciles (Kubernetes Lease)
 * @param leaseNamespace namespace of the leader-election Lease
 * @param scaleDownWindow scale-down stabilisation window ({@code 0} = none)
 * @param rescaleTimeout how long the driver plugin has to confirm a live resize
 * @param driverPendingTimeout how long a driver pod may stay Pending ({@code 0} = no limit)
 * @param progressStallTimeout how long a running query may commit nothing while lag is above 0
 *     ({@code 0} = no limit)
 * @param serverSideApply whether status and owned objects are written with server-side apply
 *     semantics (JOSDK's default); false uses JSON merge patch and plain updates
 * @param leaseDuration how long a leader's Lease holds without renewal (Kubernetes {@code
 *     leaseDurationSeconds}); a crashed leader's successor takes over within it
 * @param leaseRenewDeadline how long the leader retries renewing before it gives up leading
 * @param leaseRetryPeriod time between two attempts to acquire or renew the Lease
 * @param exitOnLostLease whether the process exits when it stops leading (a replica that lost its
 *     Lease must not act on a stale view; Kubernetes restarts the container)
 * @param oldPodTimeout how long a pod of an earlier attempt may take to go away before the job
 *     reports it ({@code OldPodStuck}, naming the pod and its node)
 * @param lagStatusInterval how often the lag figures in a job's status ({@code status.kafka.lag},
 *     {@code lagSeconds}, {@code committedBatchId}, {@code lastCommitTime}) are refreshed at most,
 *     unless they change significantly ({@code 0} = at every Kafka poll); the operator's metrics
 *     carry the live values
 * @param allowedImages images a {@code spec.image} may name besides {@code defaultImage}: exact
 *     references, or prefixes written with a trailing {@code *} (see {@link #imageAllowed})
 */
public record OperatorConfig(
    Set<String> watchedNamespaces,
    String defaultImage,
    Duration kafkaPollInterval,
    Duration reconcileInterval,
    boolean leaderElection,
    String leaseNamespace,
    Duration scaleDownWindow,
    Duration rescaleTimeout,
    Duration driverPendingTimeout,
    Duration progressStallTimeout,
    boolean serverSideApply,
    Duration leaseDuration,
    Duration leaseRenewDeadline,
    Duration leaseRetryPeriod,
    boolean exitOnLostLease,
    Duration oldPodTimeout,
    Duration lagStatusInterval,
    Set<String> allowedImages) {

  /**
   * The configuration of the first six options, every sizing and recovery option at its default
   * (the constructor before those options existed; kept for callers such as the sandbox).
   *
   * @param watchedNamespaces as the record component
   * @param defaultImage as the record component
   * @param kafkaPollInterval as the record component
   * @param reconcileInterval as the record component
   * @param leaderElection as the record component
   * @param leaseNamespace as the record component
   */
  public OperatorConfig(
      Set<String> watchedNamespaces,
      String defaultImage,
      Duration kafkaPollInterval,
      Duration reconcileInterval,
      boolean leaderElection,
      String leaseNamespace) {
    this(
        watchedNamespaces,
        defaultImage,
        kafkaPollInterval,
        reconcileInterval,
        leaderElection,
        leaseNamespace,
        SCALE_DOWN_WINDOW.read(Map.of(), Map.of()),
        RESCALE_TIMEOUT.read(Map.of(), Map.of()),
        DRIVER_PENDING_TIMEOUT.read(Map.of(), Map.of()),
        PROGRESS_STALL_TIMEOUT.read(Map.of(), Map.of()),
        SERVER_SIDE_APPLY.read(Map.of(), Map.of()),
        LEASE_DURATION.read(Map.of(), Map.of()),
        LEASE_RENEW_DEADLINE.read(Map.of(), Map.of()),
        LEASE_RETRY_PERIOD.read(Map.of(), Map.of()),
        EXIT_ON_LOST_LEASE.read(Map.of(), Map.of()),
        OLD_POD_TIMEOUT.read(Map.of(), Map.of()),
        LAG_STATUS_INTERVAL.read(Map.of(), Map.of()),
        ALLOWED_IMAGES.read(Map.of(), Map.of()));
  }

  /** One option: key (system property), environment variable, default and description. */
  public record Option<T>(
      String key, String env, String defaultValue, String description, Function<String, T> parse) {

    /**
     * Reads the option.
     *
     * @param systemProperties where keys are looked up first
     * @param environment where environment variables are looked up second
     * @return the parsed value
     * @throws IllegalArgumentException when the value does not parse; the message names the key
     */
    public T read(Map<String, String> systemProperties, Map<String, String> environment) {
      String raw = systemProperties.get(key);
      if (raw == null) {
        raw = environment.get(env);
      }
      if (raw == null) {
        raw = defaultValue;
      }
      try {
        return parse.apply(raw.trim());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "bad value '" + raw + "' for " + key + " (" + env + "): " + e.getMessage(), e);
      }
    }
  }

  /** {@code spate.namespaces}: comma-separated namespaces to watch; empty = all namespaces. */
  public static final Option<Set<String>> WATCHED_NAMESPACES =
      new Option<>(
          "spate.namespaces",
          "SPATE_NAMESPACES",
          "",
          "Comma-separated namespaces whose StreamingJobs are reconciled; empty watches all namespaces.",
          OperatorConfig::parseList);

  /** {@code spate.defaultImage}: Spark image used when {@code spec.image} is absent. */
  public static final Option<String> DEFAULT_IMAGE =
      new Option<>(
          "spate.defaultImage",
          "SPATE_DEFAULT_IMAGE",
          "ghcr.io/spate-dev/spate-spark:0.1.0",
          "Spark 3.5 image holding the Spate job jar, used when spec.image is absent.",
          Function.identity());

  /** {@code spate.kafkaPollInterval}: ISO-8601 or {@code 10s}-style duration. */
  public static final Option<Duration> KAFKA_POLL_INTERVAL =
      new Option<>(
          "spate.kafkaPollInterval",
          "SPATE_KAFKA_POLL_INTERVAL",
          "10s",
          "How often each Kafka cluster is polled for partition counts and offsets (e.g. 10s, 1m).",
          OperatorConfig::parseDuration);

  /** {@code spate.reconcileInterval}: longest time between two reconciles of one job. */
  public static final Option<Duration> RECONCILE_INTERVAL =
      new Option<>(
          "spate.reconcileInterval",
          "SPATE_RECONCILE_INTERVAL",
          "60s",
          "Longest time between two reconciles of one StreamingJob, even without events.",
          OperatorConfig::parseDuration);

  /** {@code spate.leaderElection}: run with a Lease so only one replica reconciles. */
  public static final Option<Boolean> LEADER_ELECTION =
      new Option<>(
          "spate.leaderElection",
          "SPATE_LEADER_ELECTION",
          "true",
          "true: replicas elect a leader through a Lease named spate-operator; only it reconciles.",
          OperatorConfig::parseBoolean);

  /** {@code spate.leaseNamespace}: where the Lease lives; empty = the client's namespace. */
  public static final Option<String> LEASE_NAMESPACE =
      new Option<>(
          "spate.leaseNamespace",
          "SPATE_LEASE_NAMESPACE",
          "spate-system",
          "Namespace of the leader-election Lease.",
          Function.identity());

  /**
   * {@code spate.scaleDownWindow}: HPA-style scale-down stabilisation window; {@code 0s} = none.
   */
  public static final Option<Duration> SCALE_DOWN_WINDOW =
      new Option<>(
          "spate.scaleDownWindow",
          "SPATE_SCALE_DOWN_WINDOW",
          "5m",
          "A lower executor count applies only after it held this long (0s = at once).",
          OperatorConfig::parseDurationOrZero);

  /** {@code spate.rescaleTimeout}: how long the driver plugin has to confirm a live resize. */
  public static final Option<Duration> RESCALE_TIMEOUT =
      new Option<>(
          "spate.rescaleTimeout",
          "SPATE_RESCALE_TIMEOUT",
          "2m",
          "Time the driver has to report a new executor count before the job restarts from its"
              + " checkpoint with that count.",
          OperatorConfig::parseDuration);

  /** {@code spate.driverPendingTimeout}: longest time a driver pod may stay Pending. */
  public static final Option<Duration> DRIVER_PENDING_TIMEOUT =
      new Option<>(
          "spate.driverPendingTimeout",
          "SPATE_DRIVER_PENDING_TIMEOUT",
          "10m",
          "A driver pod Pending longer than this (unschedulable, image pull errors) is a failure"
              + " (0s = no limit).",
          OperatorConfig::parseDurationOrZero);

  /** {@code spate.progressStallTimeout}: longest time without committed progress while lag > 0. */
  public static final Option<Duration> PROGRESS_STALL_TIMEOUT =
      new Option<>(
          "spate.progressStallTimeout",
          "SPATE_PROGRESS_STALL_TIMEOUT",
          "15m",
          "A running query that commits no micro-batch this long while the lag is above 0 is a"
              + " failure (0s = no limit).",
          OperatorConfig::parseDurationOrZero);

  /** {@code spate.serverSideApply}: write with server-side apply (JOSDK's default). */
  public static final Option<Boolean> SERVER_SIDE_APPLY =
      new Option<>(
          "spate.serverSideApply",
          "SPATE_SERVER_SIDE_APPLY",
          "true",
          "true: status and owned objects are written with server-side apply (JOSDK's default);"
              + " false: JSON merge patch and plain updates (for API servers without it).",
          OperatorConfig::parseBoolean);

  /** {@code spate.leaseDuration}: how long the leader's Lease holds without renewal. */
  public static final Option<Duration> LEASE_DURATION =
      new Option<>(
          "spate.leaseDuration",
          "SPATE_LEASE_DURATION",
          "15s",
          "How long the leader's Lease holds without renewal; a successor takes over within it.",
          OperatorConfig::parseDuration);

  /** {@code spate.leaseRenewDeadline}: how long the leader retries renewing its Lease. */
  public static final Option<Duration> LEASE_RENEW_DEADLINE =
      new Option<>(
          "spate.leaseRenewDeadline",
          "SPATE_LEASE_RENEW_DEADLINE",
          "10s",
          "How long the leader retries renewing its Lease before it stops leading.",
          OperatorConfig::parseDuration);

  /** {@code spate.leaseRetryPeriod}: time between two attempts to acquire or renew. */
  public static final Option<Duration> LEASE_RETRY_PERIOD =
      new Option<>(
          "spate.leaseRetryPeriod",
          "SPATE_LEASE_RETRY_PERIOD",
          "2s",
          "Time between two attempts to acquire or renew the Lease.",
          OperatorConfig::parseDuration);

  /** {@code spate.exitOnLostLease}: exit the process when it stops leading. */
  public static final Option<Boolean> EXIT_ON_LOST_LEASE =
      new Option<>(
          "spate.exitOnLostLease",
          "SPATE_EXIT_ON_LOST_LEASE",
          "true",
          "true: the process exits when it stops leading (Kubernetes restarts it as a follower).",
          OperatorConfig::parseBoolean);

  /** {@code spate.oldPodTimeout}: how long an earlier attempt's pod may take to go away. */
  public static final Option<Duration> OLD_POD_TIMEOUT =
      new Option<>(
          "spate.oldPodTimeout",
          "SPATE_OLD_POD_TIMEOUT",
          "5m",
          "A pod of an earlier attempt still there this long after its deletion (node lost) is"
              + " reported as OldPodStuck, naming the pod and its node.",
          OperatorConfig::parseDuration);

  /** {@code spate.lagStatusInterval}: how often the lag figures in status are refreshed at most. */
  public static final Option<Duration> LAG_STATUS_INTERVAL =
      new Option<>(
          "spate.lagStatusInterval",
          "SPATE_LAG_STATUS_INTERVAL",
          "30s",
          "The lag figures in a job's status (lag, lagSeconds, committedBatchId, lastCommitTime)"
              + " are written at most this often unless they change significantly (0s = at every"
              + " Kafka poll); the operator's metrics carry the live values.",
          OperatorConfig::parseDurationOrZero);

  /**
   * {@code spate.allowedImages}: images a job may name in {@code spec.image} besides the default
   * image; empty = the default image only.
   */
  public static final Option<Set<String>> ALLOWED_IMAGES =
      new Option<>(
          "spate.allowedImages",
          "SPATE_ALLOWED_IMAGES",
          "",
          "Comma-separated images a job may name in spec.image besides the default image (empty ="
              + " the default image only); an entry ending in * allows every image starting with"
              + " the text before it (registry.example.com/team/*). Other images make the job"
              + " InvalidSpec.",
          OperatorConfig::parseList);

  /** The deployment options, each set in deploy/operator/deployment.yaml, in README order. */
  public static final List<Option<?>> OPTIONS =
      List.of(
          WATCHED_NAMESPACES,
          DEFAULT_IMAGE,
          KAFKA_POLL_INTERVAL,
          RECONCILE_INTERVAL,
          LEADER_ELECTION,
          LEASE_NAMESPACE,
          ALLOWED_IMAGES);

  /** Sizing and recovery tuning options; their defaults suit production, in README order. */
  public static final List<Option<?>> TUNING_OPTIONS =
      List.of(
          SCALE_DOWN_WINDOW,
          RESCALE_TIMEOUT,
          DRIVER_PENDING_TIMEOUT,
          PROGRESS_STALL_TIMEOUT,
          SERVER_SIDE_APPLY,
          LEASE_DURATION,
          LEASE_RENEW_DEADLINE,
          LEASE_RETRY_PERIOD,
          EXIT_ON_LOST_LEASE,
          OLD_POD_TIMEOUT,
          LAG_STATUS_INTERVAL);

  /**
   * Reads every option.
   *
   * @param systemProperties looked up first
   * @param environment looked up second
   * @return the configuration
   * @throws IllegalArgumentException when a value does not parse
   */
  public static OperatorConfig read(
      Map<String, String> systemProperties, Map<String, String> environment) {
    return new OperatorConfig(
        WATCHED_NAMESPACES.read(systemProperties, environment),
        DEFAULT_IMAGE.read(systemProperties, environment),
        KAFKA_POLL_INTERVAL.read(systemProperties, environment),
        RECONCILE_INTERVAL.read(systemProperties, environment),
        LEADER_ELECTION.read(systemProperties, environment),
        LEASE_NAMESPACE.read(systemProperties, environment),
        SCALE_DOWN_WINDOW.read(systemProperties, environment),
        RESCALE_TIMEOUT.read(systemProperties, environment),
        DRIVER_PENDING_TIMEOUT.read(systemProperties, environment),
        PROGRESS_STALL_TIMEOUT.read(systemProperties, environment),
        SERVER_SIDE_APPLY.read(systemProperties, environment),
        LEASE_DURATION.read(systemProperties, environment),
        LEASE_RENEW_DEADLINE.read(systemProperties, environment),
        LEASE_RETRY_PERIOD.read(systemProperties, environment),
        EXIT_ON_LOST_LEASE.read(systemProperties, environment),
        OLD_POD_TIMEOUT.read(systemProperties, environment),
        LAG_STATUS_INTERVAL.read(systemProperties, environment),
        ALLOWED_IMAGES.read(systemProperties, environment));
  }

  /**
   * @return the configuration with every default
   */
  public static OperatorConfig defaults() {
    return read(Map.of(), Map.of());
  }

  /**
   * @return this with another default image
   */
  public OperatorConfig withDefaultImage(String image) {
    return new OperatorConfig(
        watchedNamespaces,
        image,
        kafkaPollInterval,
        reconcileInterval,
        leaderElection,
        leaseNamespace,
        scaleDownWindow,
        rescaleTimeout,
        driverPendingTimeout,
        progressStallTimeout,
        serverSideApply,
        leaseDuration,
        leaseRenewDeadline,
        leaseRetryPeriod,
        exitOnLostLease,
        oldPodTimeout,
        lagStatusInterval,
        allowedImages);
  }

  /**
   * @return this with another Kafka poll interval
   */
  public OperatorConfig withKafkaPollInterval(Duration interval) {
    return new OperatorConfig(
        watchedNamespaces,
        defaultImage,
        interval,
        reconcileInterval,
        leaderElection,
        leaseNamespace,
        scaleDownWindow,
        rescaleTimeout,
        driverPendingTimeout,
        progressStallTimeout,
        serverSideApply,
        leaseDuration,
        leaseRenewDeadline,
        leaseRetryPeriod,
        exitOnLostLease,
        oldPodTimeout,
        lagStatusInterval,
        allowedImages);
  }

  /**
   * Whether a job may run an image: the default image always, else an entry of {@code
   * allowedImages} equal to it, or ending in {@code *} with the image starting with the text before
   * the {@code *}. Image references are compared as written ({@code repo:tag} and {@code
   * repo@sha256:...} are different references); end a prefix with {@code /}, {@code :} or {@code @}
   * so that {@code registry.example.com/team/*} does not also allow {@code
   * registry.example.com/team-other/...}.
   *
   * @param image the image reference of {@code spec.image}, or the default image
   * @return true when the job may run it
   */
  public boolean imageAllowed(String image) {
    if (image.equals(defaultImage)) {
      return true;
    }
    for (String allowed : allowedImages) {
      if (allowed.endsWith("*")
          ? image.startsWith(allowed.substring(0, allowed.length() - 1))
          : image.equals(allowed)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param images see {@link #allowedImages()}
   * @return this with other allowed images
   */
  public OperatorConfig withAllowedImages(Set<String> images) {
    return new OperatorConfig(
        watchedNamespaces,
        defaultImage,
        kafkaPollInterval,
        reconcileInterval,
        leaderElection,
        leaseNamespace,
        scaleDownWindow,
        rescaleTimeout,
        driverPendingTimeout,
        progressStallTimeout,
        serverSideApply,
        leaseDuration,
        leaseRenewDeadline,
        leaseRetryPeriod,
        exitOnLostLease,
        oldPodTimeout,
        lagStatusInterval,
        Set.copyOf(images));
  }

  /**
   * As {@link #parseDuration}, but {@code 0}, {@code 0s}, {@code 0ms}, ... mean zero.
   *
   * @param value the text
   * @return the duration, zero or positive
   * @throws IllegalArgumentException when it does not parse or is negative
   */
  public static Duration parseDurationOrZero(String value) {
    if (value.matches("0+(ms|s|m|h)?")) {
      return Duration.ZERO;
    }
    return parseDuration(value);
  }

  static Set<String> parseList(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  static boolean parseBoolean(String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected true or false");
  }

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or an ISO-8601 duration ({@code
   * PT10S}).
   *
   * @param value the text
   * @return the duration, positive
   * @throws IllegalArgumentException when it does not parse or is not positive
   */
  public static Duration parseDuration(String value) {
    Duration d;
    var m = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
    } else {
      d = Duration.parse(value);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
    return d;
  }
}
