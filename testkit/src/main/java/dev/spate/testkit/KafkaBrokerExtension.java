package dev.spate.testkit;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts one {@link KafkaBroker} before the first test of a class and closes
 * it (deleting its data) after the last one, also when tests fail.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * ... KAFKA.broker().bootstrapServers() ...
 * }</pre>
 *
 * Register it on a {@code static} field so that it is class-scoped.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  private final Map<String, String> overrides;
  private KafkaBroker broker;

  /** A broker with the default configuration of {@link KafkaBroker#start()}. */
  public KafkaBrokerExtension() {
    this(Map.of());
  }

  /**
   * @param overrides broker configuration keys replacing the defaults, see {@link
   *     KafkaBroker#start(Map)}
   */
  public KafkaBrokerExtension(Map<String, String> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  /**
   * @return the broker of the current test class
   * @throws IllegalStateException outside the class's tests (before start or after close)
   */
  public KafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException("the Kafka broker runs only while the test class runs");
    }
    return broker;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = KafkaBroker.start(overrides);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      try {
        broker.close();
      } finally {
        broker = null;
      }
    }
  }
}
