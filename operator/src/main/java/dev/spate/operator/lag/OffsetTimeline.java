package dev.spate.operator.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The end offsets (log-end offset, Kafka {@code ListOffsets} with {@code OffsetSpec.latest()}) of
 * one partition as the operator observed them over time: a list of (time, end offset) points,
 * oldest first, with both coordinates non-decreasing. It answers "when did the end offset pass
 * offset {@code o}?", which is about when the record at {@code o} was produced, so that lag in
 * records turns into lag in seconds (the interpolation kafka-lag-exporter uses).
 *
 * <p>Bounded: at most {@link #MAX_POINTS} points. When full, every second point of the older half
 * is dropped, so the timeline keeps covering a growing span at a coarser grain (each thinning
 * doubles the oldest points' spacing). Not thread-safe: one poll chain writes it.
 */
public final class OffsetTimeline {

  /** Most points kept per partition. */
  public static final int MAX_POINTS = 64;

  /** One observation: at {@code time} the end offset was {@code endOffset}. */
  public record Point(Instant time, long endOffset) {}

  private final List<Point> points = new ArrayList<>();

  /**
   * Records an observation. An end offset lower than the last one (a truncated or re-created topic)
   * starts the timeline afresh; a time not after the last one is ignored.
   *
   * @param time when the end offset was read
   * @param endOffset the partition's end offset then (the next offset to be written)
   */
  public void record(Instant time, long endOffset) {
    Objects.requireNonNull(time, "time");
    if (!points.isEmpty()) {
      Point last = points.get(points.size() - 1);
      if (endOffset < last.endOffset()) {
        points.clear();
      } else if (!time.isAfter(last.time())) {
        return;
      } else if (endOffset == last.endOffset()
          && points.size() >= 2
          && points.get(points.size() - 2).endOffset() == endOffset) {
        // a run of equal end offsets only needs its first and last point
        points.set(points.size() - 1, new Point(time, endOffset));
        return;
      }
    }
    points.add(new Point(time, endOffset));
    if (points.size() > MAX_POINTS) {
      thin();
    }
  }

  private void thin() {
    int half = points.size() / 2;
    List<Point> kept = new ArrayList<>(points.size());
    for (int i = 0; i < half; i++) {
      if (i % 2 == 0) {
        kept.add(points.get(i));
      }
    }
    kept.addAll(points.subList(half, points.size()));
    points.clear();
    points.addAll(kept);
  }

  /**
   * @return the points, oldest first (a copy)
   */
  public List<Point> points() {
    return List.copyOf(points);
  }

  /**
   * How long ago the record at {@code committedOffset} was produced, estimated: zero when the
   * consumer has read everything ({@code committedOffset >= } the last end offset); otherwise
   * {@code now} minus the time the end offset passed {@code committedOffset}, interpolated linearly
   * between the two observations around it. When {@code committedOffset} is older than the oldest
   * observation, the age of that observation is returned: a lower bound.
   *
   * @param committedOffset the consumer group's committed offset (the next offset it will read)
   * @param now the time to measure against
   * @return the lag as a duration (never negative), or null when nothing was observed yet
   */
  public Duration lagAt(long committedOffset, Instant now) {
    if (points.isEmpty()) {
      return null;
    }
    Point last = points.get(points.size() - 1);
    if (committedOffset >= last.endOffset()) {
      return Duration.ZERO;
    }
    Point first = points.get(0);
    if (committedOffset < first.endOffset()) {
      return nonNegative(Duration.between(first.time(), now));
    }
    // the first observation whose end offset is beyond the committed offset
    for (int i = 1; i < points.size(); i++) {
      Point b = points.get(i);
      if (b.endOffset() > committedOffset) {
        Point a = points.get(i - 1);
        double fraction =
            (double) (committedOffset - a.endOffset()) / (double) (b.endOffset() - a.endOffset());
        long spanMs = Duration.between(a.time(), b.time()).toMillis();
        Instant produced = a.time().plusMillis(Math.round(fraction * spanMs));
        return nonNegative(Duration.between(produced, now));
      }
    }
    return Duration.ZERO; // unreachable: committedOffset < last.endOffset()
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
