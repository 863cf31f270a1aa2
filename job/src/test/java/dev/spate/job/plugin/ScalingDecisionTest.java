package dev.spate.job.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.job.plugin.ScalingDecision.ExecutorLoad;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingDecisionTest {

  private static final List<ExecutorLoad> RUNNING =
      List.of(
          new ExecutorLoad("1", 2),
          new ExecutorLoad("2", 0),
          new ExecutorLoad("3", 1),
          new ExecutorLoad("10", 0));

  @Test
  void growingRequestsTheNewTotalAndKillsNothing() {
    assertThat(ScalingDecision.decide(6, RUNNING)).isEqualTo(new ScalingDecision(6, List.of()));
    assertThat(ScalingDecision.decide(4, RUNNING)).isEqualTo(new ScalingDecision(4, List.of()));
    assertThat(ScalingDecision.decide(2, List.of())).isEqualTo(new ScalingDecision(2, List.of()));
  }

  @Test
  void shrinkingKillsTheLeastBusyNewestFirst() {
    assertThat(ScalingDecision.decide(3, RUNNING).kill()).containsExactly("10");
    assertThat(ScalingDecision.decide(2, RUNNING).kill()).containsExactly("10", "2");
    assertThat(ScalingDecision.decide(1, RUNNING).kill()).containsExactly("10", "2", "3");
    assertThat(ScalingDecision.decide(0, RUNNING))
        .isEqualTo(new ScalingDecision(0, List.of("10", "2", "3", "1")));
  }

  @Test
  void negativeDesiredIsRejected() {
    assertThatThrownBy(() -> ScalingDecision.decide(-1, RUNNING))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
