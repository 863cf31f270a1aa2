package dev.spate.sandbox;

import dev.spate.sandbox.api.PodLogSource;
import dev.spate.sandbox.kubelet.PodWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Container logs for {@code kubectl logs} from the process kubelet's files: a pod's {@code
 * stdout.log} followed by its {@code stderr.log} (the kubelet keeps the two streams apart, so their
 * lines are not interleaved by time as a container runtime's log would be; Spark logs to stderr).
 * Every sandbox pod has one container, so the container name is not needed.
 */
final class KubeletLogFiles implements PodLogSource {

  private final Path runDir;

  /**
   * @param runDir the sandbox's run directory (pods are under {@code pods/<namespace>/<name>/})
   */
  KubeletLogFiles(Path runDir) {
    this.runDir = runDir;
  }

  @Override
  public Optional<String> read(String namespace, String pod, String container) throws IOException {
    PodWorkspace w = new PodWorkspace(runDir.resolve("pods").resolve(namespace).resolve(pod));
    boolean out = Files.isRegularFile(w.stdout());
    boolean err = Files.isRegularFile(w.stderr());
    if (!out && !err) {
      return Optional.empty();
    }
    StringBuilder b = new StringBuilder();
    if (out) {
      b.append(Files.readString(w.stdout()));
    }
    if (err) {
      b.append(Files.readString(w.stderr()));
    }
    return Optional.of(b.toString());
  }
}
