package dev.spate.sandbox.api;

import java.io.IOException;
import java.util.Optional;

/**
 * Where the API server finds a container's log for {@code GET .../pods/<name>/log} ({@code kubectl
 * logs}); on a cluster the kubelet serves it, in the sandbox the process kubelet's log files.
 */
@FunctionalInterface
public interface PodLogSource {

  /** No logs anywhere. */
  PodLogSource NONE = (namespace, pod, container) -> Optional.empty();

  /**
   * @param namespace the pod's namespace
   * @param pod the pod's name
   * @param container the container's name, null for the pod's only container
   * @return the log as the container wrote it so far, empty when the container never ran here
   * @throws IOException when the log exists but cannot be read
   */
  Optional<String> read(String namespace, String pod, String container) throws IOException;
}
