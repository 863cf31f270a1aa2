package dev.spate.sandbox.demo;

import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.kubelet.PodRuntime;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sandbox/bench-first-output}: where the time from {@code kubectl apply} to the first output
 * record goes. Runs the {@link DemoScenario} (the repository's flights example, the data streamed
 * at about 4,000 records/s) in a fresh {@link Sandbox} per run, with a {@link FirstOutputTimeline},
 * and prints each run's {@link FirstOutputBreakdown}, then the medians, and ends with {@code FIRST
 * OUTPUT median <s> s over <n> runs (…)} (exit 0) or {@code FIRST OUTPUT FAILED <reason>} (exit 1).
 * Benchmark figures, not a test: they depend on the machine and its load.
 *
 * <p>Arguments: {@code [--runs <n>] [--data <flights.json>] [--timeout <seconds>] [--runtime
 * jvm|podman] [--vs <key>=<value>]...}; defaults 3, {@code sandbox/data/flights-20k.json}, 300 s,
 * {@code jvm}. With {@code --vs} (repeatable) each run is made twice, alternating: the example as
 * is, then with these {@code spec.sparkConf} entries added (e.g. a Spark default of the job set
 * back), so that both see the same machine load; medians are printed for each.
 */
public final class FirstOutputBench {

  private FirstOutputBench() {}

  /**
   * @param args see the class comment
   * @throws Exception when the data cannot be read
   */
  public static void main(String[] args) throws Exception {
    int runs = 3;
    Path dataFile = Path.of("sandbox/data/flights-20k.json");
    Duration timeout = Duration.ofSeconds(300);
    PodRuntime runtime = PodRuntime.JVM;
    Map<String, String> vs = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(value(args, ++i));
        case "--data" -> dataFile = Path.of(value(args, ++i));
        case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
        case "--runtime" -> runtime = PodRuntime.parse(value(args, ++i));
        case "--vs" -> {
          String kv = value(args, ++i);
          int eq = kv.indexOf('=');
          if (eq < 1) {
            fail("--vs needs key=value, not " + kv);
          }
          vs.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        default -> fail("unknown argument " + args[i]);
      }
    }
    FlightTotals data = DemoScenario.load(dataFile);
    System.out.printf(
        "first output: %d runs of the flights example%s, %d records streamed from %s, runtime %s%n",
        runs,
        vs.isEmpty() ? "" : " as is and with sparkConf " + vs + ", alternating",
        data.records().size(),
        dataFile,
        runtime.name().toLowerCase(Locale.ROOT));
    List<Map<String, String>> variants = vs.isEmpty() ? List.of(Map.of()) : List.of(Map.of(), vs);
    List<List<FirstOutputBreakdown>> breakdowns = new ArrayList<>();
    List<List<Duration>> firsts = new ArrayList<>();
    for (int v = 0; v < variants.size(); v++) {
      breakdowns.add(new ArrayList<>());
      firsts.add(new ArrayList<>());
    }
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    String failure = null;
    for (int run = 1; run <= runs && failure == null; run++) {
      for (int v = 0; v < variants.size() && failure == null; v++) {
        Map<String, String> extra = variants.get(v);
        try (Sandbox sandbox = Sandbox.start(Sandbox.Options.defaults().withRuntime(runtime))) {
          DemoScenario scenario =
              new DemoScenario(sandbox, data, quiet, timeout, job -> withSparkConf(job, extra));
          String ns = scenario.manifest().getMetadata().getNamespace();
          DemoScenario.Result r;
          FirstOutputBreakdown b;
          try (FirstOutputTimeline timeline =
              FirstOutputTimeline.start(sandbox.client(), sandbox.runDir(), ns)) {
            r = scenario.run();
            timeline.mark(FirstOutputMilestone.APPLIED, r.applied());
            if (r.applyToFirstOutput() != null) {
              timeline.mark(
                  FirstOutputMilestone.FIRST_OUTPUT, r.applied().plus(r.applyToFirstOutput()));
            }
            b = timeline.breakdown();
          }
          if (!r.ok() || r.applyToFirstOutput() == null) {
            failure =
                "run " + run + ": " + r.reason() + " (pod logs under " + sandbox.runDir() + ")";
            continue; // the sandbox closes first
          }
          breakdowns.get(v).add(b);
          firsts.get(v).add(r.applyToFirstOutput());
          System.out.printf(
              Locale.ROOT,
              "run %d%s: apply → first output %.2f s (output checked: %d keys, lag %d; files in"
                  + " %s)%n%s",
              run,
              label(extra),
              r.applyToFirstOutput().toMillis() / 1000.0,
              r.keysMatching(),
              r.operatorLag(),
              sandbox.runDir(),
              b.table());
        }
      }
    }
    if (failure != null) {
      fail(failure);
    }
    for (int v = 0; v < variants.size(); v++) {
      System.out.println("medians" + label(variants.get(v)) + ":");
      System.out.print(FirstOutputBreakdown.summary(breakdowns.get(v)));
    }
    for (int v = 0; v < variants.size(); v++) {
      System.out.printf(
          Locale.ROOT,
          "FIRST OUTPUT%s median %.2f s over %d runs (%s)%n",
          label(variants.get(v)),
          FirstOutputBreakdown.median(firsts.get(v)).toMillis() / 1000.0,
          runs,
          String.join(
              ", ",
              firsts.get(v).stream()
                  .map(d -> String.format(Locale.ROOT, "%.2f s", d.toMillis() / 1000.0))
                  .toList()));
    }
    System.exit(0);
  }

  private static String label(Map<String, String> extra) {
    return extra.isEmpty() ? "" : " with " + extra;
  }

  /** The job with {@code extra} added to (over) its {@code spec.sparkConf}. */
  private static StreamingJob withSparkConf(StreamingJob job, Map<String, String> extra) {
    if (extra.isEmpty()) {
      return job;
    }
    Map<String, String> conf =
        new LinkedHashMap<>(
            job.getSpec().getSparkConf() == null ? Map.of() : job.getSpec().getSparkConf());
    conf.putAll(extra);
    job.getSpec().setSparkConf(conf);
    return job;
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      fail(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void fail(String reason) {
    System.out.println("FIRST OUTPUT FAILED " + reason);
    System.exit(1);
  }
}
