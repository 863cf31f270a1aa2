package dev.spate.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitoringConfigTest {

  @Test
  void defaultsArePort8080AndTextLines() {
    MonitoringConfig c = MonitoringConfig.read(Map.of(), Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.logFormat()).isEqualTo(MonitoringConfig.LogFormat.TEXT);
  }

  @Test
  void systemPropertyWinsOverEnvironment() {
    MonitoringConfig c =
        MonitoringConfig.read(
            Map.of("spate.logFormat", "JSON"),
            Map.of("SPATE_LOG_FORMAT", "text", "SPATE_MONITORING_PORT", "9090"));
    assertThat(c.logFormat()).isEqualTo(MonitoringConfig.LogFormat.JSON);
    assertThat(c.port()).isEqualTo(9090);
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> MonitoringConfig.read(Map.of("spate.logFormat", "xml"), Map.of()))
        .hasMessageContaining("spate.logFormat");
    assertThatThrownBy(
            () -> MonitoringConfig.read(Map.of(), Map.of("SPATE_MONITORING_PORT", "70000")))
        .hasMessageContaining("SPATE_MONITORING_PORT");
  }
}
