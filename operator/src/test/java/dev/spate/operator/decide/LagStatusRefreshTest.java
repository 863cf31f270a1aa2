package dev.spate.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.decide.LagStatusRefresh.Figures;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LagStatusRefreshTest {

  private static final Instant SHOWN_AT = Instant.parse("2026-11-30T10:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  private static Figures figures(Long lag, Long seconds, Long batch) {
    return new Figures(
        lag, seconds, batch, batch == null ? null : "2026-11-30T10:00:0" + batch + "Z");
  }

  /** A healthy job's figures one micro-batch later: lag swings, the batch id moves on. */
  private static final Figures SHOWN = figures(1_200L, 12L, 7L);

  private static final Figures NEXT_BATCH = figures(300L, 3L, 8L);

  static Stream<Arguments> cases() {
    return Stream.of(
        // shown, shownAt, live, seconds after shownAt, due?
        Arguments.of("nothing shown yet", null, null, NEXT_BATCH, 1, true),
        Arguments.of("shown by another instance", SHOWN, null, NEXT_BATCH, 1, true),
        Arguments.of("unchanged", SHOWN, SHOWN_AT, SHOWN, 300, false),
        Arguments.of("failed poll: keep the last figures", SHOWN, SHOWN_AT, null, 300, false),
        Arguments.of(
            "next micro-batch within the interval", SHOWN, SHOWN_AT, NEXT_BATCH, 10, false),
        Arguments.of("just before the interval", SHOWN, SHOWN_AT, NEXT_BATCH, 29, false),
        Arguments.of("interval passed", SHOWN, SHOWN_AT, NEXT_BATCH, 30, true),
        Arguments.of("first lag", figures(null, null, null), SHOWN_AT, NEXT_BATCH, 1, true),
        Arguments.of(
            "first committed micro-batch", figures(500L, 5L, null), SHOWN_AT, NEXT_BATCH, 1, true),
        Arguments.of(
            "lag in seconds appears", figures(300L, null, 8L), SHOWN_AT, NEXT_BATCH, 1, true),
        Arguments.of("falls a minute behind", SHOWN, SHOWN_AT, figures(1_500L, 90L, 7L), 5, true),
        Arguments.of(
            "catches up from minutes behind",
            figures(900L, 600L, 7L),
            SHOWN_AT,
            NEXT_BATCH,
            5,
            true),
        Arguments.of(
            "seconds swing below the floor",
            figures(10L, 10L, 7L),
            SHOWN_AT,
            figures(10L, 75L, 8L),
            5,
            false),
        Arguments.of(
            "a backlog of records appears", SHOWN, SHOWN_AT, figures(250_000L, 12L, 7L), 5, true),
        Arguments.of(
            "records swing below the floor",
            figures(20_000L, 12L, 7L),
            SHOWN_AT,
            figures(130_000L, 12L, 8L),
            5,
            false),
        Arguments.of(
            "records just at the floor",
            figures(20_000L, 12L, 7L),
            SHOWN_AT,
            figures(140_000L, 12L, 8L),
            5,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void writesLagFiguresOncePerIntervalOrOnASignificantChange(
      String name, Figures shown, Instant shownAt, Figures live, int after, boolean due) {
    Instant now = SHOWN_AT.plusSeconds(after);
    assertThat(LagStatusRefresh.due(shown, shownAt, live, now, INTERVAL)).as(name).isEqualTo(due);
  }

  @Test
  void aZeroIntervalWritesEveryChange() {
    assertThat(LagStatusRefresh.due(SHOWN, SHOWN_AT, NEXT_BATCH, SHOWN_AT, Duration.ZERO)).isTrue();
    assertThat(LagStatusRefresh.due(SHOWN, SHOWN_AT, SHOWN, SHOWN_AT, Duration.ZERO)).isFalse();
  }

  @Test
  void aHealthyJobWritesOncePerIntervalOverManyMicroBatches() {
    // a micro-batch every 10 s, a Kafka poll every 10 s, for 10 minutes: 20 writes, one per 30 s
    Figures shown = SHOWN;
    Instant shownAt = SHOWN_AT;
    int writes = 0;
    for (int poll = 1; poll <= 60; poll++) {
      Instant now = SHOWN_AT.plusSeconds(10L * poll);
      Figures live = figures(poll % 2 == 0 ? 1_200L : 300L, poll % 2 == 0 ? 12L : 3L, 7L + poll);
      if (LagStatusRefresh.due(shown, shownAt, live, now, INTERVAL)) {
        writes++;
        shown = live;
        shownAt = now;
      }
    }
    assertThat(writes).isEqualTo(20);
  }

  @Test
  void theRefreshIsDueOneIntervalAfterTheLastWrite() {
    assertThat(LagStatusRefresh.refreshAt(SHOWN_AT, INTERVAL)).isEqualTo(SHOWN_AT.plusSeconds(30));
  }
}
