package dev.spate.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./sandbox/up}: starts a {@link Sandbox} and keeps it until Ctrl-C, for kubectl. Writes the
 * kubeconfig to {@code .sandbox/kubeconfig} (and the run directory), prints the {@code export
 * KUBECONFIG=...} line, the Kafka bootstrap servers and, with {@code --prepare}, what it created
 * for each manifest ({@link ManifestPreparation}).
 *
 * <p>Arguments: {@code [--prepare <manifest.yaml>]... [--partitions <n>] [--monitoring]} (input
 * topic partitions for {@code --prepare}, default 4; {@code --monitoring}: the operator's {@code
 * /metrics} on a free port and prepared jobs keep their Spark UI, see {@link Sandbox.Options}).
 */
public final class SandboxUp {

  private SandboxUp() {}

  /**
   * @param args see the class comment
   * @throws Exception when the sandbox cannot start or a manifest cannot be prepared
   */
  public static void main(String[] args) throws Exception {
    Instant start = Instant.now();
    List<Path> manifests = new ArrayList<>();
    int partitions = 4;
    boolean monitoring = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--prepare" -> manifests.add(Path.of(value(args, ++i, "--prepare")));
        case "--partitions" -> partitions = Integer.parseInt(value(args, ++i, "--partitions"));
        case "--monitoring" -> monitoring = true;
        default -> {
          System.err.println(
              "unknown argument "
                  + args[i]
                  + "; use [--prepare <manifest.yaml>]... [--partitions <n>] [--monitoring]");
          System.exit(2);
        }
      }
    }
    for (Path m : manifests) {
      if (!Files.isRegularFile(m)) {
        System.err.println("no such manifest: " + m);
        System.exit(2);
      }
    }
    Sandbox.Options defaults = Sandbox.Options.defaults();
    Sandbox sandbox =
        Sandbox.start(
            monitoring
                ? new Sandbox.Options(
                    defaults.sparkHome(),
                    defaults.runDir(),
                    defaults.https(),
                    defaults.kafkaPollInterval(),
                    java.util.Map.of(dev.spate.operator.config.MonitoringConfig.PORT.key(), "0"))
                : defaults);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("stopping the sandbox");
                  sandbox.close();
                  stopped.countDown();
                },
                "sandbox-stop"));
    Path stable = Path.of(".sandbox", "kubeconfig").toAbsolutePath();
    sandbox.api().writeKubeconfig(stable);
    for (Path m : manifests) {
      System.out.println(
          ManifestPreparation.describe(
              ManifestPreparation.prepare(sandbox, m, partitions, Path.of(".sandbox"))));
    }
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    System.out.printf(Locale.ROOT, "sandbox ready in %.1f s (Ctrl-C stops it)%n", seconds);
    System.out.println("  export KUBECONFIG=" + stable);
    System.out.println("  Kafka bootstrap servers: " + sandbox.kafka().bootstrapServers());
    System.out.println("  pod logs and volumes:    " + sandbox.runDir());
    if (sandbox.monitoring()) {
      System.out.println("  operator metrics:        " + sandbox.operatorMetrics());
      System.out.println(
          "  driver metrics:          http://127.0.0.1:<port>/metrics/prometheus/, the port in the"
              + " driver log's line \"Successfully started service 'SparkUI' on port <port>\"");
    }
    System.out.flush();
    stopped.await();
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      System.err.println(flag + " needs a value");
      System.exit(2);
    }
    return args[i];
  }
}
