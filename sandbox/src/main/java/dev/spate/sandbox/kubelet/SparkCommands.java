package dev.spate.sandbox.kubelet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the command lines of Spark's containers the way the official image's {@code entrypoint.sh}
 * (apache/spark {@code
 * resource-managers/kubernetes/docker/src/main/dockerfiles/spark/entrypoint.sh}) does, with the
 * sandbox's deviations: no cluster DNS and one shared loopback address, so the driver is told
 * {@code spark.driver.host=127.0.0.1}, free ports for {@code spark.driver.port} and {@code
 * spark.driver.blockManager.port} (several drivers share the host), executors bind {@code
 * spark.blockManager.port=0}, and the master is the sandbox API server. Pure functions.
 */
public final class SparkCommands {

  /** Driver main class (entrypoint.sh: {@code spark-submit --deploy-mode client}). */
  public static final String SPARK_SUBMIT = "org.apache.spark.deploy.SparkSubmit";

  /** Launcher main class that {@code bin/spark-class} runs to build the driver's java command. */
  public static final String LAUNCHER_MAIN = "org.apache.spark.launcher.Main";

  /** Executor main class (entrypoint.sh {@code executor}). */
  public static final String EXECUTOR_BACKEND =
      "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend";

  /** spark-submit options that take no value. */
  private static final Set<String> FLAGS =
      Set.of("--verbose", "-v", "--supervise", "--help", "-h", "--version", "--usage-error");

  private SparkCommands() {}

  /**
   * Overrides the sandbox passes to every driver (they win over the properties file and over the
   * pod's own {@code --conf}s).
   *
   * @param apiUrl sandbox API server URL, e.g. {@code http://127.0.0.1:4321}
   * @param https whether the API server uses a self-signed certificate
   * @param driverPort free port for {@code spark.driver.port}
   * @param blockManagerPort free port for {@code spark.driver.blockManager.port}
   * @param localDir host directory for {@code spark.local.dir}, or null to keep the pod's (a
   *     container has its own {@code SPARK_LOCAL_DIRS} volume)
   * @return {@code --master …} and {@code --conf k=v} arguments
   */
  public static List<String> driverOverrides(
      String apiUrl, boolean https, int driverPort, int blockManagerPort, Path localDir) {
    List<String> args = new ArrayList<>(List.of("--master", "k8s://" + apiUrl));
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.driver.host", EnvResolver.POD_IP);
    conf.put("spark.driver.bindAddress", EnvResolver.POD_IP);
    conf.put("spark.driver.port", String.valueOf(driverPort));
    conf.put("spark.driver.blockManager.port", String.valueOf(blockManagerPort));
    conf.put("spark.blockManager.port", "0");
    // client mode against the sandbox API (cluster-mode submission would point the driver at
    // https://kubernetes.default.svc with a service account token)
    conf.put("spark.kubernetes.submitInDriver", "false");
    if (localDir != null) {
      conf.put("spark.local.dir", localDir.toAbsolutePath().toString());
    }
    if (https) {
      conf.put("spark.kubernetes.trust.certificates", "true");
    }
    conf.forEach(
        (k, v) -> {
          args.add("--conf");
          args.add(k + "=" + v);
        });
    return args;
  }

  /**
   * The spark-submit arguments of a driver container: entrypoint.sh's {@code --conf
   * spark.driver.bindAddress=… --deploy-mode client "$@"}, with the sandbox overrides inserted
   * right before the primary resource so that they win over the pod's own options while the
   * application's arguments stay untouched.
   *
   * @param podArgs the container args after {@code driver}
   * @param overrides from {@link #driverOverrides}
   * @return arguments for {@code SparkSubmit}
   * @throws IllegalArgumentException when no primary resource is found
   */
  public static List<String> driverSubmitArgs(List<String> podArgs, List<String> overrides) {
    List<String> out =
        new ArrayList<>(
            List.of(
                "--conf",
                "spark.driver.bindAddress=" + EnvResolver.POD_IP,
                "--deploy-mode",
                "client"));
    out.addAll(withOverrides(podArgs, overrides));
    return out;
  }

  /**
   * The driver container's spark-submit arguments with the sandbox overrides inserted right before
   * the primary resource, so that they win over the pod's own options while the application's
   * arguments stay untouched.
   *
   * @param podArgs the container args after {@code driver}
   * @param overrides from {@link #driverOverrides}
   * @return the arguments
   * @throws IllegalArgumentException when no primary resource is found
   */
  public static List<String> withOverrides(List<String> podArgs, List<String> overrides) {
    int i = 0;
    while (i < podArgs.size()) {
      String a = podArgs.get(i);
      if (!a.startsWith("-")) {
        break;
      }
      i += FLAGS.contains(a) || (a.startsWith("--") && a.contains("=")) ? 1 : 2;
    }
    if (i >= podArgs.size()) {
      throw new IllegalArgumentException(
          "driver args have no primary resource (application jar): " + podArgs);
    }
    List<String> out = new ArrayList<>(podArgs.subList(0, i));
    out.addAll(overrides);
    out.addAll(podArgs.subList(i, podArgs.size()));
    return out;
  }

  /**
   * The index of {@code --properties-file}'s value in spark-submit arguments.
   *
   * @param args spark-submit arguments
   * @return the index, or -1
   */
  public static int propertiesFileIndex(List<String> args) {
    for (int i = 0; i < args.size() - 1; i++) {
      if (args.get(i).equals("--properties-file")) {
        return i + 1;
      }
    }
    return -1;
  }

  /**
   * The command {@code bin/spark-class} runs to have Spark's launcher build the driver's java
   * command (memory from {@code spark.driver.memory}, {@code spark.driver.extraJavaOptions}, the
   * JDK 17 module options, {@code SPARK_SUBMIT_OPTS}).
   *
   * @param java the java executable
   * @param sparkHome SPARK_HOME
   * @param submitArgs from {@link #driverSubmitArgs}
   * @return the launcher command
   */
  public static List<String> launcherCommand(Path java, Path sparkHome, List<String> submitArgs) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                sparkHome.resolve("jars") + "/*",
                LAUNCHER_MAIN,
                SPARK_SUBMIT));
    cmd.addAll(submitArgs);
    return cmd;
  }

  /**
   * Parses the launcher's output: NUL-separated tokens, optionally {@code env K=V …} before the
   * java executable.
   *
   * @param output the launcher's stdout
   * @return the command (from the java executable on) and the extra environment
   * @throws IllegalArgumentException when no java command is found
   */
  public static LauncherOutput parseLauncherOutput(byte[] output) {
    String[] tokens = new String(output, StandardCharsets.UTF_8).split("\0", -1);
    int start = -1;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].strip().endsWith("/bin/java") || tokens[i].strip().equals("java")) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      throw new IllegalArgumentException(
          "Spark launcher printed no java command: "
              + new String(output, StandardCharsets.UTF_8).replace('\0', ' '));
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < start; i++) {
      String t = tokens[i].strip();
      int eq = t.indexOf('=');
      if (eq > 0) {
        env.put(t.substring(0, eq), t.substring(eq + 1));
      }
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(tokens[start].strip());
    // the last token is empty (trailing NUL)
    int end = tokens.length;
    while (end > start + 1 && tokens[end - 1].isEmpty()) {
      end--;
    }
    for (int i = start + 1; i < end; i++) {
      cmd.add(tokens[i]);
    }
    return new LauncherOutput(cmd, env);
  }

  /**
   * The launcher's result.
   *
   * @param command java command
   * @param env extra environment for it
   */
  public record LauncherOutput(List<String> command, Map<String, String> env) {}

  /**
   * Puts {@link ParentWatch} in front of a java command's main class and its directory on the class
   * path.
   *
   * @param javaCommand java command with {@code -cp <path>} and the main class
   * @param mainClass the main class to find
   * @param watchDir directory holding {@code dev/spate/sandbox/kubelet/ParentWatch.class}
   * @return the new command
   * @throws IllegalArgumentException when the main class or the class path is missing
   */
  public static List<String> withParentWatch(
      List<String> javaCommand, String mainClass, Path watchDir) {
    List<String> cmd = new ArrayList<>(javaCommand);
    int main = cmd.indexOf(mainClass);
    int cp = Math.max(cmd.indexOf("-cp"), cmd.indexOf("-classpath"));
    if (main < 0 || cp < 0 || cp > main) {
      throw new IllegalArgumentException("no -cp and " + mainClass + " in " + javaCommand);
    }
    cmd.set(cp + 1, cmd.get(cp + 1) + ":" + watchDir.toAbsolutePath());
    cmd.add(main, ParentWatch.class.getName());
    return cmd;
  }

  /**
   * The executor's java command, as entrypoint.sh builds it: {@code SPARK_JAVA_OPT_*} in numeric
   * order, {@code -Xmx$SPARK_EXECUTOR_MEMORY}, class path {@code SPARK_CONF_DIR} (or {@code
   * $SPARK_HOME/conf}), {@code SPARK_CLASSPATH} ({@code spark.executor.extraClassPath}), {@code
   * $SPARK_HOME/jars/*}, {@code SPARK_EXTRA_CLASSPATH}, then {@code KubernetesExecutorBackend
   * --driver-url $SPARK_DRIVER_URL --executor-id … --cores … --app-id … --hostname
   * $SPARK_EXECUTOR_POD_IP --resourceProfileId … --podName …}. Deviation: no {@code -Xms} (heap
   * grows on demand; the sandbox packs many JVMs on one host).
   *
   * @param java java executable
   * @param env the container's resolved environment
   * @param sparkHome SPARK_HOME
   * @param jvmFlags sandbox JVM flags (JDK 17 module options, JIT/GC, tmpdir), before the pod's
   * @param watchDir directory of {@link ParentWatch}
   * @return the command
   * @throws IllegalArgumentException when a variable Spark always sets is missing
   */
  public static List<String> executorCommand(
      Path java, Map<String, String> env, Path sparkHome, List<String> jvmFlags, Path watchDir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmFlags);
    env.entrySet().stream()
        .filter(e -> e.getKey().startsWith("SPARK_JAVA_OPT_"))
        .sorted(Comparator.comparingLong(e -> javaOptIndex(e.getKey())))
        .forEach(e -> cmd.add(e.getValue()));
    cmd.add("-Xmx" + require(env, "SPARK_EXECUTOR_MEMORY"));
    String confDir = env.getOrDefault("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
    StringBuilder cp = new StringBuilder(confDir).append(':');
    // spark.executor.extraClassPath reaches the executor pod as SPARK_CLASSPATH (Spark's
    // Constants.ENV_CLASSPATH), which entrypoint.sh puts before the image's jars
    if (env.get("SPARK_CLASSPATH") != null && !env.get("SPARK_CLASSPATH").isEmpty()) {
      cp.append(env.get("SPARK_CLASSPATH")).append(':');
    }
    cp.append(sparkHome.resolve("jars")).append("/*");
    if (env.get("SPARK_EXTRA_CLASSPATH") != null && !env.get("SPARK_EXTRA_CLASSPATH").isEmpty()) {
      cp.append(':').append(env.get("SPARK_EXTRA_CLASSPATH"));
    }
    cp.append(':').append(watchDir.toAbsolutePath());
    cmd.add("-cp");
    cmd.add(cp.toString());
    cmd.add(ParentWatch.class.getName());
    cmd.add(EXECUTOR_BACKEND);
    cmd.addAll(
        List.of(
            "--driver-url",
            require(env, "SPARK_DRIVER_URL"),
            "--executor-id",
            require(env, "SPARK_EXECUTOR_ID"),
            "--cores",
            require(env, "SPARK_EXECUTOR_CORES"),
            "--app-id",
            require(env, "SPARK_APPLICATION_ID"),
            "--hostname",
            env.getOrDefault("SPARK_EXECUTOR_POD_IP", EnvResolver.POD_IP),
            "--resourceProfileId",
            env.getOrDefault("SPARK_RESOURCE_PROFILE_ID", "0"),
            "--podName",
            require(env, "SPARK_EXECUTOR_POD_NAME")));
    return cmd;
  }

  private static long javaOptIndex(String key) {
    try {
      return Long.parseLong(key.substring("SPARK_JAVA_OPT_".length()));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private static String require(Map<String, String> env, String key) {
    String v = env.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(
          "executor container has no " + key + " in its environment");
    }
    return v;
  }
}
