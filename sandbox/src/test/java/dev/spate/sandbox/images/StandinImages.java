package dev.spate.sandbox.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Builds the images once per test JVM with {@code deploy/images/build --standin --without-s3a} (the
 * Debian base only when absent; the Spark stand-in and both Spate images from the current jars,
 * cached by podman when unchanged) and prints their sizes. Fails, never skips, when podman is
 * missing: CI installs it with {@code .ci/podman-setup}.
 */
public final class StandinImages {

  /** The operator image built from deploy/operator.Dockerfile. */
  public static final String OPERATOR = "localhost/spate/spate-operator:standin";

  /** The Spark image built from deploy/spark.Dockerfile. */
  public static final String SPARK = "localhost/spate/spate-spark:standin";

  private static volatile boolean built;

  private StandinImages() {}

  /**
   * @return the repository root (the sandbox module's parent)
   */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("deploy/images/build"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("deploy/images/build not found above the working directory");
    }
    return dir;
  }

  /**
   * Builds the images unless this JVM did already.
   *
   * @throws IllegalStateException when the build fails (its output in the message)
   */
  public static synchronized void ensureBuilt() throws IOException, InterruptedException {
    if (built) {
      return;
    }
    Path root = repositoryRoot();
    Path log = Files.createTempFile("spate-images", ".log");
    long start = System.nanoTime();
    Process p =
        new ProcessBuilder(List.of("bash", "deploy/images/build", "--standin", "--without-s3a"))
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("image build timed out; log " + log);
    }
    String output = Files.readString(log);
    System.out.print(output);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "deploy/images/build --standin failed (exit " + p.exitValue() + "):\n" + output);
    }
    System.out.printf("IMAGES built in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, sizes());
    built = true;
  }

  /**
   * @return image → size in MB, as podman reports it
   */
  public static Map<String, Long> sizes() throws IOException, InterruptedException {
    Map<String, Long> out = new TreeMap<>();
    for (String image : List.of(OPERATOR, SPARK)) {
      out.put(
          image,
          Long.parseLong(podman("image", "inspect", "--format", "{{.Size}}", image)) / 1_000_000);
    }
    return out;
  }

  /**
   * Runs podman and returns its trimmed output.
   *
   * @param args podman arguments
   * @return stdout and stderr
   * @throws IllegalStateException when podman exits non-zero
   */
  public static String podman(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("podman"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out);
    }
    return out;
  }
}
