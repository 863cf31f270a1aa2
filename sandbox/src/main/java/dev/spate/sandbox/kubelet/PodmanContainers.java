package dev.spate.sandbox.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The podman calls of the {@link PodRuntime#PODMAN} runtime besides {@code podman run}: checking
 * that podman works, stopping containers, reading an image's user, removing containers left by a
 * sandbox JVM that died (label {@value PodmanCommands#LABEL_SANDBOX_PID}).
 */
final class PodmanContainers {

  /** Exit status of {@code podman run} when podman itself failed and no container ran. */
  static final int PODMAN_FAILED = 125;

  private static final Logger LOG = LoggerFactory.getLogger(PodmanContainers.class);

  private PodmanContainers() {}

  /**
   * @param podman executable
   * @throws IllegalStateException when {@code podman version} does not run
   */
  static void requireUsable(String podman) {
    Result r = exec(List.of(podman, "version", "--format", "{{.Client.Version}}"), 30);
    if (r.status != 0) {
      throw new IllegalStateException(
          "the podman runtime needs podman (on CI: .ci/podman-setup): "
              + (r.output.isBlank() ? "podman version exited with " + r.status : r.output.strip()));
    }
  }

  /**
   * Removes containers whose sandbox JVM is gone (e.g. after {@code kill -9} of a sandbox).
   *
   * @param podman executable
   */
  static void removeOrphans(String podman) {
    Result r =
        exec(
            List.of(
                podman,
                "ps",
                "-a",
                "--filter",
                "label=" + PodmanCommands.LABEL_SANDBOX_PID,
                "--format",
                "{{.Names}} {{index .Labels \"" + PodmanCommands.LABEL_SANDBOX_PID + "\"}}"),
            30);
    List<String> orphans = new ArrayList<>();
    for (String line : r.output.split("\n")) {
      String[] parts = line.strip().split(" ");
      if (parts.length == 2 && parts[1].chars().allMatch(Character::isDigit)) {
        boolean alive =
            ProcessHandle.of(Long.parseLong(parts[1])).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
          orphans.add(parts[0]);
        }
      }
    }
    if (!orphans.isEmpty()) {
      LOG.info("removing containers of sandboxes that are gone: {}", orphans);
      List<String> cmd = new ArrayList<>(List.of(podman, "rm", "-f", "--ignore"));
      cmd.addAll(orphans);
      exec(cmd, 60);
    }
  }

  /**
   * {@code podman stop}: SIGTERM (the image's stop signal), SIGKILL after the grace period.
   *
   * @param podman executable
   * @param names container names
   * @param grace grace period (whole seconds)
   */
  static void stop(String podman, List<String> names, Duration grace) {
    List<String> cmd =
        new ArrayList<>(
            List.of(podman, "stop", "--ignore", "--time", String.valueOf(grace.toSeconds())));
    cmd.addAll(names);
    Result r = exec(cmd, grace.toSeconds() + 30);
    if (r.status != 0) {
      LOG.warn("podman stop {} exited with {}: {}", names, r.status, r.output.strip());
    }
  }

  /**
   * @param podman executable
   * @param image image reference
   * @return the image's configured user ({@code Config.User}, may be empty = root), or null when
   *     the image is not there
   */
  static String imageUser(String podman, String image) {
    Result r = exec(List.of(podman, "image", "inspect", "--format", "{{.Config.User}}", image), 30);
    return r.status == 0 ? r.output.strip() : null;
  }

  /**
   * Makes a volume directory (or file) writable by every uid, as Kubernetes creates an {@code
   * emptyDir} (mode 0777) and as {@code fsGroup} makes a claim writable for the pod's user.
   *
   * @param path a directory or file on this machine
   */
  static void openToAll(Path path) {
    try {
      boolean dir = Files.isDirectory(path);
      Files.setPosixFilePermissions(
          path, PosixFilePermissions.fromString(dir ? "rwxrwxrwx" : "rw-rw-rw-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Result(int status, String output) {}

  private static Result exec(List<String> cmd, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", cmd) + " timed out");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
