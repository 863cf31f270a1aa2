package dev.spate.sandbox.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pod's directory under the run directory: {@code <run>/pods/<namespace>/<name>/} with the
 * container's {@code stdout.log} and {@code stderr.log}, the termination message file, a {@code
 * tmp/} for {@code java.io.tmpdir}, {@code spark-local/} for {@code spark.local.dir} and {@code
 * volumes/<volume>/} for configMap, secret and emptyDir volumes.
 *
 * @param dir the pod's directory
 */
public record PodWorkspace(Path dir) {

  /**
   * Creates (or empties the logs of) the workspace of a pod.
   *
   * @param runDir the sandbox's run directory
   * @param namespace pod namespace
   * @param name pod name
   * @return the workspace, directories created
   */
  public static PodWorkspace create(Path runDir, String namespace, String name) {
    PodWorkspace w = new PodWorkspace(runDir.resolve("pods").resolve(namespace).resolve(name));
    try {
      Files.createDirectories(w.tmp());
      Files.createDirectories(w.localDir());
      Files.createDirectories(w.dir().resolve("volumes"));
      Files.deleteIfExists(w.terminationLog());
      Files.createFile(w.terminationLog());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w;
  }

  /**
   * @return the container's stdout
   */
  public Path stdout() {
    return dir.resolve("stdout.log");
  }

  /**
   * @return the container's stderr
   */
  public Path stderr() {
    return dir.resolve("stderr.log");
  }

  /**
   * @return the file the container's {@code terminationMessagePath} maps to
   */
  public Path terminationLog() {
    return dir.resolve("termination-log");
  }

  /**
   * @return {@code java.io.tmpdir} of the pod's JVM
   */
  public Path tmp() {
    return dir.resolve("tmp");
  }

  /**
   * @return {@code spark.local.dir} of the pod's JVM
   */
  public Path localDir() {
    return dir.resolve("spark-local");
  }

  /**
   * @param volume volume name
   * @return the directory of a pod-local volume
   */
  public Path volume(String volume) {
    return dir.resolve("volumes").resolve(volume);
  }
}
