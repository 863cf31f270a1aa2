package dev.spate.job;

import java.util.List;

/** The job's configuration is unusable; the message lists every problem found. Exit code 2. */
public final class InvalidConfigurationException extends RuntimeException {

  private final List<String> problems;

  /**
   * @param problems one human-readable sentence per problem, naming the configuration key
   */
  public InvalidConfigurationException(List<String> problems) {
    super("invalid configuration: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * @return one sentence per problem
   */
  public List<String> problems() {
    return problems;
  }
}
