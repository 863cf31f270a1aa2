package dev.spate.job;

import java.io.Serializable;

/**
 * What the map side hands on (Spark bean encoder): either the partial aggregate of one key within
 * one input partition of a micro-batch, or a {@linkplain #tally tally} of that partition's bad
 * records, which only the observed metrics read and which is dropped before the stateful step.
 *
 * <p>{@link #getGroupKey()} is what the stateful step groups by: {@code "+" + key} (the prefix is
 * part of the state-store key of existing checkpoints); {@code null} for a tally.
 */
public class Partial implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Prefix of the group key of an aggregation key. */
  public static final String KEY_PREFIX = "+";

  private String groupKey;
  private long count;
  private double sum;
  private double min;
  private double max;
  private long firstEventTime;
  private long lastEventTime;
  private long badRecords;

  /** For Spark's bean encoder. */
  public Partial() {}

  static Partial of(String key, double value, long eventTimeMs) {
    Partial p = new Partial();
    p.groupKey = KEY_PREFIX + key;
    p.count = 1;
    p.sum = value;
    p.min = value;
    p.max = value;
    p.firstEventTime = eventTimeMs;
    p.lastEventTime = eventTimeMs;
    return p;
  }

  /**
   * @param badRecords bad records of one input partition and micro-batch
   * @return a row that only carries that count
   */
  static Partial tally(long badRecords) {
    Partial p = new Partial();
    p.badRecords = badRecords;
    return p;
  }

  void add(double value, long eventTimeMs) {
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    firstEventTime = Math.min(firstEventTime, eventTimeMs);
    lastEventTime = Math.max(lastEventTime, eventTimeMs);
  }

  /**
   * @return whether this row only carries a bad-record count
   */
  public boolean isTally() {
    return groupKey == null;
  }

  public String getGroupKey() {
    return groupKey;
  }

  public void setGroupKey(String groupKey) {
    this.groupKey = groupKey;
  }

  /**
   * @return records aggregated (0 for a tally)
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
   * @return earliest event time, ms since the epoch
   */
  public long getFirstEventTime() {
    return firstEventTime;
  }

  public void setFirstEventTime(long firstEventTime) {
    this.firstEventTime = firstEventTime;
  }

  /**
   * @return latest event time, ms since the epoch
   */
  public long getLastEventTime() {
    return lastEventTime;
  }

  public void setLastEventTime(long lastEventTime) {
    this.lastEventTime = lastEventTime;
  }

  /**
   * @return bad records counted (only a tally has any)
   */
  public long getBadRecords() {
    return badRecords;
  }

  public void setBadRecords(long badRecords) {
    this.badRecords = badRecords;
  }
}
