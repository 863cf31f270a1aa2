package dev.spate.operator.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operator's typed configuration: every option with its key, environment variable, default
 * and description in one place ({@link #OPTIONS}). A value is read from the system property
 * {@code <key>}, else the environment variable {@code <ENV>}, else the default.
 *
 * @param watchedNamespaces namespaces whose StreamingJobs are reconciled; empty = all namespaces
 * @param defaultImage Spark image used when {@code spec.image} is absent
 * @param kafkaPollInterval how often each Kafka cluster is polled for partitions and offsets
 * @param reconcileInterval longest time between two reconciles of one StreamingJob
 * @param leaderElection whether only the elected replica reconciles (Kubernetes Lease)
 * @param leaseNamespace namespace of the leader-election Lease
 */
public record OperatorConfig(
    Set<String> watchedNamespaces,
    String defaultImage,
    Duration kafkaPollInterval,
    Duration reconcileInterval,
    boolean leaderElection,
    String leaseNamespace) {

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
      new Option<>("spate.namespaces", "SPATE_NAMESPACES", "",
          "Comma-separated namespaces whose StreamingJobs are reconciled; empty watches all namespaces.",
          OperatorConfig::parseList);

  /** {@code spate.defaultImage}: Spark image used when {@code spec.image} is absent. */
  public static final Option<String> DEFAULT_IMAGE =
      new Option<>("spate.defaultImage", "SPATE_DEFAULT_IMAGE", "ghcr.io/spate-dev/spate-spark:0.1.0",
          "Spark 3.5 image holding the Spate job jar, used when spec.image is absent.",
          Function.identity());

  /** {@code spate.kafkaPollInterval}: ISO-8601 or {@code 10s}-style duration. */
  public static final Option<Duration> KAFKA_POLL_INTERVAL =
      new Option<>("spate.kafkaPollInterval", "SPATE_KAFKA_POLL_INTERVAL", "10s",
          "How often each Kafka cluster is polled for partition counts and offsets (e.g. 10s, 1m).",
          OperatorConfig::parseDuration);

  /** {@code spate.reconcileInterval}: longest time between two reconciles of one job. */
  public static final Option<Duration> RECONCILE_INTERVAL =
      new Option<>("spate.reconcileInterval", "SPATE_RECONCILE_INTERVAL", "60s",
          "Longest time between two reconciles of one StreamingJob, even without events.",
          OperatorConfig::parseDuration);

  /** {@code spate.leaderElection}: run with a Lease so only one replica reconciles. */
  public static final Option<Boolean> LEADER_ELECTION =
      new Option<>("spate.leaderElection", "SPATE_LEADER_ELECTION", "false",
          "true: replicas elect a leader through a Lease named spate-operator; only it reconciles.",
          OperatorConfig::parseBoolean);

  /** {@code spate.leaseNamespace}: where the Lease lives; empty = the client's namespace. */
  public static final Option<String> LEASE_NAMESPACE =
      new Option<>("spate.leaseNamespace", "SPATE_LEASE_NAMESPACE", "spate-system",
          "Namespace of the leader-election Lease.", Function.identity());

  /** Every option, in the order README documents them. */
  public static final List<Option<?>> OPTIONS =
      List.of(WATCHED_NAMESPACES, DEFAULT_IMAGE, KAFKA_POLL_INTERVAL, RECONCILE_INTERVAL,
          LEADER_ELECTION, LEASE_NAMESPACE);

  /**
   * Reads every option.
   *
   * @param systemProperties looked up first
   * @param environment looked up second
   * @return the configuration
   * @throws IllegalArgumentException when a value does not parse
   */
  public static OperatorConfig read(Map<String, String> systemProperties, Map<String, String> environment) {
    return new OperatorConfig(
        WATCHED_NAMESPACES.read(systemProperties, environment),
        DEFAULT_IMAGE.read(systemProperties, environment),
        KAFKA_POLL_INTERVAL.read(systemProperties, environment),
        RECONCILE_INTERVAL.read(systemProperties, environment),
        LEADER_ELECTION.read(systemProperties, environment),
        LEASE_NAMESPACE.read(systemProperties, environment));
  }

  /** @return the configuration with every default */
  public static OperatorConfig defaults() {
    return read(Map.of(), Map.of());
  }

  /** @return this with another default image */
  public OperatorConfig withDefaultImage(String image) {
    return new OperatorConfig(watchedNamespaces, image, kafkaPollInterval, reconcileInterval,
        leaderElection, leaseNamespace);
  }

  /** @return this with another Kafka poll interval */
  public OperatorConfig withKafkaPollInterval(Duration interval) {
    return new OperatorConfig(watchedNamespaces, defaultImage, interval, reconcileInterval,
        leaderElection, leaseNamespace);
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
   * Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or an ISO-8601 duration ({@code PT10S}).
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
      d = switch (m.group(2)) {
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
