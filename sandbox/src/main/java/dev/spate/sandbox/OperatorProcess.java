package dev.spate.sandbox;

import dev.spate.sandbox.kubelet.ParentWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One operator replica of the sandbox in its own JVM: {@code dev.spate.operator.Main} (the
 * operator's production entry point) started from this JVM's class path, configured with {@code
 * -Dspate.*} options and connected to the sandbox API server through fabric8's {@code
 * kubernetes.master} system property. Stopping it with {@link #kill()} is {@code kill -9}: the JVM
 * ends at once and releases nothing, its Lease included. Its stdout and stderr go to one log file.
 *
 * <p>The JVM runs behind {@link ParentWatch}, so it ends when the sandbox's JVM goes away (also
 * after {@code kill -9} of the sandbox).
 */
public final class OperatorProcess implements AutoCloseable {

  /** How long {@link #close()} waits for a SIGTERM'ed operator before it kills it, s. */
  private static final long STOP_GRACE_SECONDS = 10;

  private final String instance;
  private final Process process;
  private final Path log;

  private OperatorProcess(String instance, Process process, Path log) {
    this.instance = instance;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts an operator JVM.
   *
   * @param instance its identity ({@code SPATE_INSTANCE}: leader identity, Event source)
   * @param apiUrl the API server's base URL (e.g. {@code http://127.0.0.1:40123}); a {@code https}
   *     URL trusts any certificate (the sandbox's is self-signed)
   * @param settings operator options by key (e.g. {@code spate.leaseDuration=10s}, see {@code
   *     OperatorConfig}); passed as {@code -Dkey=value}
   * @param log file for the JVM's stdout and stderr (parent directories are created)
   * @return the running process
   * @throws UncheckedIOException when the JVM cannot be started
   */
  public static OperatorProcess start(
      String instance, String apiUrl, Map<String, String> settings, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.add("-Dkubernetes.master=" + apiUrl);
    command.add("-Dkubernetes.auth.tryKubeConfig=false");
    command.add("-Dkubernetes.auth.tryServiceAccount=false");
    command.add("-Dkubernetes.namespace=default");
    if (apiUrl.startsWith("https:")) {
      command.add("-Dkubernetes.trust.certificates=true");
    }
    settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ParentWatch.class.getName(),
            "dev.spate.operator.Main"));
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().put("SPATE_INSTANCE", instance);
      builder.environment().remove("KUBECONFIG");
      // stdin stays a pipe this JVM holds: ParentWatch ends the operator when it closes
      return new OperatorProcess(instance, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start operator " + instance, e);
    }
  }

  /**
   * @return the identity the operator runs as
   */
  public String instance() {
    return instance;
  }

  /**
   * @return the JVM's process id
   */
  public long pid() {
    return process.pid();
  }

  /**
   * @return whether the JVM runs
   */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * @return the file of its stdout and stderr
   */
  public Path log() {
    return log;
  }

  /**
   * {@code kill -9}: the JVM ends without running shutdown hooks, so in-flight reconciles stop
   * mid-way and the Lease stays held until it expires. Waits until the process is gone.
   *
   * @throws InterruptedException when interrupted while waiting
   */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * How a SIGTERM'ed operator ended.
   *
   * @param exitCode the process's exit status (143 = ended by SIGTERM after its shutdown hooks; 137
   *     = SIGKILL'ed after the grace period)
   * @param took from SIGTERM to the end of the process
   * @param killed whether it had to be SIGKILL'ed after {@value #STOP_GRACE_SECONDS} s
   */
  public record Stopped(int exitCode, java.time.Duration took, boolean killed) {}

  /**
   * Stops the operator as Kubernetes stops a pod: SIGTERM (graceful stop, see {@code Main}),
   * SIGKILL after {@value #STOP_GRACE_SECONDS} s.
   *
   * @return how it ended
   * @throws InterruptedException when interrupted while waiting
   */
  public Stopped stop() throws InterruptedException {
    long t0 = System.nanoTime();
    process.destroy();
    boolean killed = !process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
    if (killed) {
      process.destroyForcibly().waitFor();
    }
    return new Stopped(
        process.exitValue(), java.time.Duration.ofNanos(System.nanoTime() - t0), killed);
  }

  /** Stops the operator ({@link #stop()}) unless it has ended. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      stop();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "operator " + instance + " (pid " + process.pid() + ")";
  }
}
