package dev.spate.operator.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.operator.sizing.ExecutorCountDecision.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingPolicyTest {

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final ScalingPolicy POLICY = ScalingPolicy.withDefaults();
  private static final SizingSpec ONE_CORE = new SizingSpec(1, 1, 16);

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void defaultWindowIsFiveMinutesAsTheHpaDefault() {
    assertThat(POLICY.stabilizationWindow()).isEqualTo(Duration.ofSeconds(300));
  }

  @ParameterizedTest(name = "{0} partitions, {1} cores in [{2},{3}] -> {4}")
  @CsvSource({
    "8, 1, 1, 16, 8",
    "8, 2, 1, 16, 4",
    "9, 2, 1, 16, 5",
    "2, 2, 1, 16, 1",
    "6, 2, 1, 16, 3",
    "0, 1, 1, 16, 1",
    "0, 1, 0, 16, 0",
    "64, 1, 1, 16, 16",
    "3, 1, 5, 16, 5"
  })
  void theFirstDecisionAppliesTheDesiredCount(
      int partitions, int cores, int min, int max, int expected) {
    ExecutorCountDecision d =
        POLICY.decide(null, partitions, new SizingSpec(cores, min, max), ScaleDownWindow.EMPTY, T0);

    assertThat(d.executors()).isEqualTo(expected);
    assertThat(d.cause()).isEqualTo(Cause.INITIAL);
    assertThat(d.changed()).isFalse();
    assertThat(d.message())
        .isEqualTo(
            "Sized executors to "
                + expected
                + " (input partitions "
                + partitions
                + ", executor.cores "
                + cores
                + ", bounds ["
                + min
                + ", "
                + max
                + "])");
    assertThat(d.window().seen()).containsExactly(new ScaleDownWindow.Seen(expected, T0));
  }

  /**
   * Scenarios with executor.cores 1, bounds [1, 16], window 5 min. Each step is {@code
   * seconds:partitions=expectedExecutors}; the first step is the first start.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "scale-down applies one whole window after the lower count was first seen"
            + "| 0:4=4 60:2=4 359:2=4 360:2=2 400:2=2",
        "scale-up applies at once| 0:2=2 1:8=8 2:16=16",
        "the bound caps scale-up| 0:2=2 60:40=16",
        "flapping partitions never scale down until the window is calm"
            + "| 0:4=4 60:2=4 120:4=4 180:2=4 400:2=4 479:2=4 480:2=2",
        "a staircase down takes the highest count of the window at each step"
            + "| 0:4=4 60:3=4 120:2=4 359:2=4 360:2=3 419:2=3 420:2=2",
        "scale-up during a held scale-down applies at once"
            + "| 0:4=4 60:2=4 120:8=8 300:8=8 420:4=8 719:4=8 720:4=4",
        "a scale-up restarts the window for the next scale-down"
            + "| 0:2=2 10:8=8 20:2=8 319:2=8 320:2=2",
        "a transient dip of one reconcile changes nothing"
            + "| 0:4=4 60:0=4 70:4=4 400:4=4 1000:4=4",
        "a count is desired until the reconcile that first sees another one"
            + "| 0:4=4 600:2=4 899:2=4 900:2=2",
        "staying at the applied count is no change| 0:3=3 60:3=3 600:3=3"
      })
  void scenarios(String name, String steps) {
    ScaleDownWindow window = ScaleDownWindow.EMPTY;
    Integer applied = null;
    for (String step : steps.trim().split("\\s+")) {
      String[] parts = step.split("[:=]");
      Instant now = at(Long.parseLong(parts[0]));
      ExecutorCountDecision d =
          POLICY.decide(applied, Integer.parseInt(parts[1]), ONE_CORE, window, now);

      assertThat(d.executors())
          .as("%s at step %s (%s)", name, step, d.message())
          .isEqualTo(Integer.parseInt(parts[2]));
      assertThat(d.previous()).isEqualTo(applied == null ? d.executors() : applied);
      applied = d.executors();
      window = d.window();
    }
  }

  @Test
  void scaleUpSaysWhichPartitionsChanged() {
    SizingSpec spec = new SizingSpec(2, 1, 16);
    ExecutorCountDecision first = POLICY.decide(null, 4, spec, ScaleDownWindow.EMPTY, T0);

    ExecutorCountDecision up = POLICY.decide(2, 8, spec, first.window(), at(30));

    assertThat(up.executors()).isEqualTo(4);
    assertThat(up.cause()).isEqualTo(Cause.SCALE_UP);
    assertThat(up.changed()).isTrue();
    assertThat(up.message()).isEqualTo("Rescaled executors 2 → 4 (input partitions 4 → 8)");
    assertThat(up.reviewAt()).isEmpty();
    assertThat(ExecutorCountDecision.EVENT_REASON).isEqualTo("Rescaled");
  }

  @Test
  void aHeldScaleDownSaysUntilWhenAndWhy() {
    SizingSpec spec = new SizingSpec(2, 1, 16);
    ExecutorCountDecision first = POLICY.decide(null, 8, spec, ScaleDownWindow.EMPTY, T0);

    ExecutorCountDecision held = POLICY.decide(4, 4, spec, first.window(), at(60));

    assertThat(held.executors()).isEqualTo(4);
    assertThat(held.desired()).isEqualTo(2);
    assertThat(held.changed()).isFalse();
    assertThat(held.cause()).isEqualTo(Cause.SCALE_DOWN_STABILIZING);
    assertThat(held.reviewAt()).contains(at(360));
    assertThat(held.message())
        .isEqualTo(
            "Scale-down of executors 4 → 2 held until"
                + " 2026-11-21T10:06:00Z (input partitions 8 → 4; 4 executors were desired within the 5m"
                + " stabilisation window)");

    ExecutorCountDecision down = POLICY.decide(4, 4, spec, held.window(), at(360));

    assertThat(down.executors()).isEqualTo(2);
    assertThat(down.cause()).isEqualTo(Cause.SCALE_DOWN);
    assertThat(down.message()).isEqualTo("Rescaled executors 4 → 2 (input partitions 8 → 4)");
    assertThat(down.reviewAt()).isEmpty();
    assertThat(down.window().sizedForPartitions()).isEqualTo(4);
  }

  @Test
  void aPartialScaleDownNamesTheStabilisedCountAndWhenTheNextStepComes() {
    ExecutorCountDecision first = POLICY.decide(null, 4, ONE_CORE, ScaleDownWindow.EMPTY, T0);
    ExecutorCountDecision three = POLICY.decide(4, 3, ONE_CORE, first.window(), at(60));
    ExecutorCountDecision two = POLICY.decide(4, 2, ONE_CORE, three.window(), at(120));

    ExecutorCountDecision partial = POLICY.decide(4, 2, ONE_CORE, two.window(), at(360));

    assertThat(partial.executors()).isEqualTo(3);
    assertThat(partial.cause()).isEqualTo(Cause.SCALE_DOWN);
    assertThat(partial.reviewAt()).contains(at(420));
    assertThat(partial.message())
        .isEqualTo(
            "Rescaled executors 4 → 3 (input partitions 4 → 2;"
                + " 3 is the highest count desired in the last 5m)");
    // the partitions the count was sized for stay 4 until the scale-down is complete
    assertThat(partial.window().sizedForPartitions()).isEqualTo(4);
  }

  @Test
  void loweringMaxExecutorsAppliesAtOnce() {
    SizingSpec before = new SizingSpec(2, 1, 16);
    SizingSpec after = new SizingSpec(2, 1, 2);
    ExecutorCountDecision first = POLICY.decide(null, 8, before, ScaleDownWindow.EMPTY, T0);

    ExecutorCountDecision d = POLICY.decide(4, 8, after, first.window(), at(1));

    assertThat(d.executors()).isEqualTo(2);
    assertThat(d.cause()).isEqualTo(Cause.SPEC_CHANGED);
    assertThat(d.message()).isEqualTo("Rescaled executors 4 → 2 (executor.maxExecutors 16 → 2)");
    assertThat(d.window().seen()).containsExactly(new ScaleDownWindow.Seen(2, at(1)));
    assertThat(d.window().spec()).isEqualTo(after);
  }

  @Test
  void loweringMinExecutorsAppliesAtOnceEvenDuringAHeldScaleDown() {
    SizingSpec before = new SizingSpec(1, 4, 16);
    SizingSpec after = new SizingSpec(1, 1, 16);
    ExecutorCountDecision first = POLICY.decide(null, 2, before, ScaleDownWindow.EMPTY, T0);
    assertThat(first.executors()).isEqualTo(4);

    ExecutorCountDecision d = POLICY.decide(4, 2, after, first.window(), at(10));

    assertThat(d.executors()).isEqualTo(2);
    assertThat(d.cause()).isEqualTo(Cause.SPEC_CHANGED);
    assertThat(d.message()).isEqualTo("Rescaled executors 4 → 2 (executor.minExecutors 4 → 1)");
  }

  @Test
  void raisingMinExecutorsAndChangingCoresAreNamedTogether() {
    SizingSpec before = new SizingSpec(1, 1, 16);
    SizingSpec after = new SizingSpec(2, 6, 20);
    ExecutorCountDecision first = POLICY.decide(null, 4, before, ScaleDownWindow.EMPTY, T0);

    ExecutorCountDecision d = POLICY.decide(4, 4, after, first.window(), at(10));

    assertThat(d.executors()).isEqualTo(6);
    assertThat(d.message())
        .isEqualTo(
            "Rescaled executors 4 → 6 (executor.minExecutors 1 → 6,"
                + " executor.maxExecutors 16 → 20, executor.cores 1 → 2)");
  }

  @Test
  void aSpecChangeThatKeepsTheCountRestartsTheWindow() {
    SizingSpec before = new SizingSpec(1, 1, 16);
    SizingSpec after = new SizingSpec(1, 1, 32);
    ExecutorCountDecision first = POLICY.decide(null, 8, before, ScaleDownWindow.EMPTY, T0);
    ExecutorCountDecision held = POLICY.decide(8, 4, before, first.window(), at(60));
    assertThat(held.cause()).isEqualTo(Cause.SCALE_DOWN_STABILIZING);

    ExecutorCountDecision d = POLICY.decide(8, 8, after, held.window(), at(70));

    assertThat(d.executors()).isEqualTo(8);
    assertThat(d.cause()).isEqualTo(Cause.UNCHANGED);
    assertThat(d.message())
        .isEqualTo("Executors stay at 8 (input partitions 8) after executor.maxExecutors 16 → 32");
    assertThat(d.window().seen()).containsExactly(new ScaleDownWindow.Seen(8, at(70)));
  }

  @Test
  void afterAnOperatorStartTheAppliedCountHoldsForOneWholeWindow() {
    ExecutorCountDecision held = POLICY.decide(4, 2, ONE_CORE, ScaleDownWindow.EMPTY, T0);

    assertThat(held.executors()).isEqualTo(4);
    assertThat(held.cause()).isEqualTo(Cause.SCALE_DOWN_STABILIZING);
    assertThat(held.reviewAt()).contains(at(300));
    assertThat(held.message()).contains("(input partitions 2;");

    ExecutorCountDecision stillHeld = POLICY.decide(4, 2, ONE_CORE, held.window(), at(299));
    ExecutorCountDecision down = POLICY.decide(4, 2, ONE_CORE, stillHeld.window(), at(300));

    assertThat(stillHeld.executors()).isEqualTo(4);
    assertThat(down.executors()).isEqualTo(2);
    assertThat(down.message()).isEqualTo("Rescaled executors 4 → 2 (input partitions 2)");
  }

  @Test
  void afterAnOperatorStartScaleUpStillAppliesAtOnce() {
    ExecutorCountDecision d = POLICY.decide(2, 8, ONE_CORE, ScaleDownWindow.EMPTY, T0);

    assertThat(d.executors()).isEqualTo(8);
    assertThat(d.cause()).isEqualTo(Cause.SCALE_UP);
    assertThat(d.message()).isEqualTo("Rescaled executors 2 → 8 (input partitions 8)");
  }

  @ParameterizedTest(name = "applied {0} outside [2, 4] -> {1}")
  @CsvSource({"6, 4", "1, 2", "0, 2"})
  void anAppliedCountOutsideTheBoundsIsReplacedAtOnce(int applied, int expected) {
    SizingSpec spec = new SizingSpec(1, 2, 4);

    ExecutorCountDecision d =
        POLICY.decide(applied, 8 * (expected / 4), spec, ScaleDownWindow.EMPTY, T0);

    assertThat(d.executors()).isEqualTo(expected);
    assertThat(d.cause()).isEqualTo(Cause.OUT_OF_BOUNDS);
    assertThat(d.message())
        .isEqualTo(
            "Rescaled executors "
                + applied
                + " → "
                + expected
                + " (outside the executor bounds [2, 4])");
  }

  @Test
  void aZeroWindowScalesDownAtOnce() {
    ScalingPolicy none = new ScalingPolicy(Duration.ZERO);
    ExecutorCountDecision first = none.decide(null, 8, ONE_CORE, ScaleDownWindow.EMPTY, T0);

    ExecutorCountDecision d = none.decide(8, 3, ONE_CORE, first.window(), at(1));

    assertThat(d.executors()).isEqualTo(3);
    assertThat(d.cause()).isEqualTo(Cause.SCALE_DOWN);
  }

  @Test
  void aConfiguredWindowIsUsed() {
    ScalingPolicy twoMinutes = new ScalingPolicy(Duration.ofSeconds(90));
    ExecutorCountDecision first = twoMinutes.decide(null, 8, ONE_CORE, ScaleDownWindow.EMPTY, T0);
    ExecutorCountDecision held = twoMinutes.decide(8, 3, ONE_CORE, first.window(), at(10));

    assertThat(held.reviewAt()).contains(at(100));
    assertThat(held.message()).contains("within the 1m30s stabilisation window");
    assertThat(twoMinutes.decide(8, 3, ONE_CORE, held.window(), at(99)).executors()).isEqualTo(8);
    assertThat(twoMinutes.decide(8, 3, ONE_CORE, held.window(), at(100)).executors()).isEqualTo(3);
  }

  @Test
  void theWindowKeepsOnlyCountsThatCanStillBeTheHighest() {
    ScaleDownWindow window = POLICY.decide(null, 16, ONE_CORE, ScaleDownWindow.EMPTY, T0).window();
    int applied = 16;
    // a thousand reconciles, one per second, desired counts cycling 16..1
    for (int i = 1; i <= 1000; i++) {
      ExecutorCountDecision d = POLICY.decide(applied, 16 - (i % 16), ONE_CORE, window, at(i));
      applied = d.executors();
      window = d.window();
      assertThat(window.seen().size()).isLessThanOrEqualTo(16);
    }
    assertThat(applied).isEqualTo(16);
    assertThat(window.highest()).hasValue(16);
  }

  @Test
  void sizingSpecAppliesTheApiDefaults() {
    assertThat(SizingSpec.of(null)).isEqualTo(new SizingSpec(1, 1, 16));
    ExecutorSpec spec = new ExecutorSpec();
    spec.setCores(2);
    spec.setMaxExecutors(4);
    assertThat(SizingSpec.of(spec)).isEqualTo(new SizingSpec(2, 1, 4));
    assertThat(SizingSpec.of(spec).maxCores()).isEqualTo(8);
  }

  @Test
  void badInputIsRejectedWithTheFieldNamed() {
    assertThatThrownBy(() -> new SizingSpec(0, 1, 2)).hasMessageContaining("executor.cores");
    assertThatThrownBy(() -> new SizingSpec(1, -1, 2))
        .hasMessageContaining("executor.minExecutors");
    assertThatThrownBy(() -> new SizingSpec(1, 0, 0)).hasMessageContaining("executor.maxExecutors");
    assertThatThrownBy(() -> new SizingSpec(1, 3, 2))
        .hasMessage(
            "executor.minExecutors (3) must be less than or equal to executor.maxExecutors (2)");
    assertThatThrownBy(() -> new ScalingPolicy(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
    assertThatThrownBy(() -> POLICY.decide(-1, 1, ONE_CORE, ScaleDownWindow.EMPTY, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("applied");
    assertThatThrownBy(() -> POLICY.decide(1, -1, ONE_CORE, ScaleDownWindow.EMPTY, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitions");
  }

  @Test
  void aMalformedWindowIsRejected() {
    assertThatThrownBy(
            () ->
                new ScaleDownWindow(
                    ONE_CORE,
                    List.of(new ScaleDownWindow.Seen(2, T0), new ScaleDownWindow.Seen(3, at(1))),
                    null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ScaleDownWindow(
                    ONE_CORE,
                    List.of(new ScaleDownWindow.Seen(3, at(1)), new ScaleDownWindow.Seen(2, T0)),
                    null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new ScaleDownWindow(null, List.of(new ScaleDownWindow.Seen(3, T0)), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScaleDownWindow.Seen(-1, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ScaleDownWindow.EMPTY.highest()).isEmpty();
    assertThat(
            new ExecutorCountDecision(
                    1, 1, 1, Cause.UNCHANGED, "m", ScaleDownWindow.EMPTY, Optional.empty())
                .changed())
        .isFalse();
  }
}
