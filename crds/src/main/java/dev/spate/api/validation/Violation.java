package dev.spate.api.validation;

import java.util.Objects;

/**
 * One rule a manifest breaks.
 *
 * @param path where, Kubernetes style: {@code spec.kafka.inputTopics[1]}, {@code
 *     spec.sparkConf[spark.master]}
 * @param message what is wrong: the rule's {@code message} for a CEL rule, a Kubernetes-like text
 *     ({@code Required value}, {@code Unsupported value: ...}) for an OpenAPI constraint
 */
public record Violation(String path, String message) {

  /**
   * Both parts are required.
   *
   * @param path where
   * @param message what is wrong
   */
  public Violation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /**
   * @return {@code path: message}, as {@code kubectl apply} prints it
   */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
