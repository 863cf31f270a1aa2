package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {

  private static String of(long seconds) {
    return HumanDuration.format(Duration.ofSeconds(seconds));
  }

  @Test
  void roundsLikeKubectlAges() {
    assertThat(of(-5)).isEqualTo("<invalid>");
    assertThat(of(-1)).isEqualTo("0s");
    assertThat(of(0)).isEqualTo("0s");
    assertThat(of(119)).isEqualTo("119s");
    assertThat(of(120)).isEqualTo("2m");
    assertThat(of(192)).isEqualTo("3m12s");
    assertThat(of(599)).isEqualTo("9m59s");
    assertThat(of(600)).isEqualTo("10m");
    assertThat(of(3 * 3600 - 1)).isEqualTo("179m");
    assertThat(of(3 * 3600)).isEqualTo("3h");
    assertThat(of(5 * 3600 + 4 * 60 + 59)).isEqualTo("5h4m");
    assertThat(of(8 * 3600)).isEqualTo("8h");
    assertThat(of(47 * 3600)).isEqualTo("47h");
    assertThat(of(48 * 3600)).isEqualTo("2d");
    assertThat(of(3 * 86400 + 5 * 3600)).isEqualTo("3d5h");
    assertThat(of(8 * 86400)).isEqualTo("8d");
    assertThat(of(729L * 86400)).isEqualTo("729d");
    assertThat(of(730L * 86400)).isEqualTo("2y");
    assertThat(of(3L * 365 * 86400 + 10 * 86400)).isEqualTo("3y10d");
    assertThat(of(9L * 365 * 86400)).isEqualTo("9y");
  }
}
