package dev.spate.operator.spark;

import dev.spate.operator.decide.SparkMemory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Spate does with the Spark keys that spark-submit's Kubernetes cluster mode applies to the
 * driver pod (Spark 3.5 "Running on Kubernetes" configuration table; {@code
 * BasicDriverFeatureStep}, {@code MountSecretsFeatureStep}, {@code EnvSecretsFeatureStep}, {@code
 * DriverServiceFeatureStep}). The operator builds the driver pod itself, so a key of a user's
 * {@code sparkConf} that only spark-submit would have applied to the driver pod is either applied
 * here the same way or rejected with a message naming the spec field to use. {@link #RULES} is the
 * table of docs/CONTRACT.md ("Spark keys on the driver"), which a test walks row by row.
 *
 * <p>Pure functions of the user's {@code sparkConf}.
 */
public final class DriverConfParity {

  /** What Spate does with a key. */
  public enum Verdict {
    /** Applied to the driver pod (or its Service) as spark-submit would, and passed to Spark. */
    APPLIED,
    /** Passed to Spark together with Spate's own value of the same key. */
    MERGED,
    /** Passed to Spark as given; Spark applies it where it belongs (executors, the driver JVM). */
    PASSED,
    /** Rejected with a message naming the spec field that replaces it. */
    REJECTED
  }

  /**
   * One row of the table.
   *
   * @param key the Spark key; a trailing {@code <…>} placeholder makes it a prefix (e.g. {@code
   *     spark.kubernetes.driverEnv.<name>})
   * @param example a value the table test sets (for {@code <…>} keys, after {@code =}: the key's
   *     last part and the value, e.g. {@code TZ=UTC})
   * @param verdict what Spate does
   * @param what the explanation; for {@link Verdict#REJECTED} it names the spec field(s)
   */
  public record Rule(String key, String example, Verdict verdict, String what) {

    /**
     * @param sparkKey a key of a user's {@code sparkConf}
     * @return whether this row covers it
     */
    public boolean matches(String sparkKey) {
      int placeholder = key.indexOf('<');
      return placeholder < 0
          ? key.equals(sparkKey)
          : sparkKey.startsWith(key.substring(0, placeholder)) && sparkKey.length() > placeholder;
    }

    /**
     * @return the concrete key and value of {@link #example()}
     */
    public Map.Entry<String, String> exampleEntry() {
      int placeholder = key.indexOf('<');
      if (placeholder < 0) {
        return Map.entry(key, example);
      }
      int eq = example.indexOf('=');
      return Map.entry(
          key.substring(0, placeholder) + example.substring(0, eq), example.substring(eq + 1));
    }
  }

  /** {@code spark.kubernetes.container.image.pullPolicy}. */
  public static final String PULL_POLICY = "spark.kubernetes.container.image.pullPolicy";

  /** Prefix of {@code spark.kubernetes.driverEnv.[EnvironmentVariableName]}. */
  public static final String DRIVER_ENV_PREFIX = "spark.kubernetes.driverEnv.";

  /** {@code spark.ui.port}. */
  public static final String UI_PORT = "spark.ui.port";

  /** The pull policies Kubernetes accepts ({@code Container.imagePullPolicy}). */
  public static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

  private static final String POD_FIELDS =
      " (the operator builds the driver pod itself; spark-submit would have applied this key to"
          + " it)";

  /** The table, in the order of docs/CONTRACT.md. */
  public static final List<Rule> RULES =
      List.of(
          new Rule(
              "spark.kubernetes.container.image.pullSecrets",
              "regcred",
              Verdict.REJECTED,
              "set spec.driver.imagePullSecrets and spec.executor.imagePullSecrets instead"),
          new Rule(
              PULL_POLICY,
              "Always",
              Verdict.APPLIED,
              "the driver container's imagePullPolicy (Always, IfNotPresent or Never, else"
                  + " rejected); Spark gives executors the same"),
          new Rule(
              "spark.kubernetes.node.selector.<label>",
              "disktype=ssd",
              Verdict.REJECTED,
              "set spec.driver.nodeSelector and spec.executor.nodeSelector instead"),
          new Rule(
              "spark.kubernetes.driver.node.selector.<label>",
              "disktype=ssd",
              Verdict.REJECTED,
              "set spec.driver.nodeSelector instead"),
          new Rule(
              "spark.kubernetes.executor.node.selector.<label>",
              "disktype=ssd",
              Verdict.PASSED,
              "Spark puts it on executor pods"),
          new Rule(
              "spark.kubernetes.driverEnv.<name>",
              "TZ=UTC",
              Verdict.APPLIED,
              "an environment variable of the driver container"),
          new Rule(
              "spark.kubernetes.driver.secrets.<secret>",
              "app-certs=/etc/app-certs",
              Verdict.REJECTED,
              "a Secret mounted past its author's RBAC: give the driver a Secret key with"
                  + " spec.driver.env (the API server refuses every Secret-mounting sparkConf key)"),
          new Rule(
              "spark.kubernetes.driver.secretKeyRef.<name>",
              "DB_PASSWORD=db:password",
              Verdict.REJECTED,
              "a Secret key read past its author's RBAC: set spec.driver.env with"
                  + " valueFrom.secretKeyRef instead"),
          new Rule(
              "spark.kubernetes.driver.label.<label>",
              "team=a",
              Verdict.REJECTED,
              "set spec.driver.labels instead"),
          new Rule(
              "spark.kubernetes.driver.annotation.<name>",
              "owner=a",
              Verdict.REJECTED,
              "set spec.driver.annotations instead"),
          new Rule(
              "spark.kubernetes.driver.podTemplateFile",
              "/opt/spark/conf/driver.yaml",
              Verdict.REJECTED,
              "set the spec.driver fields instead" + POD_FIELDS),
          new Rule(
              "spark.kubernetes.driver.request.cores",
              "500m",
              Verdict.REJECTED,
              "set spec.driver.cores instead"),
          new Rule(
              "spark.kubernetes.driver.limit.cores",
              "2",
              Verdict.REJECTED,
              "set spec.driver.cores instead (the driver has no CPU limit)"),
          new Rule(
              "spark.kubernetes.driver.volumes.<volume>",
              "persistentVolumeClaim.data.mount.path=/data",
              Verdict.REJECTED,
              "set spec.checkpoint.volume instead (the driver's one volume)"),
          new Rule(
              "spark.kubernetes.memoryOverheadFactor",
              "0.5",
              Verdict.APPLIED,
              "the overhead factor of the driver's (and, by Spark, the executors') container"
                  + " memory where spark.driver.memoryOverheadFactor"
                  + " (spark.executor.memoryOverheadFactor) is unset, as Spark 3.5 falls back to"
                  + " it; in (0, 1]"),
          new Rule(
              "spark.driver.memoryOverheadFactor",
              "0.5",
              Verdict.APPLIED,
              "the overhead factor of the driver container's memory; in (0, 1]"),
          new Rule(
              "spark.driver.memoryOverhead",
              "1g",
              Verdict.APPLIED,
              "the driver container's memory overhead, a Spark size (384m, 1g); Kubernetes"
                  + " suffixes such as 1Gi are rejected, as Spark rejects them"),
          new Rule(
              "spark.executor.memoryOverhead",
              "1g",
              Verdict.PASSED,
              "Spark sizes executor pods with it; Kubernetes suffixes such as 1Gi are rejected,"
                  + " as Spark rejects them"),
          new Rule(
              UI_PORT,
              "4050",
              Verdict.APPLIED,
              "the driver container's spark-ui port and the driver Service's spark-ui port"
                  + " (1024 to 65535, not 7078 or 7079, else rejected)"),
          new Rule(
              "spark.driver.extraClassPath",
              "/opt/app/lib/*",
              Verdict.MERGED,
              "the Spate jar follows the given entries"),
          new Rule(
              "spark.executor.extraClassPath",
              "/opt/app/lib/*",
              Verdict.MERGED,
              "the Spate jar follows the given entries"),
          new Rule(
              "spark.driver.extraJavaOptions",
              "-Duser.timezone=UTC",
              Verdict.PASSED,
              "Spark's launcher in the driver container applies it"),
          new Rule(
              "spark.executorEnv.<name>",
              "TZ=UTC",
              Verdict.PASSED,
              "Spark puts it on executor pods"),
          new Rule(
              "spark.kubernetes.executor.secrets.<secret>",
              "app-certs=/etc/app-certs",
              Verdict.REJECTED,
              "a Secret mounted past its author's RBAC: Kafka client files reach executors"
                  + " through spec.kafka.clientConfigSecretRef"));

  private DriverConfParity() {}

  /**
   * @param sparkKey a key of a user's {@code sparkConf}
   * @return the table row covering it, if any
   */
  public static Optional<Rule> ruleFor(String sparkKey) {
    return RULES.stream().filter(r -> r.matches(sparkKey)).findFirst();
  }

  /**
   * The problems of a user's {@code sparkConf} with driver-side keys: each rejected key with the
   * spec field that replaces it, and each applied key whose value the driver pod cannot take.
   *
   * @param sparkConf the user's {@code sparkConf}
   * @return messages {@code spec.sparkConf[<key>]: …}, in key order; empty when none
   */
  public static List<String> problems(Map<String, String> sparkConf) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(sparkConf).entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      Optional<Rule> rule = ruleFor(key);
      if (rule.isEmpty()) {
        continue;
      }
      String at = "spec.sparkConf[" + key + "]: ";
      if (rule.get().verdict() == Verdict.REJECTED) {
        problems.add(at + rule.get().what());
      } else if (key.equals(PULL_POLICY) && !PULL_POLICIES.contains(value)) {
        problems.add(at + "'" + value + "' is not a pull policy (Always, IfNotPresent, Never)");
      } else if (key.equals(UI_PORT)) {
        uiPortProblem(value).ifPresent(p -> problems.add(at + p));
      } else if (key.equals("spark.driver.memoryOverhead")
          || key.equals("spark.executor.memoryOverhead")) {
        try {
          SparkMemory.parseSparkSizeMib(value);
        } catch (IllegalArgumentException ex) {
          problems.add(at + ex.getMessage());
        }
      }
    }
    return problems;
  }

  /**
   * The driver UI's port ({@code spark.ui.port}, Spark's default 4040).
   *
   * @param sparkConf the user's {@code sparkConf}
   * @return the port; the default when the key is absent or invalid (validation reports it)
   */
  public static int uiPort(Map<String, String> sparkConf) {
    String v = sparkConf.get(UI_PORT);
    return v != null && uiPortProblem(v).isEmpty()
        ? Integer.parseInt(v.trim())
        : SparkProperties.UI_PORT;
  }

  private static Optional<String> uiPortProblem(String value) {
    int port;
    try {
      port = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return Optional.of("'" + value + "' is not a port number");
    }
    if (port < 1024 || port > 65535) {
      // 0 (a random port) is unreachable through the Service; below 1024 needs a capability the
      // restricted driver pod drops
      return Optional.of(port + " is outside 1024 to 65535");
    }
    if (port == SparkProperties.DRIVER_PORT || port == SparkProperties.BLOCK_MANAGER_PORT) {
      return Optional.of(port + " is the driver's RPC or block manager port");
    }
    return Optional.empty();
  }

  /**
   * The driver pod with the applied keys of a user's {@code sparkConf}: pull policy, {@code
   * driverEnv} environment variables and the UI port. Keys with invalid values are skipped
   * (validation rejects the spec before a pod is built). The Secret-mounting keys ({@code
   * spark.kubernetes.driver.secrets.*}, {@code spark.kubernetes.driver.secretKeyRef.*}) never reach
   * here: the CRD's rule and {@link #problems} reject them, and {@code spec.driver.env} hands the
   * driver a Secret key instead.
   *
   * @param pod the driver pod as the operator builds it; its first container is the driver
   * @param sparkConf the user's {@code sparkConf}
   * @return the pod with the keys applied
   */
  public static Pod applyToDriverPod(Pod pod, Map<String, String> sparkConf) {
    Map<String, String> conf = new TreeMap<>(sparkConf);
    PodBuilder out = new PodBuilder(pod);
    Container driver = pod.getSpec().getContainers().get(0);
    ContainerBuilder c = new ContainerBuilder(driver);
    String policy = conf.get(PULL_POLICY);
    if (policy != null && PULL_POLICIES.contains(policy)) {
      c.withImagePullPolicy(policy);
    }
    conf.forEach(
        (k, v) -> {
          if (k.startsWith(DRIVER_ENV_PREFIX) && k.length() > DRIVER_ENV_PREFIX.length()) {
            c.addToEnv(
                new EnvVarBuilder()
                    .withName(k.substring(DRIVER_ENV_PREFIX.length()))
                    .withValue(v)
                    .build());
          }
        });
    int ui = uiPort(conf);
    if (driver.getPorts() != null) {
      List<ContainerPort> ports = new ArrayList<>();
      for (ContainerPort p : driver.getPorts()) {
        ports.add(
            "spark-ui".equals(p.getName())
                ? new io.fabric8.kubernetes.api.model.ContainerPortBuilder(p)
                    .withContainerPort(ui)
                    .build()
                : p);
      }
      c.withPorts(ports);
    }
    List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
    containers.set(0, c.build());
    return out.editSpec().withContainers(containers).endSpec().build();
  }
}
