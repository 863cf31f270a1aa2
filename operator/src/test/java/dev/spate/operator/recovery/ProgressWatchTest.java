package dev.spate.operator.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.decide.Reason;
import dev.spate.operator.kafka.KafkaSnapshot;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressWatchTest {

  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  private static Instant t(int seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void stallStartsAtTheLastPositionChangeAndGrowsWhileThePositionStands() {
    ProgressWatch w =
        ProgressWatch.start(T0)
            .observe(10L, 500L, t(10)) // first commit seen: progress
            .observe(12L, 400L, t(20)) // moved: progress
            .observe(12L, 900L, t(30)) // stands, lag grows
            .observe(12L, 1300L, t(40)); // stands

    assertThat(w.since()).isEqualTo(t(20));
    assertThat(w.position()).isEqualTo(12L);
    assertThat(w.stalledFor(t(50))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void lagZeroIsNotAStall() {
    ProgressWatch w =
        ProgressWatch.start(T0)
            .observe(12L, 0L, t(100))
            .observe(12L, 0L, t(200))
            .observe(12L, 5L, t(300));

    assertThat(w.since()).isEqualTo(t(200));
  }

  @Test
  void anUnreadableLagLeavesTheWatchAsItWas() {
    ProgressWatch w = new ProgressWatch(12L, t(20));

    assertThat(w.observe(99L, null, t(500))).isSameAs(w);
  }

  @Test
  void noCommitYetKeepsTheStartOfTheDriver() {
    ProgressWatch w =
        ProgressWatch.start(T0).observe(null, 100L, t(60)).observe(null, 150L, t(120));

    assertThat(w.since()).isEqualTo(T0);
    assertThat(w.stalledFor(t(120))).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void followsTheInspectorsSnapshotsAndAFailedPollRestartsTheStallClock() {
    ProgressWatch w =
        ProgressWatch.start(T0)
            .observe(new KafkaSnapshot(8, 300L, 4L, null, null, t(10)))
            .observe(new KafkaSnapshot(8, 700L, 4L, null, null, t(20)))
            .observe(KafkaSnapshot.failed(Reason.KAFKA_UNAVAILABLE, "broker down", t(30)))
            .observe((KafkaSnapshot) null);

    assertThat(w)
        .as("no evidence while Kafka is down")
        .isEqualTo(new ProgressWatch(4L, ProgressWatch.UNOBSERVED));
    assertThat(w.stalledFor(t(9999))).isZero();
    assertThat(w.observe(new KafkaSnapshot(8, 650L, 5L, null, null, t(40))))
        .isEqualTo(new ProgressWatch(5L, t(40)));
  }

  @Test
  void anOutageLongerThanTheStallTimeoutIsNoStall() {
    Duration timeout = Duration.ofMinutes(15);
    ProgressWatch w =
        ProgressWatch.start(T0).observe(new KafkaSnapshot(8, 300L, 4L, null, null, t(10)));
    for (int s = 60; s <= 3600; s += 60) { // an hour of failed polls
      w = w.observe(KafkaSnapshot.failed(Reason.KAFKA_UNAVAILABLE, "broker down", t(s)));
    }
    // Kafka is back; the job has not committed yet (it could not while Kafka was down)
    w = w.observe(new KafkaSnapshot(8, 900L, 4L, null, null, t(3660)));
    assertThat(w.stalledFor(t(3660))).isZero();
    assertThat(w.stalledFor(t(3660 + 60 * 16)))
        .as("a stall is seen again only after a full timeout of good polls")
        .isGreaterThan(timeout);
  }

  @Test
  void stalledForIsNeverNegative() {
    assertThat(ProgressWatch.start(t(60)).stalledFor(T0)).isEqualTo(Duration.ZERO);
  }
}
