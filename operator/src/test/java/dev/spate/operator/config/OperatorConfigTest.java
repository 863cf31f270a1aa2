package dev.spate.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaults() {
    OperatorConfig c = OperatorConfig.defaults();
    assertThat(c.watchedNamespaces()).isEmpty();
    assertThat(c.kafkaPollInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.serverSideApply()).as("JOSDK's default on a real API server").isTrue();
    assertThat(c.exitOnLostLease()).isTrue();
    assertThat(c.defaultImage()).isNotBlank();
  }

  @Test
  void systemPropertyWinsOverEnvironment() {
    OperatorConfig c =
        OperatorConfig.read(
            Map.of("spate.namespaces", "a, b,,c", "spate.kafkaPollInterval", "500ms"),
            Map.of(
                "SPATE_NAMESPACES",
                "x",
                "SPATE_RECONCILE_INTERVAL",
                "PT2M",
                "SPATE_LEADER_ELECTION",
                "TRUE",
                "SPATE_DEFAULT_IMAGE",
                "img:1"));
    assertThat(c.watchedNamespaces()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(c.kafkaPollInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.reconcileInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.defaultImage()).isEqualTo("img:1");
  }

  @Test
  void badValuesNameTheOption() {
    assertThatThrownBy(
            () -> OperatorConfig.read(Map.of(), Map.of("SPATE_KAFKA_POLL_INTERVAL", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spate.kafkaPollInterval")
        .hasMessageContaining("SPATE_KAFKA_POLL_INTERVAL");
    assertThatThrownBy(() -> OperatorConfig.read(Map.of("spate.leaderElection", "yes"), Map.of()))
        .hasMessageContaining("spate.leaderElection");
    assertThatThrownBy(() -> OperatorConfig.read(Map.of("spate.reconcileInterval", "0s"), Map.of()))
        .hasMessageContaining("positive");
  }

  @Test
  void everyOptionHasKeyEnvDefaultAndDescription() {
    assertThat(OperatorConfig.OPTIONS)
        .hasSize(7)
        .allSatisfy(
            o -> {
              assertThat(o.key()).startsWith("spate.");
              assertThat(o.env()).startsWith("SPATE_").isUpperCase();
              assertThat(o.defaultValue()).isNotNull();
              assertThat(o.description()).isNotBlank();
              assertThat(o.read(Map.of(), Map.of())).isNotNull();
            });
  }
}
