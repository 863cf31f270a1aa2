package dev.spate.sandbox.demo;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.kubelet.PodRuntime;
import dev.spate.sandbox.objectstore.S3Checkpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * {@code sandbox/demo}: starts the {@link Sandbox}, runs the {@link DemoScenario} and ends with one
 * line, {@code DEMO OK records=… keys=… lag=… elapsed=…s} (exit 0) or {@code DEMO FAILED <reason>}
 * (exit 1). Ctrl-C stops everything.
 *
 * <p>Arguments: {@code [--data <flights.json>] [--timeout <seconds>] [--runtime jvm|podman]
 * [--checkpoint volume|s3a] [--keep]}; defaults {@code sandbox/data/flights-20k.json}, 300 s,
 * {@code jvm} and {@code volume} ({@code podman}: every pod runs as a container of its image, see
 * {@link PodRuntime}; {@code sandbox/demo} builds the images first; {@code s3a}: the checkpoint on
 * s3mock, see {@link S3Checkpoints}). {@code --keep} leaves the sandbox running after the verdict,
 * with the job still there, for kubectl ({@code .sandbox/kubeconfig}) until Ctrl-C.
 */
public final class Demo {

  private Demo() {}

  /**
   * @param args see the class comment
   */
  public static void main(String[] args) {
    Instant start = Instant.now();
    Path dataFile = Path.of("sandbox/data/flights-20k.json");
    Duration timeout = Duration.ofSeconds(300);
    PodRuntime runtime = PodRuntime.JVM;
    String checkpoint = "volume";
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> dataFile = Path.of(value(args, ++i));
        case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
        case "--keep" -> keep = true;
        case "--runtime" -> {
          try {
            runtime = PodRuntime.parse(value(args, ++i));
          } catch (IllegalArgumentException e) {
            System.out.println("DEMO FAILED " + e.getMessage());
            System.exit(1);
          }
        }
        case "--checkpoint" -> checkpoint = value(args, ++i);
        default -> {
          System.out.println("DEMO FAILED unknown argument " + args[i]);
          System.exit(1);
        }
      }
    }
    if (!checkpoint.equals("volume") && !checkpoint.equals("s3a")) {
      System.out.println("DEMO FAILED --checkpoint must be volume or s3a, not " + checkpoint);
      System.exit(1);
    }
    AtomicBoolean finished = new AtomicBoolean();
    Sandbox[] sandbox = new Sandbox[1];
    S3Checkpoints[] s3 = new S3Checkpoints[1];
    Thread onCtrlC =
        new Thread(
            () -> {
              if (!finished.get()) {
                System.out.println("stopping the sandbox (interrupted)");
                if (s3[0] != null) {
                  s3[0].close();
                }
                if (sandbox[0] != null) {
                  sandbox[0].close();
                }
                System.out.println("DEMO FAILED interrupted");
              }
            },
            "demo-interrupt");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    int exit;
    String verdict;
    try {
      FlightTotals data = DemoScenario.load(dataFile);
      System.out.printf(
          "data: %s — %d flights, %d origin airports%n",
          dataFile, data.records().size(), data.totals().size());
      sandbox[0] = Sandbox.start(Sandbox.Options.defaults().withRuntime(runtime));
      Duration startup = Duration.between(start, Instant.now());
      System.out.printf(
          "sandbox up in %.1f s: API %s, Kafka %s, files in %s%n",
          startup.toMillis() / 1000.0,
          sandbox[0].api().url(),
          sandbox[0].kafka().bootstrapServers(),
          sandbox[0].runDir());
      UnaryOperator<StreamingJob> adapter = UnaryOperator.identity();
      if (checkpoint.equals("s3a")) {
        s3[0] =
            S3Checkpoints.start(
                Path.of(System.getProperty("s3mock.jar", S3Checkpoints.DEFAULT_JAR)),
                sandbox[0].runDir());
        adapter = s3[0].adapter(sandbox[0].client());
        System.out.printf(
            "s3a checkpoints: s3mock at %s, bucket %s, objects in %s%n",
            s3[0].endpoint(), S3Checkpoints.BUCKET, s3[0].objects());
      }
      DemoScenario.Result r =
          new DemoScenario(sandbox[0], data, System.out, timeout, adapter).run();
      double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
      System.out.printf(
          Locale.ROOT,
          "figures: apply→first output %s, peak RSS %d MiB over %d JVMs%n",
          r.applyToFirstOutput() == null
              ? "none"
              : String.format(Locale.ROOT, "%.1f s", r.applyToFirstOutput().toMillis() / 1000.0),
          r.peakRssBytes() / (1024 * 1024),
          r.peakJvms());
      if (r.ok()) {
        verdict =
            String.format(
                Locale.ROOT,
                "DEMO OK records=%d keys=%d lag=%d elapsed=%.1fs",
                r.recordsIn(),
                r.keysOut(),
                r.operatorLag(),
                elapsed);
        exit = 0;
      } else {
        verdict =
            "DEMO FAILED " + r.reason() + " (pod logs under " + sandbox[0].runDir() + "/pods)";
        exit = 1;
      }
    } catch (Exception | Error e) {
      verdict = "DEMO FAILED " + e;
      exit = 1;
    }
    if (keep && sandbox[0] != null) {
      keepRunning(sandbox[0], verdict, finished);
    }
    System.out.println("stopping the sandbox");
    if (s3[0] != null) {
      s3[0].close();
    }
    if (sandbox[0] != null) {
      sandbox[0].close();
    }
    finished.set(true);
    System.out.println(verdict);
    System.exit(exit);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.out.println("DEMO FAILED " + args[i - 1] + " needs a value");
      System.exit(1);
    }
    return args[i];
  }

  /** Prints the verdict and the kubectl set-up, then keeps the sandbox until Ctrl-C. */
  private static void keepRunning(Sandbox sandbox, String verdict, AtomicBoolean finished) {
    Path kubeconfig =
        sandbox.api().writeKubeconfig(Path.of(".sandbox", "kubeconfig").toAbsolutePath());
    System.out.println(verdict);
    System.out.println("sandbox kept running (--keep); Ctrl-C stops it");
    System.out.println("  export KUBECONFIG=" + kubeconfig);
    System.out.println("  kubectl get sj -n airline -w");
    System.out.println("  Kafka bootstrap servers: " + sandbox.kafka().bootstrapServers());
    finished.set(true);
    Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "demo-keep-stop"));
    try {
      new java.util.concurrent.CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
