package dev.spate.sparkdist;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The smoke-test application of Spate's local sandbox, the role {@code SparkPi} plays in Spark's
 * distribution (whose examples jar is not published to Maven Central): estimates π by Monte Carlo
 * sampling in {@code slices} tasks and reports which executors ran them.
 *
 * <p>Arguments: {@code [slices] [resultFile]} — number of tasks (default 4) and an optional file
 * that receives one line {@code pi=<estimate> tasks=<n> executors=<id,id,…>} (the executor ids that
 * ran at least one task, sorted). The same line is printed to stdout. Exits non-zero (through the
 * exception) when a task fails.
 */
public final class SandboxPi {

  private static final int SAMPLES_PER_SLICE = 100_000;

  private SandboxPi() {}

  /**
   * Runs the estimation.
   *
   * @param args {@code [slices] [resultFile]}
   * @throws Exception when Spark fails or the result file cannot be written
   */
  public static void main(String[] args) throws Exception {
    int slices = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    SparkSession spark = SparkSession.builder().appName("spate-sandbox-pi").getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<Integer> seeds = IntStream.range(0, slices).boxed().collect(Collectors.toList());
      List<long[]> perTask =
          sc.parallelize(seeds, slices)
              .map(
                  seed -> {
                    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                    long inside = 0;
                    for (int i = 0; i < SAMPLES_PER_SLICE; i++) {
                      double x = random.nextDouble() * 2 - 1;
                      double y = random.nextDouble() * 2 - 1;
                      if (x * x + y * y <= 1) {
                        inside++;
                      }
                    }
                    return new long[] {inside, Long.parseLong(executorIdOrMinusOne())};
                  })
              .collect();
      long inside = perTask.stream().mapToLong(r -> r[0]).sum();
      double pi = 4.0 * inside / ((long) slices * SAMPLES_PER_SLICE);
      TreeSet<Long> executors =
          perTask.stream().map(r -> r[1]).collect(Collectors.toCollection(TreeSet::new));
      String line =
          String.format(
              java.util.Locale.ROOT,
              "pi=%.4f tasks=%d executors=%s",
              pi,
              perTask.size(),
              executors.stream().map(String::valueOf).collect(Collectors.joining(",")));
      System.out.println(line);
      if (args.length > 1) {
        Files.writeString(Path.of(args[1]), line + "\n", StandardCharsets.UTF_8);
      }
    } finally {
      spark.stop();
    }
  }

  private static String executorIdOrMinusOne() {
    String id = SparkEnv.get().executorId();
    return id.chars().allMatch(Character::isDigit) ? id : "-1";
  }
}
