package dev.spate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl binary (from {@code PATH}, or {@code SPATE_KUBECTL}) against a kubeconfig, with
 * its own discovery cache directory. {@link #require()} fails the calling test when kubectl is
 * missing: these tests prove the sandbox against kubectl itself, so they must not skip.
 */
public final class Kubectl implements AutoCloseable {

  /**
   * One finished kubectl run.
   *
   * @param exitCode the exit code
   * @param stdout standard output
   * @param stderr standard error
   */
  public record Result(int exitCode, String stdout, String stderr) {
    /**
     * @return this result, after asserting exit code 0 (the message shows stderr)
     */
    public Result ok() {
      assertThat(exitCode).as("kubectl failed: %s%s", stderr, stdout).isZero();
      return this;
    }
  }

  /**
   * Reads kubectl's table output ({@code get} without {@code -w}) by its header: every column
   * starts where its header does, so empty cells stay empty.
   *
   * @param output the printed table
   * @return one map per row, header name → cell (trimmed)
   */
  public static List<java.util.Map<String, String>> table(String output) {
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return List.of();
    }
    String header = lines.get(0);
    List<Integer> starts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\S+").matcher(header);
    while (m.find()) {
      starts.add(m.start());
      names.add(m.group());
    }
    List<java.util.Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      java.util.Map<String, String> row = new java.util.LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        int from = Math.min(starts.get(i), line.length());
        int to = i + 1 < starts.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
        row.put(names.get(i), line.substring(from, to).trim());
      }
      rows.add(row);
    }
    return rows;
  }

  /** A kubectl that keeps running (e.g. {@code get -w}); its output lines are collected. */
  public static final class Running implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    Running(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // process ended
                }
              },
              "kubectl-output");
      reader.setDaemon(true);
      reader.start();
    }

    /**
     * @return the lines printed so far
     */
    public List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  private final String binary;
  private final Path kubeconfig;
  private final Path cacheDir;
  private final List<Running> running = new CopyOnWriteArrayList<>();

  private Kubectl(String binary, Path kubeconfig, Path cacheDir) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.cacheDir = cacheDir;
  }

  /**
   * Finds kubectl and checks that it runs; fails (assertion error) when it does not.
   *
   * @param kubeconfig the kubeconfig to use
   * @return the kubectl
   */
  public static Kubectl require(Path kubeconfig) {
    String binary = System.getenv().getOrDefault("SPATE_KUBECTL", "kubectl");
    Kubectl k;
    try {
      k = new Kubectl(binary, kubeconfig, Files.createTempDirectory("kubectl-cache"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Result version;
    try {
      version = k.run("version", "--client");
    } catch (UncheckedIOException e) {
      throw new AssertionError(
          "kubectl is required for this test and was not found on PATH ("
              + binary
              + "): "
              + e.getCause().getMessage(),
          e);
    }
    assertThat(version.exitCode()).as("kubectl version --client: %s", version.stderr()).isZero();
    return k;
  }

  /**
   * Runs kubectl to its end (at most 3 minutes).
   *
   * @param args arguments
   * @return the result
   */
  public Result run(String... args) {
    Path outFile;
    Path errFile;
    try {
      outFile = Files.createTempFile(cacheDir, "stdout", ".txt");
      errFile = Files.createTempFile(cacheDir, "stderr", ".txt");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process p = start(outFile, errFile, args);
    try {
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "kubectl "
                + String.join(" ", args)
                + " did not end within 3 minutes; output: "
                + Files.readString(outFile)
                + Files.readString(errFile));
      }
      return new Result(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Starts kubectl in the background (stopped by {@link Running#close()} or {@link #close()}).
   *
   * @param args arguments
   * @return the running process
   */
  public Running background(String... args) {
    Running r = new Running(start(null, null, args));
    running.add(r);
    return r;
  }

  private Process start(Path outFile, Path errFile, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("KUBECACHEDIR", cacheDir.toString());
    if (args.length > 0 && args[0].equals("version")) {
      pb.environment().remove("KUBECONFIG");
    }
    if (outFile != null) {
      pb.redirectOutput(outFile.toFile());
    }
    if (errFile != null) {
      pb.redirectError(errFile.toFile());
    } else {
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every background kubectl. */
  @Override
  public void close() {
    running.forEach(Running::close);
  }
}
