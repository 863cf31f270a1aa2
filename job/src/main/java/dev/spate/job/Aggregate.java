package dev.spate.job;

import java.io.Serializable;

/**
 * The running aggregate of one key that {@link Partial} (map side) and {@link KeyState} (state
 * store) both carry, and its fold: records counted, the sum, minimum and maximum of the value
 * field, and the earliest and latest event time. {@code sum}, {@code min} and {@code max} are
 * meaningful only when a value field is configured.
 *
 * <p>The properties are Java bean properties that Spark's bean encoder reads through the subclasses
 * ({@code Encoders.bean}): their names and types are part of the state store's schema, so an
 * existing checkpoint's state reads back only while they stay as they are.
 */
public abstract class Aggregate implements Serializable {

  private static final long serialVersionUID = 1L;

  private long count;
  private double sum;
  private double min;
  private double max;
  private long firstEventTime;
  private long lastEventTime;

  /** Makes this the aggregate of one record: value in the value field, event time in ms. */
  final void first(double value, long eventTimeMs) {
    count = 1;
    sum = value;
    min = value;
    max = value;
    firstEventTime = eventTimeMs;
    lastEventTime = eventTimeMs;
  }

  /** Folds one more record in: value in the value field, event time in ms since the epoch. */
  final void add(double value, long eventTimeMs) {
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    firstEventTime = Math.min(firstEventTime, eventTimeMs);
    lastEventTime = Math.max(lastEventTime, eventTimeMs);
  }

  /** Makes this a copy of another aggregate. */
  final void copy(Aggregate other) {
    count = other.count;
    sum = other.sum;
    min = other.min;
    max = other.max;
    firstEventTime = other.firstEventTime;
    lastEventTime = other.lastEventTime;
  }

  /** Folds another aggregate of the same key in. */
  final void merge(Aggregate other) {
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    firstEventTime = Math.min(firstEventTime, other.firstEventTime);
    lastEventTime = Math.max(lastEventTime, other.lastEventTime);
  }

  /**
   * @return records aggregated
   */
  public long getCount() {
    return count;
  }

  public void setCount(long count) {
    this.count = count;
  }

  public double getSum() {
    return sum;
  }

  public void setSum(double sum) {
    this.sum = sum;
  }

  public double getMin() {
    return min;
  }

  public void setMin(double min) {
    this.min = min;
  }

  public double getMax() {
    return max;
  }

  public void setMax(double max) {
    this.max = max;
  }

  /**
   * @return earliest event time seen, ms since the epoch
   */
  public long getFirstEventTime() {
    return firstEventTime;
  }

  public void setFirstEventTime(long firstEventTime) {
    this.firstEventTime = firstEventTime;
  }

  /**
   * @return latest event time seen, ms since the epoch
   */
  public long getLastEventTime() {
    return lastEventTime;
  }

  public void setLastEventTime(long lastEventTime) {
    this.lastEventTime = lastEventTime;
  }
}
