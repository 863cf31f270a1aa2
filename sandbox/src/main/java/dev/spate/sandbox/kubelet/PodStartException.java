package dev.spate.sandbox.kubelet;

/**
 * A pod cannot be started (missing ConfigMap or Secret, unsupported volume, bad command); the
 * kubelet marks it {@code Failed} with {@link #reason()} and the message, as a real kubelet's
 * {@code CreateContainerConfigError} would be surfaced.
 */
public final class PodStartException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param reason CamelCase reason, e.g. {@code CreateContainerConfigError}
   * @param message human-readable cause
   */
  public PodStartException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * @return the CamelCase reason
   */
  public String reason() {
    return reason;
  }
}
