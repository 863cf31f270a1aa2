package dev.spate.operator.lag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetTimelineTest {

  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void nothingObservedMeansUnknown() {
    assertThat(new OffsetTimeline().lagAt(0, T0)).isNull();
  }

  @Test
  void fullyReadIsZero() {
    OffsetTimeline t = new OffsetTimeline();
    t.record(at(0), 100);
    t.record(at(10), 200);
    assertThat(t.lagAt(200, at(60))).isEqualTo(Duration.ZERO);
    assertThat(t.lagAt(250, at(60))).isEqualTo(Duration.ZERO);
  }

  @Test
  void theCommittedOffsetsProductionTimeIsInterpolated() {
    OffsetTimeline t = new OffsetTimeline();
    t.record(at(0), 100);
    t.record(at(10), 200);
    t.record(at(20), 400);
    // offset 150 was passed halfway between 0 s and 10 s: produced at 5 s
    assertThat(t.lagAt(150, at(30))).isEqualTo(Duration.ofSeconds(25));
    // offset 300: halfway between 10 s and 20 s
    assertThat(t.lagAt(300, at(30))).isEqualTo(Duration.ofSeconds(15));
    // exactly at an observation: the end offset passed 200 right after 10 s
    assertThat(t.lagAt(200, at(30))).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void olderThanTheTimelineIsALowerBound() {
    OffsetTimeline t = new OffsetTimeline();
    t.record(at(100), 1000);
    t.record(at(110), 1100);
    assertThat(t.lagAt(5, at(130))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anIdleTopicKeepsTheTimeItsLastRecordArrived() {
    OffsetTimeline t = new OffsetTimeline();
    t.record(at(0), 0);
    t.record(at(10), 100);
    for (int s = 20; s <= 600; s += 10) {
      t.record(at(s), 100); // nothing new is produced
    }
    assertThat(t.points()).hasSize(3); // a run of equal end offsets keeps its first and last point
    // the consumer stopped at 50: produced at 5 s
    assertThat(t.lagAt(50, at(600))).isEqualTo(Duration.ofSeconds(595));
  }

  @Test
  void aTruncatedTopicStartsAfresh() {
    OffsetTimeline t = new OffsetTimeline();
    t.record(at(0), 500);
    t.record(at(10), 20);
    assertThat(t.points()).containsExactly(new OffsetTimeline.Point(at(10), 20));
  }

  @Test
  void theTimelineStaysBoundedAndKeepsItsOldestPoint() {
    OffsetTimeline t = new OffsetTimeline();
    for (int s = 0; s < 10_000; s++) {
      t.record(at(s), s * 10L);
    }
    assertThat(t.points()).hasSizeLessThanOrEqualTo(OffsetTimeline.MAX_POINTS);
    assertThat(t.points().get(0).time()).isEqualTo(at(0));
    // still accurate where points are dense (recent) and bounded where sparse (old)
    assertThat(t.lagAt(99_980, at(10_000))).isEqualTo(Duration.ofSeconds(2));
    assertThat(t.lagAt(10, at(10_000)).toSeconds()).isBetween(9_000L, 10_000L);
  }

  @Test
  void aJobsLagInSecondsIsItsWorstPartition() {
    LagSeconds<String> lag = new LagSeconds<>();
    lag.observe(Map.of("in-0", 100L, "in-1", 100L), at(0));
    lag.observe(Map.of("in-0", 200L, "in-1", 200L), at(10));
    assertThat(lag.lagSeconds(Map.of("in-0", 200L, "in-1", 150L), at(20))).isEqualTo(15L);
    assertThat(lag.lagSeconds(Map.of("in-0", 200L, "in-1", 200L), at(20))).isZero();
    assertThat(lag.lagSeconds(Map.of("other-0", 1L), at(20))).isNull();
    lag.retainOnly(java.util.Set.of("in-0"));
    assertThat(lag.lagSeconds(Map.of("in-1", 150L), at(20))).isNull();
  }
}
