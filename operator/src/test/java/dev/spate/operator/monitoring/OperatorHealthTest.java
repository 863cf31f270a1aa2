package dev.spate.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.monitoring.OperatorHealth.State;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorHealthTest {

  private static final List<String> NONE = List.of();
  private static final List<String> BROKEN = List.of("streamingjob/pods: UNHEALTHY");

  @Test
  void startingIsAliveButNotReady() {
    State starting = new State(false, false, NONE);
    assertThat(OperatorHealth.liveness(starting).ok()).isTrue();
    assertThat(OperatorHealth.readiness(starting).ok()).isFalse();
  }

  @Test
  void leaderAndStandbyAreBothReady() {
    assertThat(OperatorHealth.readiness(new State(true, true, NONE)))
        .satisfies(p -> assertThat(p.ok()).isTrue())
        .satisfies(p -> assertThat(p.message()).contains("leader"));
    assertThat(OperatorHealth.readiness(new State(true, false, NONE)))
        .satisfies(p -> assertThat(p.ok()).isTrue())
        .satisfies(p -> assertThat(p.message()).contains("standby"));
    assertThat(OperatorHealth.liveness(new State(true, false, NONE)).ok()).isTrue();
  }

  @Test
  void anUnhealthyEventSourceFailsBothProbesNamingIt() {
    for (boolean leader : new boolean[] {true, false}) {
      State state = new State(true, leader, BROKEN);
      assertThat(OperatorHealth.liveness(state).ok()).isFalse();
      assertThat(OperatorHealth.readiness(state).ok()).isFalse();
      assertThat(OperatorHealth.liveness(state).message()).contains("streamingjob/pods: UNHEALTHY");
    }
  }
}
