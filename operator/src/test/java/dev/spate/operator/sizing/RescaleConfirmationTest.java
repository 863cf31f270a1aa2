package dev.spate.operator.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.operator.sizing.RescaleConfirmation.Confirmed;
import dev.spate.operator.sizing.RescaleConfirmation.InProgress;
import dev.spate.operator.sizing.RescaleConfirmation.Outcome;
import dev.spate.operator.sizing.RescaleConfirmation.PluginReport;
import dev.spate.operator.sizing.RescaleConfirmation.Request;
import dev.spate.operator.sizing.RescaleConfirmation.TimedOut;
import dev.spate.operator.sizing.RescaleConfirmation.Waiting;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RescaleConfirmationTest {

  private static final Instant WRITTEN = Instant.parse("2026-11-21T10:00:00Z");
  private static final RescaleConfirmation CHECK = RescaleConfirmation.withDefaults();
  private static final Request FOUR = new Request(4, WRITTEN);

  private static PluginReport applied(Integer count, long secondsAfterRequest) {
    return new PluginReport(count, WRITTEN.plusSeconds(secondsAfterRequest));
  }

  @Test
  void defaultTimeoutIsTwoMinutes() {
    assertThat(CHECK.timeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @ParameterizedTest(name = "applied {0}, ready {1}, {2}s after the request -> {3}")
  @CsvSource({
    // applied (empty = no report), ready, seconds since the request, outcome
    "4, 4, 5, Confirmed",
    "4, 4, 500, Confirmed",
    "4, 2, 5, InProgress",
    "4, 6, 5, InProgress", // shrinking: killed executors still terminating
    "4, 2, 500, InProgress", // the driver did its part: no restart for slow pods
    "2, 2, 5, Waiting",
    ", 2, 5, Waiting",
    "2, 4, 119, Waiting", // ready pods alone do not confirm
    "2, 2, 120, TimedOut",
    ", 0, 121, TimedOut",
    "5, 5, 600, TimedOut"
  })
  void table(Integer appliedCount, int ready, long seconds, String expected) {
    PluginReport report = appliedCount == null ? PluginReport.NONE : applied(appliedCount, 1);

    Outcome o = CHECK.check(FOUR, report, ready, WRITTEN.plusSeconds(seconds));

    assertThat(o.getClass().getSimpleName()).isEqualTo(expected);
  }

  @Test
  void confirmedWhenTheDriverReportsTheCountAndThatManyExecutorsAreReady() {
    Outcome o = CHECK.check(FOUR, applied(4, 2), 4, WRITTEN.plusSeconds(20));

    assertThat(o)
        .isEqualTo(
            new Confirmed(
                4,
                WRITTEN.plusSeconds(2),
                "4/4 executors ready (applied by the driver at 2026-11-21T10:00:02Z)"));
  }

  @Test
  void rescalingWhileTheExecutorsStart() {
    Outcome o = CHECK.check(FOUR, applied(4, 2), 3, WRITTEN.plusSeconds(5));

    assertThat(o)
        .isEqualTo(
            new InProgress(
                4,
                3,
                "Rescaling: 3/4 executors ready (applied by the driver at 2026-11-21T10:00:02Z)"));
  }

  @Test
  void waitingSaysUntilWhenAndWhatTheDriverLastDid() {
    Outcome o = CHECK.check(FOUR, applied(2, -300), 2, WRITTEN.plusSeconds(5));

    assertThat(o)
        .isEqualTo(
            new Waiting(
                WRITTEN.plusSeconds(120),
                "Waiting until 2026-11-21T10:02:00Z for the driver to apply 4 executors requested at"
                    + " 2026-11-21T10:00:00Z (the driver last applied 2 at 2026-11-21T09:55:00Z;"
                    + " 2/4 executors ready)"));
  }

  @Test
  void theTimeoutIsExclusiveOfItsEnd() {
    assertThat(CHECK.check(FOUR, PluginReport.NONE, 0, WRITTEN.plusSeconds(120).minusMillis(1)))
        .isInstanceOf(Waiting.class);
    assertThat(CHECK.check(FOUR, PluginReport.NONE, 0, WRITTEN.plusSeconds(120)))
        .isInstanceOf(TimedOut.class);
  }

  @Test
  void timedOutSaysWhyAndWhatHappensNext() {
    Outcome o = CHECK.check(FOUR, PluginReport.NONE, 2, WRITTEN.plusSeconds(130));

    assertThat(o)
        .isEqualTo(
            new TimedOut(
                4,
                "The driver did not confirm 4 executors within 2m of"
                    + " the request at 2026-11-21T10:00:00Z (the driver has reported no applied count);"
                    + " restarting from the checkpoint with spark.executor.instances=4"));
    assertThat(((TimedOut) o).reason()).isEqualTo("RescaleNotConfirmed");
  }

  @Test
  void aConfiguredTimeoutIsUsed() {
    RescaleConfirmation thirty = new RescaleConfirmation(Duration.ofSeconds(30));

    assertThat(thirty.check(FOUR, PluginReport.NONE, 0, WRITTEN.plusSeconds(29)))
        .isEqualTo(
            new Waiting(
                WRITTEN.plusSeconds(30),
                "Waiting until 2026-11-21T10:00:30Z for"
                    + " the driver to apply 4 executors requested at 2026-11-21T10:00:00Z (the driver has"
                    + " reported no applied count; 0/4 executors ready)"));
    assertThat(thirty.check(FOUR, PluginReport.NONE, 0, WRITTEN.plusSeconds(30)).message())
        .contains("within 30s");
  }

  @Test
  void theAppliedCountConfirmsEvenWhenTheDriverClockIsBehind() {
    // request 4 -> 2 -> 4 before the plugin acted, or a driver clock 10 s behind the operator's
    Outcome o = CHECK.check(FOUR, applied(4, -10), 4, WRITTEN.plusSeconds(1));

    assertThat(o).isInstanceOf(Confirmed.class);
  }

  @Test
  void aScaleToZeroIsConfirmedWithNoExecutorsReady() {
    Outcome o = CHECK.check(new Request(0, WRITTEN), applied(0, 1), 0, WRITTEN.plusSeconds(3));

    assertThat(o).isInstanceOf(Confirmed.class);
    assertThat(o.message()).startsWith("0/0 executors ready");
  }

  @Test
  void readsThePluginsKeysFromTheControlConfigMap() {
    Map<String, String> data = new HashMap<>();
    data.put("desiredExecutors", "4");
    data.put("appliedExecutors", "4");
    data.put("appliedAt", "2026-11-21T10:00:02.5Z");

    assertThat(PluginReport.fromConfigMap(data))
        .isEqualTo(new PluginReport(4, Instant.parse("2026-11-21T10:00:02.500Z")));

    data.put("appliedAt", "2026-11-21T11:00:02+01:00");
    assertThat(PluginReport.fromConfigMap(data).appliedAt())
        .isEqualTo(Instant.parse("2026-11-21T10:00:02Z"));
  }

  @ParameterizedTest(name = "appliedExecutors={0} appliedAt={1} -> {2}, {3}")
  @CsvSource({
    "' 3 ', 2026-11-21T10:00:02Z, 3, 2026-11-21T10:00:02Z",
    "three, 2026-11-21T10:00:02Z, , 2026-11-21T10:00:02Z",
    "-1, yesterday, , ",
    "'', '', , ",
    "3, 2026-11-21 10:00:02, 3, "
  })
  void malformedValuesReadAsAbsent(
      String count, String at, Integer expectedCount, Instant expectedAt) {
    assertThat(PluginReport.fromConfigMap(Map.of("appliedExecutors", count, "appliedAt", at)))
        .isEqualTo(new PluginReport(expectedCount, expectedAt));
  }

  @Test
  void aMissingConfigMapOrKeysIsNoReport() {
    assertThat(PluginReport.fromConfigMap(null)).isEqualTo(PluginReport.NONE);
    assertThat(PluginReport.fromConfigMap(Map.of("desiredExecutors", "4")))
        .isEqualTo(PluginReport.NONE);
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> new RescaleConfirmation(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
    assertThatThrownBy(() -> new Request(-1, WRITTEN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CHECK.check(FOUR, PluginReport.NONE, -1, WRITTEN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ready");
    assertThatThrownBy(() -> CHECK.check(null, PluginReport.NONE, 0, WRITTEN))
        .isInstanceOf(NullPointerException.class);
  }
}
