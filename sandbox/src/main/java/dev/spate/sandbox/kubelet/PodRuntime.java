package dev.spate.sandbox.kubelet;

/**
 * How the sandbox kubelet runs a pod's container.
 *
 * <ul>
 *   <li>{@link #JVM} (default, needs only a JDK): a local JVM built the way the Spark image's
 *       {@code entrypoint.sh} would start it; the pod's image is not used and its {@code
 *       securityContext} is not enforced.
 *   <li>{@link #PODMAN}: {@code podman run} of the pod's own image with its args, env, volumes,
 *       resource limits and {@code securityContext} (see {@link PodmanCommands}), on the host
 *       network. Needs podman and the images (deploy/images/build --standin).
 * </ul>
 */
public enum PodRuntime {
  /** A local JVM per pod. */
  JVM,
  /** A podman container per pod. */
  PODMAN;

  /**
   * @param value {@code jvm} or {@code podman}, any case
   * @return the runtime
   * @throws IllegalArgumentException for any other value
   */
  public static PodRuntime parse(String value) {
    for (PodRuntime r : values()) {
      if (r.name().equalsIgnoreCase(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException("runtime must be jvm or podman, not '" + value + "'");
  }
}
